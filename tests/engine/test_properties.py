"""Properties every method must keep, checked on generated problems (hypothesis)."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import evaluate, smaa

METHODS = ("wsm", "wpm", "topsis", "vikor", "promethee2")
PROPERTY_SETTINGS = settings(max_examples=40, deadline=None)

values = st.floats(min_value=1.0, max_value=100.0, allow_nan=False)


@st.composite
def problems(draw, min_criteria=1):
    """Positive (n, m) values in which every criterion varies; weights; directions."""
    n = draw(st.integers(2, 8))
    m = draw(st.integers(min_criteria, 4))
    matrix = draw(arrays(np.float64, (n, m), elements=values))
    assume((np.ptp(matrix, axis=0) > 1e-6).all())
    weights = draw(arrays(np.float64, m, elements=st.floats(0.05, 1.0)))
    directions = draw(arrays(np.int64, m, elements=st.sampled_from([-1, 1])))
    return matrix, weights, directions


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from(METHODS), st.floats(0.01, 1000.0))
def test_scaling_all_weights_changes_nothing(problem, method, factor):
    matrix, weights, directions = problem
    base = evaluate(matrix, weights, directions, method)
    scaled = evaluate(matrix, weights * factor, directions, method)
    assert_allclose(scaled.scores, base.scores, rtol=1e-9, atol=1e-12)
    assert_array_equal(scaled.ranks, base.ranks)


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from(METHODS), st.data())
def test_a_criterion_with_weight_zero_changes_nothing(problem, method, data):
    matrix, weights, directions = problem
    extra = data.draw(
        arrays(np.float64, matrix.shape[0], elements=st.floats(-50.0, 50.0))
    )
    base = evaluate(matrix, weights, directions, method)
    padded = evaluate(
        np.column_stack([matrix, extra]),
        np.append(weights, 0.0),
        np.append(directions, 1),
        method,
    )
    assert_allclose(padded.scores, base.scores, rtol=1e-9, atol=1e-12)
    assert_array_equal(padded.ranks, base.ranks)


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from(["wsm", "topsis"]), st.data())
def test_a_dominated_tool_never_ranks_above_its_dominator(problem, method, data):
    matrix, weights, directions = problem
    worse_by = data.draw(
        arrays(np.float64, matrix.shape[1], elements=st.floats(0.0, 10.0))
    )
    dominated = matrix[0] - directions * worse_by  # no better on any criterion
    with_dominated = np.vstack([matrix, dominated])
    assume((np.ptp(with_dominated, axis=0) > 1e-6).all())
    ranks = evaluate(with_dominated, weights, directions, method).ranks
    assert ranks[-1] >= ranks[0]


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from(METHODS), st.data())
def test_k_weight_vectors_at_once_equal_k_single_calls(problem, method, data):
    matrix, _, directions = problem
    k = data.draw(st.integers(1, 4))
    weights = data.draw(
        arrays(np.float64, (k, matrix.shape[1]), elements=st.floats(0.05, 1.0))
    )
    batch = evaluate(matrix, weights, directions, method)
    for row in range(k):
        single = evaluate(matrix, weights[row], directions, method)
        assert_allclose(batch.scores[row], single.scores, rtol=1e-9, atol=1e-12)
        assert_array_equal(batch.ranks[row], single.ranks)


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from(METHODS), st.randoms(use_true_random=False))
def test_reordering_the_tools_reorders_the_results(problem, method, random):
    matrix, weights, directions = problem
    permutation = np.array(random.sample(range(matrix.shape[0]), matrix.shape[0]))
    base = evaluate(matrix, weights, directions, method)
    shuffled = evaluate(matrix[permutation], weights, directions, method)
    assert_allclose(shuffled.scores, base.scores[permutation], rtol=1e-9, atol=1e-12)
    assert_array_equal(shuffled.ranks, base.ranks[permutation])


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from(METHODS))
def test_ranks_are_competition_ranks_of_the_scores(problem, method):
    matrix, weights, directions = problem
    result = evaluate(matrix, weights, directions, method)
    keys = -result.scores if method == "vikor" else result.scores
    tolerance = 1e-12 * np.abs(keys).max()
    better = (keys[None, :] > keys[:, None] + tolerance).sum(axis=1)
    assert_array_equal(result.ranks, better + 1)


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from(METHODS), st.integers(0, 2**32 - 1))
def test_smaa_with_a_fixed_seed_is_reproducible(problem, method, seed):
    matrix, weights, directions = problem
    first = smaa(matrix, weights, directions, method, samples=200, seed=seed)
    again = smaa(matrix, weights, directions, method, samples=200, seed=seed)
    assert_array_equal(first.acceptability, again.acceptability)
    assert_array_equal(first.central_weights, again.central_weights)
    assert_array_equal(first.confidence, again.confidence)


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from(METHODS), st.booleans())
def test_acceptability_rows_and_columns_sum_to_one(problem, method, duplicate_a_tool):
    matrix, weights, directions = problem
    if duplicate_a_tool:  # identical tools tie in every sample
        matrix = np.vstack([matrix, matrix[:1]])
    result = smaa(matrix, weights, directions, method, samples=300, concentration=5.0)
    assert_allclose(result.acceptability.sum(axis=0), 1.0)
    assert_allclose(result.acceptability.sum(axis=1), 1.0)
    assert ((result.confidence >= 0) & (result.confidence <= 1)).all()


@PROPERTY_SETTINGS
@given(problems(), st.sampled_from(METHODS), st.data())
def test_the_unit_of_a_criterion_does_not_matter_even_at_extreme_scales(
    problem, method, data
):
    matrix, weights, directions = problem
    j = data.draw(st.integers(0, matrix.shape[1] - 1))
    factor = data.draw(st.sampled_from([1e-300, 1e-150, 1e-3, 7.0, 1e150, 1e300]))
    rescaled = matrix.copy()
    rescaled[:, j] *= factor
    options = rescaled_options = {}
    if method == "promethee2":  # thresholds are in the criterion's unit too
        q = np.full(matrix.shape[1], 5.0)
        rescaled_q = q.copy()
        rescaled_q[j] *= factor
        options = {"preference": "linear", "q": q, "p": 2 * q}
        rescaled_options = {
            "preference": "linear",
            "q": rescaled_q,
            "p": 2 * rescaled_q,
        }
    base = evaluate(matrix, weights, directions, method, **options)
    moved = evaluate(rescaled, weights, directions, method, **rescaled_options)
    assert_allclose(moved.scores, base.scores, rtol=1e-9, atol=1e-12)
    assert_array_equal(moved.ranks, base.ranks)

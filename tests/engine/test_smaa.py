"""SMAA-2: rank acceptabilities, central weights and confidence factors."""

import importlib

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import EngineError, evaluate, smaa

# the module, which selector.engine's function of the same name hides
smaa_module = importlib.import_module("selector.engine.smaa")

# Tool 0 is best on criterion 0, tool 1 on criterion 1, tool 2 in the middle on
# both. With uniform weights w0 ~ U(0, 1): tool 0 wins iff w0 > 1/2, tool 2 is
# always second, and E[w0 | w0 > 1/2] = 3/4 (by hand).
TRADE_OFF = [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]


def test_acceptabilities_match_the_analytic_trade_off():
    result = smaa(TRADE_OFF, [0.5, 0.5], [1, 1], samples=20_000, seed=1)
    expected = [[0.5, 0.0, 0.5], [0.5, 0.0, 0.5], [0.0, 1.0, 0.0]]
    assert_allclose(result.acceptability, expected, atol=0.015)


def test_central_weights_average_the_winning_samples():
    result = smaa(TRADE_OFF, [0.5, 0.5], [1, 1], samples=20_000, seed=1)
    assert_allclose(result.central_weights[:2], [[0.75, 0.25], [0.25, 0.75]], atol=0.01)
    assert np.isnan(result.central_weights[2]).all()  # never first


def test_confidence_is_certain_for_fixed_values_and_zero_for_tools_never_first():
    result = smaa(TRADE_OFF, [0.5, 0.5], [1, 1], samples=2_000)
    assert_array_equal(result.confidence, [1.0, 1.0, 0.0])


def test_score_bounds_draw_each_value_uniformly_between_its_bounds():
    # one criterion: tool 0 ~ U(0, 1), tool 1 ~ U(0.5, 1.5); P(tool 0 wins) = 1/8
    low, high = [[0.0], [0.5]], [[1.0], [1.5]]
    result = smaa(
        [[0.5], [1.0]], [1.0], [1], samples=40_000, score_bounds=(low, high), seed=2
    )
    assert_allclose(result.acceptability, [[0.125, 0.875], [0.875, 0.125]], atol=0.01)
    # confidence: the same chance, drawn again at the (trivial) central weights
    assert_allclose(result.confidence, [0.125, 0.875], atol=0.01)


def test_it_matches_counting_ranks_from_evaluate_on_the_same_weights():
    rng = np.random.default_rng(4)
    matrix, directions = rng.uniform(1, 9, (7, 4)), [1, -1, 1, 1]
    samples, seed = 300, 9
    drawn = np.random.default_rng(seed).dirichlet(np.ones(4), samples)
    for method in ("wsm", "wpm", "topsis", "vikor", "promethee2"):
        ranks = evaluate(matrix, drawn, directions, method).ranks
        counted = np.stack([(ranks == r + 1).mean(axis=0) for r in range(7)], axis=1)
        result = smaa(
            matrix, [0.25] * 4, directions, method, samples=samples, seed=seed
        )
        assert_allclose(result.acceptability, counted, err_msg=method)


def test_rows_and_columns_sum_to_one_even_with_ties():
    matrix = [[1.0, 2.0], [1.0, 2.0], [0.0, 3.0], [2.0, 0.5]]
    result = smaa(matrix, [0.5, 0.5], [1, 1], samples=3_000)
    assert_allclose(result.acceptability.sum(axis=0), 1.0)
    assert_allclose(result.acceptability.sum(axis=1), 1.0)


def test_identical_tools_share_their_positions_equally():
    result = smaa(
        [[1.0, 2.0], [1.0, 2.0], [0.0, 3.0]], [0.5, 0.5], [1, 1], samples=3_000
    )
    assert_allclose(result.acceptability[0], result.acceptability[1])
    assert_allclose(result.confidence[:2], 0.5)


def test_a_fixed_seed_reproduces_the_result_exactly():
    rng = np.random.default_rng(8)
    matrix, weights = rng.random((30, 5)), rng.random(5)
    first = smaa(matrix, weights, [1] * 5, samples=5_000, seed=123, concentration=20)
    again = smaa(matrix, weights, [1] * 5, samples=5_000, seed=123, concentration=20)
    other = smaa(matrix, weights, [1] * 5, samples=5_000, seed=124, concentration=20)
    assert_array_equal(first.acceptability, again.acceptability)
    assert_array_equal(first.central_weights, again.central_weights)
    assert not np.array_equal(first.acceptability, other.acceptability)


def test_a_high_concentration_keeps_samples_at_the_given_weights():
    rng = np.random.default_rng(6)
    matrix, weights = rng.random((10, 4)), np.array([0.4, 0.3, 0.2, 0.1])
    ranks = evaluate(matrix, weights, [1] * 4).ranks
    result = smaa(matrix, weights, [1] * 4, samples=500, concentration=1e9)
    assert_array_equal(result.acceptability.argmax(axis=1), ranks - 1)


def test_criteria_with_weight_zero_stay_at_zero():
    result = smaa(
        [[1.0, 5.0, 0.0], [0.0, 5.0, 1.0]], [0.5, 0.0, 0.5], [1, 1, 1], samples=1_000
    )
    assert_allclose(result.central_weights[:, 1], 0.0)


def test_chunks_of_samples_add_up_like_one_pass(monkeypatch):
    rng = np.random.default_rng(7)
    matrix = rng.random((40, 3))
    whole = smaa(matrix, [1, 1, 1], [1, 1, 1], samples=999, seed=5)
    monkeypatch.setattr(smaa_module, "CHUNK_ELEMENTS", 40 * 64)  # 64 samples a chunk
    assert len(list(smaa_module._chunks(999, 40))) == 16
    chunked = smaa(matrix, [1, 1, 1], [1, 1, 1], samples=999, seed=5)
    assert_allclose(chunked.acceptability, whole.acceptability)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"samples": 0}, "samples must be at least 1"),
        ({"samples": 1.5}, "samples must be a whole number"),
        # numpy scalars read as the numbers they hold, not np.int64(0)
        ({"samples": np.int64(0)}, r"samples must be at least 1, got 0$"),
        ({"samples": np.float64(2.5)}, r"samples must be a whole number, got 2\.5$"),
        ({"concentration": -1}, "concentration must be positive"),
        ({"concentration": "high"}, "concentration must be a number"),
        ({"seed": "abc"}, "seed must be an integer"),
        ({"score_bounds": ([[0, 0], [0, 0], [0, 0]],)}, r"score_bounds must be a pair"),
        (
            {"score_bounds": ([[1, 0]] * 3, [[0, 1]] * 3)},
            r"low is above high for tool 0 on criterion 0 \(1\.0 > 0\.0\)",
        ),
        ({"score_bounds": ([[0, 0]] * 2, [[1, 1]] * 2)}, "must match the matrix shape"),
    ],
)
def test_it_refuses_samples_concentration_seed_or_bounds_it_cannot_use(
    arguments, message
):
    with pytest.raises(EngineError, match=message):
        smaa(TRADE_OFF, [0.5, 0.5], [1, 1], **arguments)


def test_it_takes_one_weight_vector_only():
    with pytest.raises(EngineError, match=r"shape \(2,\), got shape \(2, 2\)"):
        smaa(TRADE_OFF, [[0.5, 0.5], [0.2, 0.8]], [1, 1])

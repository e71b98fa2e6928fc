"""Weighted sum model: scores, ties, contributions and batches of weight vectors."""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import evaluate

# Opricovic & Tzeng (2004), "Compromise solution by MCDM methods: a comparative
# analysis of VIKOR and TOPSIS", EJOR 156:445-455, numerical example: three
# alternatives, f1 to minimise, f2 to maximise, equal weights.
OPRICOVIC_TZENG = [[1, 3000], [2, 3750], [5, 4500]]


def test_it_sums_weighted_min_max_values_by_hand():
    # min-max: f1 (cost) -> (5 - x) / 4 = 1, 0.75, 0;
    #          f2 -> (x - 3000) / 1500 = 0, 0.5, 1
    result = evaluate(OPRICOVIC_TZENG, [0.5, 0.5], [-1, 1])
    assert_allclose(result.scores, [0.5, 0.625, 0.5])
    assert_array_equal(result.ranks, [2, 1, 2])


def test_min_max_is_the_default_normalisation():
    result = evaluate(OPRICOVIC_TZENG, [0.5, 0.5], [-1, 1])
    assert result.method == "wsm"
    assert result.normalization == "minmax"


def test_equal_scores_share_the_better_rank():
    result = evaluate([[4.0], [3.0], [3.0], [1.0]], [1.0], [1])
    assert_array_equal(result.ranks, [1, 2, 2, 4])


def test_scores_that_differ_only_by_rounding_still_tie():
    # With "max" normalisation these columns keep their values: 0.5 * 0.1 + 0.5 * 0.2
    # is 0.15000000000000002 in floating point, 0.5 * 0.3 + 0.5 * 0.0 is 0.15.
    matrix = [[0.1, 0.2], [0.3, 0.0], [1.0, 1.0]]
    result = evaluate(matrix, [0.5, 0.5], [1, 1], normalization="max")
    assert_array_equal(result.ranks, [2, 2, 1])


def test_vector_sum_and_max_normalisations_match_hand_computed_scores():
    matrix, directions = [[1.0, 4.0], [3.0, 2.0]], [1, -1]
    root10, root20 = np.sqrt(10), np.sqrt(20)
    expected = {
        # benefit x / ||x||, cost 1 - x / ||x||
        "vector": [
            0.5 * (1 / root10 + 1 - 4 / root20),
            0.5 * (3 / root10 + 1 - 2 / root20),
        ],
        # benefit x / sum, cost (1/x) / sum(1/x) = 1/3, 2/3
        "sum": [0.5 * (1 / 4 + 1 / 3), 0.5 * (3 / 4 + 2 / 3)],
        # benefit x / max, cost min / x
        "max": [0.5 * (1 / 3 + 2 / 4), 0.5 * (1 + 1)],
    }
    for normalization, scores in expected.items():
        result = evaluate(matrix, [1, 1], directions, normalization=normalization)
        assert_allclose(result.scores, scores, err_msg=normalization)


def test_weights_are_normalised_to_sum_to_one():
    raw = evaluate(OPRICOVIC_TZENG, [3, 1], [-1, 1])
    scaled = evaluate(OPRICOVIC_TZENG, [0.75, 0.25], [-1, 1])
    assert_allclose(raw.weights, [0.75, 0.25])
    assert_allclose(raw.scores, scaled.scores)


def test_contributions_are_weight_times_normalised_value_and_sum_to_the_score():
    result = evaluate(OPRICOVIC_TZENG, [0.5, 0.5], [-1, 1])
    assert_allclose(result.contributions, [[0.5, 0.0], [0.375, 0.25], [0.0, 0.5]])
    assert_allclose(result.contributions.sum(axis=1), result.scores)


def test_k_weight_vectors_are_scored_like_k_single_calls():
    rng = np.random.default_rng(3)
    matrix, weights = rng.random((6, 4)), rng.random((5, 4))
    directions = [1, -1, 1, -1]
    batch = evaluate(matrix, weights, directions)
    assert batch.scores.shape == batch.ranks.shape == (5, 6)
    assert batch.contributions.shape == (5, 6, 4)
    for k, row in enumerate(weights):
        single = evaluate(matrix, row, directions)
        assert_allclose(batch.scores[k], single.scores)
        assert_array_equal(batch.ranks[k], single.ranks)
        assert_allclose(batch.contributions[k], single.contributions)


def test_a_constant_criterion_with_weight_zero_changes_nothing():
    with_constant = evaluate(
        [[1, 3, 7], [2, 3, 5], [5, 3, 6]], [0.5, 0.0, 0.5], [-1, 1, 1]
    )
    without = evaluate([[1, 7], [2, 5], [5, 6]], [0.5, 0.5], [-1, 1])
    assert_allclose(with_constant.scores, without.scores)
    assert_allclose(with_constant.contributions[:, 1], 0.0)


def test_it_has_no_details_beyond_the_scores():
    assert evaluate(OPRICOVIC_TZENG, [0.5, 0.5], [-1, 1]).details == {}

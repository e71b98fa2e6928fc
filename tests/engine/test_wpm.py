"""Weighted product model: products of ratios raised to the weights."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import EngineError, evaluate

# Triantaphyllou (2000), Multi-Criteria Decision Making Methods: A Comparative
# Study, Kluwer, ch. 2, WPM example (also the worked example of Wikipedia's
# "Weighted product model"): three alternatives, four benefit criteria,
# weights 0.20 0.15 0.40 0.25; P(A1/A2) = 1.007, P(A1/A3) = 1.067, P(A2/A3) = 1.059.
TRIANTAPHYLLOU = [[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]]
TRIANTAPHYLLOU_WEIGHTS = [0.20, 0.15, 0.40, 0.25]


def test_score_ratios_reproduce_triantaphyllous_pairwise_ratios():
    s = evaluate(
        TRIANTAPHYLLOU, TRIANTAPHYLLOU_WEIGHTS, [1, 1, 1, 1], method="wpm"
    ).scores
    assert_allclose(
        [s[0] / s[1], s[0] / s[2], s[1] / s[2]], [1.007, 1.067, 1.059], atol=5e-4
    )


def test_the_best_tool_beats_every_other_in_ratio():
    result = evaluate(
        TRIANTAPHYLLOU, TRIANTAPHYLLOU_WEIGHTS, [1, 1, 1, 1], method="wpm"
    )
    assert_array_equal(result.ranks, [1, 2, 3])


def test_max_normalisation_is_the_default_and_scores_by_hand():
    # max: benefit x / max, cost min / x.
    # Tool 0: (2/4)^0.5 * (1/1)^0.5; tool 1: 1 * (1/3)^0.5
    result = evaluate([[2.0, 1.0], [4.0, 3.0]], [0.5, 0.5], [1, -1], method="wpm")
    assert result.normalization == "max"
    assert_allclose(result.scores, [np.sqrt(0.5), np.sqrt(1 / 3)])


def test_ratio_normalisations_agree_on_the_ranking():
    rng = np.random.default_rng(5)
    matrix, weights, directions = (
        rng.uniform(1, 9, (8, 4)),
        rng.random(4),
        [1, -1, 1, -1],
    )
    by_max = evaluate(matrix, weights, directions, "wpm", "max")
    by_sum = evaluate(matrix, weights, directions, "wpm", "sum")
    assert_array_equal(by_max.ranks, by_sum.ranks)


def test_contributions_split_the_logarithm_of_the_score():
    result = evaluate(
        TRIANTAPHYLLOU, TRIANTAPHYLLOU_WEIGHTS, [1, 1, 1, 1], method="wpm"
    )
    assert_allclose(result.contributions.sum(axis=1), np.log(result.scores))
    assert (result.contributions <= 0).all()


def test_it_refuses_a_zero_value_and_names_it():
    with pytest.raises(
        EngineError, match=r"must be positive, but tool 'B' has 0\.0 on criterion 'roi'"
    ):
        evaluate(
            [[1.0, 2.0], [0.0, 3.0]],
            [0.5, 0.5],
            [1, 1],
            method="wpm",
            tool_names=["A", "B"],
            criterion_names=["roi", "price"],
        )


def test_it_accepts_a_zero_value_on_a_criterion_with_weight_zero():
    result = evaluate([[1.0, 2.0], [0.0, 3.0]], [0.0, 1.0], [1, 1], method="wpm")
    assert_array_equal(result.ranks, [2, 1])


def test_it_refuses_min_max_normalisation():
    with pytest.raises(EngineError, match="does not apply to WPM"):
        evaluate(TRIANTAPHYLLOU, TRIANTAPHYLLOU_WEIGHTS, [1, 1, 1, 1], "wpm", "minmax")

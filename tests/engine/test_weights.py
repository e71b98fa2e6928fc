"""Weights from a ranking of the criteria and the spread of survey shares."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from selector.engine import EngineError, rank_order_centroid, smaa, survey_concentration


def test_rank_order_centroid_weights_match_barron_and_barretts_formula():
    # Barron & Barrett (1996): w_j = (1/m) sum_{k>=j} 1/k; m = 3 gives 11/18, 5/18, 2/18
    assert_allclose(rank_order_centroid(3), [11 / 18, 5 / 18, 2 / 18])
    assert_allclose(rank_order_centroid(1), [1.0])


def test_rank_order_centroid_weights_fall_and_sum_to_one():
    weights = rank_order_centroid(9)
    assert weights.sum() == pytest.approx(1.0)
    assert (np.diff(weights) < 0).all()


def test_survey_concentration_is_respondents_minus_one():
    assert survey_concentration(600) == 599.0


def test_survey_concentration_gives_samples_the_spread_of_survey_shares():
    # With N respondents each share has variance w (1 - w) / N; so must the samples.
    weights, n = np.array([0.5, 0.3, 0.2]), 600
    alpha = survey_concentration(n) * weights
    drawn = np.random.default_rng(0).dirichlet(alpha, 200_000)
    assert_allclose(drawn.var(axis=0), weights * (1 - weights) / n, rtol=0.02)


def test_smaa_with_survey_concentration_keeps_weights_near_the_survey_shares():
    matrix = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    result = smaa(
        matrix, [0.5, 0.3, 0.2], [1, 1, 1], concentration=survey_concentration(600)
    )
    # criterion 0 holds half the weight give or take 2%: tool 0 always wins
    assert result.acceptability[0, 0] == 1.0
    assert_allclose(result.central_weights[0], [0.5, 0.3, 0.2], atol=0.01)


@pytest.mark.parametrize(
    ("respondents", "message"),
    [(1, "at least 2"), (2.5, "whole number"), (True, "whole number")],
)
def test_survey_concentration_refuses_too_few_or_fractional_respondents(
    respondents, message
):
    with pytest.raises(EngineError, match=message):
        survey_concentration(respondents)


def test_rank_order_centroid_refuses_zero_criteria():
    with pytest.raises(EngineError, match="m must be at least 1"):
        rank_order_centroid(0)

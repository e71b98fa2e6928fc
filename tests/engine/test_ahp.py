"""AHP: principal-eigenvector weights and Saaty's consistency ratio."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from selector.engine import EngineError, ahp_weights

# Saaty (1990), "How to make a decision: the Analytic Hierarchy Process", EJOR
# 48:9-26 (also Saaty 1980): the house-buying example, eight criteria (size,
# transportation, neighbourhood, age, yard, modern facilities, general
# condition, financing). Published: priorities .173 .054 .188 .018 .031 .036
# .167 .333, lambda_max = 9.669, CI = 0.238, CR = 0.169.
HOUSE = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_it_reproduces_saatys_house_example():
    weights, cr = ahp_weights(HOUSE)
    assert_allclose(
        weights, [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333], atol=5e-4
    )
    assert cr == pytest.approx(0.169, abs=5e-4)
    # CR = CI / RI(8) with RI(8) = 1.41, so CI = 0.238 and lambda_max = 8 + 7 CI = 9.669
    assert cr * 1.41 == pytest.approx(0.238, abs=5e-4)


def test_a_consistent_matrix_gives_back_its_weights_with_zero_cr():
    w = np.array([0.5, 0.3, 0.15, 0.05])
    weights, cr = ahp_weights(w[:, None] / w[None, :])
    assert_allclose(weights, w)
    assert cr == pytest.approx(0.0, abs=1e-12)


def test_weights_sum_to_one_and_are_positive():
    weights, _ = ahp_weights(HOUSE)
    assert weights.sum() == pytest.approx(1.0)
    assert (weights > 0).all()


def test_two_criteria_are_always_consistent():
    weights, cr = ahp_weights([[1, 3], [1 / 3, 1]])
    assert_allclose(weights, [0.75, 0.25])
    assert cr == 0.0


def test_an_inconsistent_three_by_three_uses_the_random_index_058():
    # a beats b 2:1, b beats c 2:1, but c beats a 2:1: a cycle
    A = np.array([[1, 2, 1 / 2], [1 / 2, 1, 2], [2, 1 / 2, 1]])
    weights, cr = ahp_weights(A)
    lambda_max = 1 + 2 + 1 / 2  # circulant matrix: first row sum is the Perron root
    assert_allclose(weights, [1 / 3, 1 / 3, 1 / 3])
    assert cr == pytest.approx((lambda_max - 3) / 2 / 0.58)


def test_entries_written_with_three_significant_digits_count_as_reciprocal():
    weights, _ = ahp_weights([[1, 3, 7], [0.333, 1, 2], [0.143, 0.5, 1]])
    assert weights.argmax() == 0


@pytest.mark.parametrize(
    ("pairwise", "message"),
    [
        ([[1, 2, 3], [0.5, 1, 2]], r"square \(m, m\) matrix, got shape \(2, 3\)"),
        (
            [[1, -2], [-0.5, 1]],
            r"pairwise\[0, 1\] .* is -2\.0; comparisons must be positive",
        ),
        ([[1, 0], [0, 1]], "comparisons must be positive"),
        ([[1, np.nan], [1, 1]], "comparisons must be positive"),
        (
            [[1, 3], [3, 1]],
            r"not reciprocal: pairwise\[0, 1\] .* is 3\.0 but pairwise\[1, 0\] is 3\.0",
        ),
        ([[2, 1], [1, 0.5]], r"pairwise\[0, 0\] .* is 2\.0; the diagonal must be 1"),
        ([["a", "b"], ["c", "d"]], "must hold numbers"),
    ],
)
def test_it_refuses_a_matrix_that_is_not_square_positive_and_reciprocal(
    pairwise, message
):
    with pytest.raises(EngineError, match=message):
        ahp_weights(pairwise)


def test_messages_name_the_criteria_when_given():
    with pytest.raises(EngineError, match=r"criterion 'cost' vs criterion 'speed'"):
        ahp_weights([[1, 3], [3, 1]], criterion_names=["cost", "speed"])

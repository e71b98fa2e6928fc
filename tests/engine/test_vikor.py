"""VIKOR: compromise ranking by Q, lower is better (Opricovic & Tzeng 2004)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import EngineError, evaluate

# Opricovic & Tzeng (2004), EJOR 156:445-455, numerical example (f1 minimised).
OPRICOVIC_TZENG = [[1, 3000], [2, 3750], [5, 4500]]

# Yang & Wu (2020), "A new improvement method to avoid rank reversal in VIKOR",
# IEEE Access 8:21261-21271, example with five alternatives and four benefit
# criteria of equal weight; Q to four decimals as reproduced in pymcdm's tests.
YANG_WU = [
    [78, 56, 34, 6],
    [4, 45, 3, 97],
    [18, 2, 50, 63],
    [9, 14, 11, 92],
    [85, 9, 100, 29],
]


def test_it_reproduces_opricovic_and_tzengs_example():
    result = evaluate(OPRICOVIC_TZENG, [0.5, 0.5], [-1, 1], method="vikor")
    # S = sum of weighted gaps, R = largest weighted gap; A2 is the compromise
    assert_allclose(result.details["S"], [0.5, 0.375, 0.5])
    assert_allclose(result.details["R"], [0.5, 0.25, 0.5])
    assert_allclose(result.scores, [1.0, 0.0, 1.0])
    assert_array_equal(result.ranks, [2, 1, 2])
    assert_array_equal(result.details["compromise"], [False, True, False])


def test_it_reproduces_yang_and_wus_q_values():
    result = evaluate(YANG_WU, [0.25] * 4, [1] * 4, method="vikor")
    assert_allclose(result.scores, [0.5679, 0.7667, 1.0, 0.7493, 0.0], atol=5e-5)
    assert_array_equal(result.ranks, [2, 4, 5, 3, 1])


def test_v_trades_group_utility_against_individual_regret():
    utility_only = evaluate(YANG_WU, [0.25] * 4, [1] * 4, method="vikor", v=1.0)
    regret_only = evaluate(YANG_WU, [0.25] * 4, [1] * 4, method="vikor", v=0.0)
    S, R = utility_only.details["S"], utility_only.details["R"]
    assert_allclose(utility_only.scores, (S - S.min()) / (S.max() - S.min()))
    assert_allclose(regret_only.scores, (R - R.min()) / (R.max() - R.min()))


def test_when_every_tool_has_the_same_s_and_r_all_tie_first():
    result = evaluate([[1.0, 0.0], [0.0, 1.0]], [0.5, 0.5], [1, 1], method="vikor")
    assert_allclose(result.scores, [0.0, 0.0])
    assert_array_equal(result.ranks, [1, 1])


def test_a_runner_up_within_the_acceptable_advantage_joins_the_compromise():
    # Q = 0, 1/9, 1 with n = 3: DQ = 0.5 and 1/9 - 0 < DQ, so C1 fails
    matrix = [[10.0, 1.0], [9.0, 2.0], [1.0, 10.0]]
    result = evaluate(matrix, [0.8, 0.2], [1, -1], method="vikor")
    assert result.scores[1] - result.scores[0] < 0.5
    assert_array_equal(result.details["compromise"], [True, True, False])


def test_v_defaults_to_one_half():
    assert evaluate(OPRICOVIC_TZENG, [0.5, 0.5], [-1, 1], method="vikor").options == {
        "v": 0.5
    }


def test_it_has_no_contributions():
    assert (
        evaluate(OPRICOVIC_TZENG, [0.5, 0.5], [-1, 1], method="vikor").contributions
        is None
    )


def test_it_refuses_a_constant_criterion_and_says_what_to_do():
    with pytest.raises(
        EngineError,
        match=r"criterion 1 has the same value \(3\.0\).*set its weight to 0",
    ):
        evaluate([[1, 3], [2, 3]], [0.5, 0.5], [1, 1], method="vikor")


def test_it_refuses_another_normalisation():
    with pytest.raises(
        EngineError, match="normalization 'vector' does not apply to VIKOR"
    ):
        evaluate(
            OPRICOVIC_TZENG, [0.5, 0.5], [-1, 1], method="vikor", normalization="vector"
        )


def test_it_refuses_v_outside_zero_to_one():
    with pytest.raises(EngineError, match="v must be between 0 and 1"):
        evaluate(OPRICOVIC_TZENG, [0.5, 0.5], [-1, 1], method="vikor", v=1.5)


def test_batched_weights_give_one_q_per_vector():
    weights = np.array([[0.5, 0.5], [0.9, 0.1]])
    batch = evaluate(OPRICOVIC_TZENG, weights, [-1, 1], method="vikor")
    for k in range(2):
        single = evaluate(OPRICOVIC_TZENG, weights[k], [-1, 1], method="vikor")
        assert_allclose(batch.scores[k], single.scores)
        assert_array_equal(batch.details["compromise"][k], single.details["compromise"])

"""PROMETHEE II: net outranking flows (Brans & Mareschal), every preference function."""

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import EngineError, evaluate

# Zhao, Peng & Li (2013), "Revised PROMETHEE II for improving efficiency in
# emergency response", Procedia Computer Science 17:181-188: usual criterion,
# net flows 0.1, -0.3, 0.2 (as reproduced in pymcdm's tests).
ZHAO = [[4, 3, 2], [3, 2, 4], [5, 1, 3]]

ONE_CRITERION = [[0.0], [1.0], [3.0]]  # differences 1, 2 and 3 between the tools


def test_it_reproduces_zhao_peng_and_lis_net_flows():
    result = evaluate(ZHAO, [0.5, 0.3, 0.2], [1, 1, 1], method="promethee2")
    assert_allclose(result.scores, [0.1, -0.3, 0.2])
    assert_array_equal(result.ranks, [2, 3, 1])


def test_flows_are_averaged_over_the_other_tools():
    result = evaluate(ZHAO, [0.5, 0.3, 0.2], [1, 1, 1], method="promethee2")
    # tool 0 beats tool 1 on c0 and c1 (0.5 + 0.3) and tool 2 on c1 (0.3):
    # (0.8 + 0.3) / 2
    assert_allclose(result.details["positive_flow"][0], 0.55)
    assert_allclose(
        result.details["positive_flow"] - result.details["negative_flow"], result.scores
    )


def test_a_cost_criterion_prefers_the_lower_value():
    result = evaluate(ONE_CRITERION, [1.0], [-1], method="promethee2")
    assert_allclose(result.scores, [1.0, 0.0, -1.0])


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # d > q = 1 only: 3 beats 1 and 0
        ({"preference": "ushape", "q": 1.0}, [-0.5, -0.5, 1.0]),
        # d / p with p = 2: 1 beats 0 by 1/2; 3 beats 0 by 1 and 1 by 2/2
        ({"preference": "vshape", "p": 2.0}, [-0.75, -0.25, 1.0]),
        # 1/2 for 0.5 < d <= 2: 1 over 0, 3 over 1; 1 for 3 over 0
        ({"preference": "level", "q": 0.5, "p": 2.0}, [-0.75, 0.0, 0.75]),
        # (d - 0.5) / 1.5: 1 over 0 by 1/3; 3 over 1 by 1 and over 0 by 1
        ({"preference": "linear", "q": 0.5, "p": 2.0}, [-2 / 3, -1 / 3, 1.0]),
    ],
)
def test_each_preference_function_scores_as_computed_by_hand(options, expected):
    result = evaluate(ONE_CRITERION, [1.0], [1], method="promethee2", **options)
    assert_allclose(result.scores, expected)


def _pairwise_net_flows(matrix, weights, directions, kind, q, p):
    """The textbook O(n^2) definition, as a reference."""
    x = np.asarray(matrix, float) * directions
    n, m = x.shape
    P = np.zeros((n, n))
    for a, b, j in itertools.product(range(n), range(n), range(m)):
        d = x[a, j] - x[b, j]
        if kind == "level":
            pref = 1.0 if d > p[j] else 0.5 if d > q[j] else 0.0
        else:  # linear, covering usual (q = p = 0), ushape (q = p) and vshape (q = 0)
            pref = 1.0 if d > p[j] else (d - q[j]) / (p[j] - q[j]) if d > q[j] else 0.0
        P[a, b] += weights[j] * pref
    return (P.sum(axis=1) - P.sum(axis=0)) / (n - 1)


def test_sorted_flows_match_the_pairwise_definition_on_random_data():
    rng = np.random.default_rng(11)
    for trial in range(20):
        n, m = rng.integers(2, 15), rng.integers(1, 5)
        matrix = rng.integers(0, 6, size=(n, m)) * 0.5  # many ties and exact thresholds
        weights = rng.dirichlet(np.ones(m))
        directions = rng.choice([-1, 1], size=m)
        q = rng.integers(0, 3, size=m) * 0.5
        p = q + rng.integers(0, 3, size=m) * 0.5
        for kind in ("linear", "level"):
            result = evaluate(
                matrix, weights, directions, "promethee2", preference=kind, q=q, p=p
            )
            expected = _pairwise_net_flows(matrix, weights, directions, kind, q, p)
            assert_allclose(
                result.scores, expected, atol=1e-12, err_msg=f"{trial} {kind}"
            )


def test_contributions_are_weighted_single_criterion_flows_summing_to_the_net_flow():
    result = evaluate(ZHAO, [0.5, 0.3, 0.2], [1, 1, 1], method="promethee2")
    assert_allclose(result.contributions.sum(axis=1), result.scores)
    assert_allclose(result.contributions[:, 0], 0.5 * np.array([0.0, -1.0, 1.0]))


def test_the_result_reports_the_preference_function_and_thresholds_used():
    result = evaluate(
        ONE_CRITERION, [1.0], [1], "promethee2", preference="vshape", p=2.0
    )
    assert result.options["preference"] == "vshape"
    assert_allclose(result.options["q"], [0.0])
    assert_allclose(result.options["p"], [2.0])
    assert result.normalization is None


def test_thresholds_may_differ_per_criterion():
    matrix = [[0.0, 0.0], [1.0, 1.0], [3.0, 3.0]]
    both = evaluate(
        matrix, [0.5, 0.5], [1, 1], "promethee2", preference="vshape", p=[2.0, 4.0]
    )
    first = evaluate(
        ONE_CRITERION, [1.0], [1], "promethee2", preference="vshape", p=2.0
    )
    second = evaluate(
        ONE_CRITERION, [1.0], [1], "promethee2", preference="vshape", p=4.0
    )
    assert_allclose(both.scores, 0.5 * (first.scores + second.scores))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"preference": "vshape"}, "'vshape' needs threshold p"),
        ({"preference": "usual", "q": 1.0}, "'usual' takes no threshold q"),
        ({"preference": "linear", "q": 2.0, "p": 1.0}, "q must not exceed p"),
        (
            {"preference": "vshape", "p": -1.0},
            "p for criterion 0 must be a finite number >= 0",
        ),
        ({"preference": "gaussian"}, "preference must be one of"),
        ({"threshold": 1.0}, "unknown option 'threshold' for method 'promethee2'"),
    ],
)
def test_it_refuses_unusable_preference_options(options, message):
    with pytest.raises(EngineError, match=message):
        evaluate(ONE_CRITERION, [1.0], [1], method="promethee2", **options)


def test_it_refuses_a_normalisation():
    with pytest.raises(
        EngineError, match="works on the raw values; leave normalization=None"
    ):
        evaluate(
            ZHAO,
            [0.5, 0.3, 0.2],
            [1, 1, 1],
            method="promethee2",
            normalization="minmax",
        )

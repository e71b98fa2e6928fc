"""Weight stability: how far each weight may move before the ranking changes."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import EngineError, evaluate, methods, stability

# Min-max leaves these columns as they are. With w0 = t (w1 = 1 - t) the scores
# are A = t, B = 1 - t, C = 0.6: at t = 0.7 the order is A, C, B. A stays first
# while t > 0.6 (ahead of C) and t > 0.5 (ahead of B); C stays ahead of B while
# t > 0.4. So both intervals are [0.6, 1] for w0 and, as w1 = 1 - w0, [0, 0.4] for w1.
TRIO = [[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]]


def test_wsm_intervals_are_solved_exactly_by_hand():
    result = stability(TRIO, [0.7, 0.3], [1, 1])
    assert result.exact
    assert_array_equal(result.top, [0])
    assert_allclose(result.top_interval, [[0.6, 1.0], [0.0, 0.4]])
    assert_allclose(result.order_interval, [[0.6, 1.0], [0.0, 0.4]])


def test_the_order_can_break_before_the_leader_does():
    # A = t, B = 1 - t, C = 0.45 at t = 0.7: order A, C, B. C falls behind B at
    # t = 0.55 while A leads until t = 0.5 (by hand).
    result = stability([[1.0, 0.0], [0.0, 1.0], [0.45, 0.45]], [0.7, 0.3], [1, 1])
    assert_allclose(result.top_interval[0], [0.5, 1.0])
    assert_allclose(result.order_interval[0], [0.55, 1.0])


def test_intervals_contain_the_current_weights():
    rng = np.random.default_rng(2)
    matrix, weights = rng.random((12, 4)), rng.dirichlet(np.ones(4))
    for method in ("wsm", "wpm", "topsis", "vikor", "promethee2"):
        result = stability(matrix + 0.1, weights, [1, -1, 1, 1], method)
        for intervals in (result.top_interval, result.order_interval):
            assert (intervals[:, 0] <= weights + 1e-12).all(), method
            assert (weights <= intervals[:, 1] + 1e-12).all(), method


@pytest.mark.parametrize("method", ["topsis", "vikor"])
def test_searched_ends_are_where_the_leader_changes(method):
    rng = np.random.default_rng(3)
    matrix, weights, directions = (
        rng.random((8, 3)),
        np.array([0.5, 0.3, 0.2]),
        [1, 1, -1],
    )
    result = stability(matrix, weights, directions, method)
    assert not result.exact
    leader = evaluate(matrix, weights, directions, method).ranks == 1
    for j in range(3):
        for end, outward in zip(result.top_interval[j], (-1, 1), strict=True):
            if 0 < end < 1:
                inside, outside = (
                    _moved(weights, j, end - outward * 1e-6),
                    _moved(weights, j, end + outward * 1e-6),
                )
                assert_array_equal(
                    evaluate(matrix, inside, directions, method).ranks == 1, leader
                )
                assert not np.array_equal(
                    evaluate(matrix, outside, directions, method).ranks == 1, leader
                )


def _moved(weights, j, t):
    others = np.delete(weights, j) / np.delete(weights, j).sum() * (1 - t)
    return np.insert(others, j, t)


def test_grid_search_agrees_with_the_exact_answer_for_a_linear_method(monkeypatch):
    rng = np.random.default_rng(4)
    matrix, weights = rng.random((9, 3)), np.array([0.2, 0.5, 0.3])
    exact = stability(matrix, weights, [1, 1, 1])
    monkeypatch.setattr(methods.WeightedSum, "utility", lambda self, prepared: None)
    searched = stability(matrix, weights, [1, 1, 1])
    assert not searched.exact
    assert_allclose(searched.top_interval, exact.top_interval, atol=1e-9)
    assert_allclose(searched.order_interval, exact.order_interval, atol=1e-9)


def test_a_tie_for_first_that_any_change_breaks_pins_the_interval():
    # A and B tie at w = (0.5, 0.5) and move apart as soon as w0 moves
    result = stability([[1.0, 0.0], [0.0, 1.0], [0.2, 0.2]], [0.5, 0.5], [1, 1])
    assert_array_equal(result.top, [0, 1])
    assert_allclose(result.top_interval, [[0.5, 0.5], [0.5, 0.5]])


def test_a_criterion_the_method_cannot_use_gets_no_interval():
    result = stability([[1.0, 3.0], [0.0, 3.0], [0.5, 3.0]], [1.0, 0.0], [1, 1])
    assert np.isnan(result.top_interval[1]).all()
    assert_allclose(result.top_interval[0], [0.0, 1.0])


def test_it_takes_one_weight_vector_only():
    with pytest.raises(EngineError, match="weights must have one entry per criterion"):
        stability(TRIO, [[0.7, 0.3]], [1, 1])


def test_it_names_the_tool_that_takes_first_place_beyond_each_end():
    # TRIO: A leads for w0 in [0.6, 1]; below 0.6, C (0.6) passes A (= w0).
    result = stability(TRIO, [0.7, 0.3], [1, 1])
    assert result.takes_over.tolist() == [[2, -1], [-1, 2]]
    # Just beyond each inner end the named tool is first (brute force by evaluate).
    for j, (below, above) in enumerate(result.takes_over):
        for end, tool, sign in ((0, below, -1), (1, above, 1)):
            if tool < 0:
                continue
            t = result.top_interval[j, end] + sign * 1e-4
            weights = np.array([t, 1 - t]) if j == 0 else np.array([1 - t, t])
            assert evaluate(TRIO, weights, [1, 1]).ranks[tool] == 1


def test_takes_over_matches_evaluate_for_every_method():
    rng = np.random.default_rng(5)
    matrix, weights = rng.random((6, 3)) + 0.1, rng.dirichlet(np.ones(3))
    for method in ("wsm", "wpm", "topsis", "vikor", "promethee2"):
        result = stability(matrix, weights, [1, -1, 1], method)
        for j in range(3):
            for end, sign in ((0, -1), (1, 1)):
                tool = result.takes_over[j, end]
                edge = result.top_interval[j, end]
                if not 0 < edge < 1:
                    assert tool == -1
                    continue
                t = edge + sign * 1e-6
                others = np.delete(weights, j) / np.delete(weights, j).sum()
                moved = np.insert(others * (1 - t), j, t)
                ranks = evaluate(matrix, moved, [1, -1, 1], method).ranks
                assert ranks[tool] == 1, (method, j, end)

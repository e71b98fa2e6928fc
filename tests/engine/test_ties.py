"""Competition ranks and tie groups, deaf to floating-point noise (engine internals)."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from selector.engine.ties import RTOL, competition_ranks, group_bounds, rank_order


def _reference_ranks(keys):
    """The rule stated plainly: sort best first; a key ties with the one before it
    when they differ by at most RTOL times the row's largest |key|; ties chain."""
    ordered = np.sort(keys)[::-1]
    scale = np.abs(keys).max()
    ranks_by_position = np.ones(len(keys), dtype=np.int64)
    for position in range(1, len(keys)):
        gap = ordered[position - 1] - ordered[position]
        ranks_by_position[position] = (
            ranks_by_position[position - 1] if gap <= RTOL * scale else position + 1
        )
    return ranks_by_position[np.argsort(np.argsort(-keys, kind="stable"))]


def test_equal_keys_share_the_better_rank():
    assert_array_equal(competition_ranks(np.array([4.0, 3.0, 3.0, 1.0])), [1, 2, 2, 4])


def test_keys_within_the_tolerance_tie_and_ties_chain():
    # each neighbour is within 1e-12 * 3 of the next, the ends are not: one group
    step = 0.9 * RTOL * 3.0
    keys = np.array([3.0, 3.0 - step, 3.0 - 2 * step, 1.0])
    assert_array_equal(competition_ranks(keys), [1, 1, 1, 4])


def test_keys_just_beyond_the_tolerance_do_not_tie():
    keys = np.array([3.0, 3.0 - 2 * RTOL * 3.0, 1.0])
    assert_array_equal(competition_ranks(keys), [1, 2, 3])


@pytest.mark.parametrize("n", [2, 7, 300, 3000])  # 3000 > 2**11: 64-bit words
def test_ranks_follow_the_stated_rule_on_rows_full_of_near_ties(n):
    rng = np.random.default_rng(n)
    for _ in range(5):
        keys = rng.integers(0, 5, n) * 0.1 + rng.choice([0.0, 1e-14, 1e-9], n)
        assert_array_equal(competition_ranks(keys), _reference_ranks(keys))


def test_rank_order_sorts_each_row_best_first_and_flags_ties():
    order, tied = rank_order(np.array([[1.0, 3.0, 3.0, 2.0], [0.0, -1.0, 5.0, 2.0]]))
    assert_array_equal(order[0, 2:], [3, 0])
    assert set(order[0, :2]) == {1, 2}
    assert_array_equal(tied[0], [False, True, False, False])
    assert_array_equal(order[1], [2, 3, 0, 1])
    assert not tied[1].any()


def test_group_bounds_give_each_position_its_tie_groups_span():
    tied = np.array([False, True, True, False, False, True])
    start, end = group_bounds(tied)
    assert_array_equal(start, [0, 0, 0, 3, 4, 4])
    assert_array_equal(end, [3, 3, 3, 4, 6, 6])

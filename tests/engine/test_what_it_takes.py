"""What it would take: the score a tool needs on one criterion to rank first,
checked by hand and against a brute-force sweep that calls evaluate() at every value."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from selector.engine import EngineError, evaluate, what_it_takes

# A, B, C on three criteria, the third a cost (lower is better), each rated 1..5.
# Min-max: A = .5 + 0 + .2 * 2/3 = .633, B = .25 + .3 + .2 = .75, C = .15; B first.
TRIO = np.array([[4.0, 2.0, 3.0], [3.0, 4.0, 2.0], [2.0, 3.0, 5.0]])
TRIO_WEIGHTS = [0.5, 0.3, 0.2]
TRIO_DIRECTIONS = [1, 1, -1]
SCALE = ([1.0, 1.0, 1.0], [5.0, 5.0, 5.0])


def brute_force(matrix, weights, directions, i, j, lower, upper, points, **kwargs):
    """Nearest swept value of tool i's score on criterion j reaching its goal, or None.

    The goal is to rank first (a tool not first now) or to have another tool rank
    first (a tool first now); each point is one call of evaluate()."""
    matrix = np.asarray(matrix, dtype=float)
    first_now = evaluate(matrix, weights, directions, **kwargs).ranks[i] == 1
    found = []
    for value in np.linspace(lower, upper, points):
        moved = matrix.copy()
        moved[i, j] = value
        try:
            ranks = evaluate(moved, weights, directions, **kwargs).ranks
        except EngineError:  # e.g. min-max on a column that stopped varying
            continue
        others_first = (np.delete(ranks, i) == 1).any()
        if others_first if first_now else ranks[i] == 1:
            found.append(value)
    if not found:
        return None
    found = np.array(found)
    return found[np.argmin(np.abs(found - matrix[i, j]))]


def test_a_cost_criterion_at_the_end_of_its_scale_gives_a_tie_by_hand():
    # A's cost score 3 -> 1 makes the cost column [1, 2, 5]: A = .5 + .2 = .7 and
    # B = .25 + .3 + .2 * 3/4 = .7, a tie for first at the end of the scale.
    result = what_it_takes(
        TRIO, TRIO_WEIGHTS, TRIO_DIRECTIONS, lower=SCALE[0], upper=SCALE[1]
    )
    entry = result.table()[0][2]
    assert entry["from"] == 3.0
    assert_allclose(entry["to"], 1.0)
    assert entry["tie"] is True


def test_a_tool_already_at_the_top_of_a_min_max_column_gains_nothing_there():
    # A has the best ROI already: raising it stretches the scale, A stays at 1.
    result = what_it_takes(
        TRIO, TRIO_WEIGHTS, TRIO_DIRECTIONS, lower=SCALE[0], upper=SCALE[1]
    )
    assert result.table()[0][0] is None
    assert np.isnan(result.value[0, 0])


# A = [0, 10], B = [10, 0], C = [5, 5], weights .6/.4, min-max: A .4, B .6, C .5.
SPREAD = np.array([[0.0, 10.0], [10.0, 0.0], [5.0, 5.0]])


def test_the_moving_min_max_scale_is_refitted_at_every_value_by_hand():
    result = what_it_takes(SPREAD, [0.6, 0.4], [1, 1], lower=[0, 0], upper=[20, 20])
    # A's first score t >= 5 moves the column's bottom to C's 5: A = .6 (t - 5)/5 +
    # .4 passes B's .6 from t = 20/3 (on a fixed 0..10 scale: from 10/3).
    assert_allclose(result.value[0, 0], 20 / 3, atol=2e-5)
    # C's, with the scale staying 0..10: .06 t + .2 > .6 from t = 20/3.
    assert_allclose(result.value[2, 0], 20 / 3, atol=2e-5)
    # The winner B: lowered to t in [5, 10], B stays the column's top (.6) while C
    # gets .6 * 5 / t + .2, ahead from t = 7.5. On a fixed 0..10 scale it would
    # have been 25/3.
    assert_allclose(result.value[1, 0], 7.5, atol=2e-5)
    winner = result.table()[1][0]
    # 7.5 lies on the search grid (0..20 in steps of 0.1), where the two tie exactly
    assert winner["rival"] == 2 and winner["tie"] is True
    assert result.first.tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("method", "options"),
    [
        ("wsm", {}),
        ("wsm", {"normalization": "sum"}),
        ("wpm", {}),
        ("topsis", {}),
        ("vikor", {"v": 0.3}),
        ("promethee2", {"preference": "linear", "q": 0.2, "p": 1.5}),
    ],
)
def test_every_method_agrees_with_a_brute_force_sweep(method, options):
    matrix = np.array(
        [[4.0, 2.0, 3.0], [3.0, 4.5, 2.0], [2.5, 3.0, 1.5], [3.5, 3.5, 4.0]]
    )
    weights, directions = [0.45, 0.35, 0.2], [1, 1, -1]
    lower, upper = np.ones(3), np.full(3, 5.0)
    points = 401
    step = 4.0 / (points - 1)
    result = what_it_takes(
        matrix, weights, directions, method, lower=lower, upper=upper, **options
    )
    for i in range(4):
        for j in range(3):
            expected = brute_force(
                matrix,
                weights,
                directions,
                i,
                j,
                1.0,
                5.0,
                points,
                method=method,
                **options,
            )
            got = result.value[i, j]
            if expected is None:
                assert np.isnan(got), (i, j, got)
            else:
                # the sweep sees the change one step late at worst
                assert abs(got - expected) <= step + 1e-5, (i, j, got, expected)


def test_the_found_value_does_make_the_tool_first_and_the_winner_lose():
    rng = np.random.default_rng(3)
    matrix = rng.uniform(1, 5, (6, 4))
    weights, directions = rng.dirichlet(np.ones(4)), [1, -1, 1, 1]
    for method in ("wsm", "wpm", "topsis", "vikor", "promethee2"):
        result = what_it_takes(
            matrix, weights, directions, method, lower=np.ones(4), upper=np.full(4, 5.0)
        )
        for i, j in np.argwhere(~np.isnan(result.value)):
            moved = matrix.copy()
            moved[i, j] = result.value[i, j]
            ranks = evaluate(moved, weights, directions, method).ranks
            if result.first[i]:
                assert (np.delete(ranks, i) == 1).any(), (method, i, j)
                assert result.rival[i, j] != i and ranks[result.rival[i, j]] == 1
            else:
                assert ranks[i] == 1, (method, i, j)
            assert result.tie[i, j] == ((ranks == 1).sum() > 1 and ranks[i] == 1)


def test_open_ended_quantities_search_up_to_twice_the_largest_value():
    matrix = [[10.0, 3.0], [20.0, 5.0]]
    result = what_it_takes(matrix, [0.5, 0.5], [-1, 1])
    assert_allclose(result.lower, [0.0, 0.0])
    assert_allclose(result.upper, [40.0, 10.0])
    # A (price 10, quality 3) vs B (20, 5): min-max gives both .5, a tie now.
    assert result.first.tolist() == [True, True]
    assert result.table()[0][0] == {"from": 10.0, "to": 10.0, "tie": True, "rival": 1}


def test_a_criterion_with_no_weight_changes_nothing():
    result = what_it_takes(
        TRIO, [0.5, 0.5, 0.0], TRIO_DIRECTIONS, lower=SCALE[0], upper=SCALE[1]
    )
    assert np.isnan(result.value[:, 2]).all()


def test_a_range_not_one_per_criterion_is_refused():
    with pytest.raises(EngineError, match="lower must hold 3"):
        what_it_takes(TRIO, TRIO_WEIGHTS, TRIO_DIRECTIONS, lower=[1, 1])

"""Weight stability: how far each weight can move before the ranking changes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .problem import set_up
from .ties import RTOL, competition_ranks, rank_order
from .validation import read_count

# Moved weight vectors are scored in batches of about CHUNK_ELEMENTS keys (8 MiB
# of float64); bisection then halves each bracket BISECTION_STEPS times.
CHUNK_ELEMENTS = 1 << 20
BISECTION_STEPS = 48
# who takes first place is read this far beyond an end of the top interval
BEYOND = 1e-7


@dataclass(frozen=True, eq=False)
class Stability:
    """How far each criterion's weight can move before the ranking changes.

    Criterion j's weight w_j is moved over [0, 1] while the other weights are
    rescaled proportionally to keep the sum 1 (if w_j is the only positive
    weight, the others share the rest equally). top_interval[j] = [lo, hi] is
    the range of w_j, containing the current weight, over which the tools now
    ranked first stay first; order_interval[j] the range over which the whole
    ranking stays the same. At an end inside (0, 1) two tools tie.
    takes_over[j] = [below, above] names (by index) the tool that ranks first
    just beyond each end of top_interval[j] (the best of those not first now),
    -1 where that end is 0 or 1. Rows are NaN (takes_over -1) for criteria the
    method cannot use (they carry weight 0).

    exact: True for WSM, WPM and PROMETHEE II, whose scores are monotone in a
    linear function of the weights, so the ends are solved for exactly; for
    TOPSIS and VIKOR the ends are found on a grid of `grid` points and refined
    by bisection to about 1e-12, so a change that starts and reverts between
    two grid points can be missed.
    """

    method: str
    normalization: str | None
    weights: np.ndarray
    ranks: np.ndarray
    top: np.ndarray
    top_interval: np.ndarray
    order_interval: np.ndarray
    exact: bool
    takes_over: np.ndarray


def stability(
    matrix,
    weights,
    directions,
    method: str = "wsm",
    normalization: str | None = None,
    *,
    grid: int = 201,
    tool_names=None,
    criterion_names=None,
    **options,
) -> Stability:
    """Weight stability intervals of the current ranking, per criterion.

    Arguments are as for evaluate() with one weight vector (m,); `grid` sets the
    number of points the non-linear methods (TOPSIS, VIKOR) are checked on.
    """
    setup = set_up(locals(), batch=False)
    grid = read_count(grid, "grid", minimum=2)
    full = setup.problem
    usable = setup.usable(full.weights > 0)
    setup, _ = setup.tamed()
    problem, run_options = setup.restrict(usable)
    prepared = setup.prepare(problem, run_options)
    spec = setup.method
    current = problem.weights
    ranks = competition_ranks(spec.keys(prepared, current))
    others = _rescaled_others(current)
    utility = spec.utility(prepared)
    if utility is not None:
        top, order = _exact_intervals(utility, current, others)
    else:
        top, order = _searched_intervals(spec, prepared, current, others, ranks, grid)
    m = usable.size
    top_interval, order_interval = np.full((m, 2), np.nan), np.full((m, 2), np.nan)
    top_interval[usable], order_interval[usable] = top, order
    takes_over = np.full((m, 2), -1)
    takes_over[usable] = _takes_over(spec, prepared, top, others, ranks == 1)
    return Stability(
        spec.name,
        setup.normalization,
        full.weights,
        ranks,
        np.flatnonzero(ranks == 1),
        top_interval,
        order_interval,
        utility is not None,
        takes_over,
    )


def _takes_over(spec, prepared, top, others, leaders) -> np.ndarray:
    """(m, 2): the best tool not first now, just beyond each end of `top` (m, 2)
    that lies inside (0, 1); -1 at an end of 0 or 1."""
    m = top.shape[0]
    inside = (top > BEYOND) & (top < 1 - BEYOND)
    found = np.full((m, 2), -1)
    if not inside.any() or leaders.all():
        return found
    beyond = np.clip(top + np.array([-BEYOND, BEYOND]), 0.0, 1.0)
    criterion = np.repeat(np.arange(m), 2)
    t = beyond.ravel()
    moved = t[:, None] * np.eye(m)[criterion] + (1 - t)[:, None] * others[criterion]
    keys = np.where(leaders, -np.inf, spec.keys(prepared, moved))
    found[inside] = np.argmax(keys, axis=-1).reshape(m, 2)[inside]
    return found


def _rescaled_others(weights: np.ndarray) -> np.ndarray:
    """O (m, m): row j is where the weight not given to criterion j goes.

    Moving w_j to t gives the weights t e_j + (1 - t) O[j]: the others keep
    their proportions, or share equally if they were all 0.
    """
    m = weights.size
    others = np.where(np.eye(m, dtype=bool), 0.0, weights)
    totals = others.sum(axis=1, keepdims=True)
    equal = np.where(np.eye(m, dtype=bool), 0.0, 1.0 / max(m - 1, 1))
    return np.where(totals > 0, others / np.where(totals > 0, totals, 1.0), equal)


def _exact_intervals(utility, weights, others):
    """Intervals for scores monotone in weigh(U, w): every key is linear in t.

    key_i(t) = B_ij + t (U_ij - B_ij) with B = U O^T. A pair of tools keeps its
    order until the line of their difference crosses 0; only the pairs that
    matter are checked (leaders against the rest; neighbours in the order,
    whose order is transitive).
    """
    keys = utility @ weights
    base = utility @ others.T  # (n, m): B_ij
    slope = utility - base
    order, tied = rank_order(keys)
    leaders = order[: _group_size(tied)]
    rest = np.setdiff1d(order, leaders)
    tolerance = RTOL * max(np.abs(utility).max(), np.finfo(float).tiny)
    # every leader must stay ahead of every other tool, and tied with the other leaders
    ahead_of_rest = np.column_stack(
        [np.repeat(leaders, rest.size), np.tile(rest, leaders.size)]
    )
    among_leaders = np.column_stack([leaders[:-1], leaders[1:]])
    top_pairs = np.concatenate([ahead_of_rest, among_leaders])
    top_tied = np.arange(len(top_pairs)) >= len(ahead_of_rest)
    order_pairs = np.stack([order[:-1], order[1:]], axis=-1)
    return (
        _pair_interval(top_pairs, top_tied, base, slope, weights, tolerance),
        _pair_interval(order_pairs, tied[1:], base, slope, weights, tolerance),
    )


def _group_size(tied: np.ndarray) -> int:
    """How many sorted positions the first tie group spans."""
    breaks = np.flatnonzero(~tied[1:])
    return int(breaks[0]) + 1 if breaks.size else len(tied)


def _pair_interval(pairs, tied, base, slope, weights, tolerance) -> np.ndarray:
    """(m, 2) range of t over which every pair (ahead, behind) keeps its relation.

    For a pair, the key difference is alpha + beta t. A strict pair keeps its
    order until the root -alpha/beta; a tied pair stays tied only if its
    difference is 0 for every t, else the range shrinks to the current weight.
    """
    m = weights.size
    lo, hi = np.zeros(m), np.ones(m)
    if len(pairs) == 0:
        return np.stack([lo, hi], axis=-1)
    ahead, behind = pairs[:, 0], pairs[:, 1]
    alpha = base[ahead] - base[behind]  # (P, m)
    beta = slope[ahead] - slope[behind]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        root = -alpha / beta  # inf or nan where beta is 0: no crossing
    falling = ~tied[:, None] & (beta < 0)
    rising = ~tied[:, None] & (beta > 0)
    hi = np.minimum(hi, np.where(falling, root, np.inf).min(axis=0, initial=np.inf))
    lo = np.maximum(lo, np.where(rising, root, -np.inf).max(axis=0, initial=-np.inf))
    breaking = tied[:, None] & (
        (np.abs(beta) > tolerance) | (np.abs(alpha) > tolerance)
    )
    pinned = breaking.any(axis=0)
    lo = np.where(pinned, weights, np.minimum(lo, weights))
    hi = np.where(pinned, weights, np.maximum(hi, weights))
    return np.stack([lo, hi], axis=-1)


def _searched_intervals(spec, prepared, weights, others, ranks, grid):
    """Intervals for methods without a linear form: grid scan, then bisection."""
    m, n = weights.size, ranks.size
    leaders = ranks == 1
    per_vector = n * m if spec.scores_need_criteria_axis else n

    def holds(t: np.ndarray, criterion: np.ndarray) -> np.ndarray:
        """(2, len(t)): do the leaders, and the whole order, survive w_j = t?"""
        moved = t[:, None] * np.eye(m)[criterion] + (1 - t)[:, None] * others[criterion]
        result = []
        for part in np.array_split(
            np.arange(len(t)), max(1, len(t) * per_vector // CHUNK_ELEMENTS)
        ):
            moved_ranks = competition_ranks(spec.keys(prepared, moved[part]))
            result.append(
                [
                    ((moved_ranks == 1) == leaders).all(axis=-1),
                    (moved_ranks == ranks).all(axis=-1),
                ]
            )
        return np.concatenate(result, axis=-1)

    ts = np.linspace(0.0, 1.0, grid)
    top_ok, order_ok = holds(np.tile(ts, m), np.repeat(np.arange(m), grid))
    return (
        _refine(top_ok.reshape(m, grid), ts, weights, lambda t, j: holds(t, j)[0]),
        _refine(order_ok.reshape(m, grid), ts, weights, lambda t, j: holds(t, j)[1]),
    )


def _refine(ok: np.ndarray, ts: np.ndarray, weights: np.ndarray, holds) -> np.ndarray:
    """(m, 2) ends from a grid of pass/fail results ok (m, grid), refined by bisection.

    On each side of the current weight, the first failing grid point and the
    passing point before it (the previous grid point, or the current weight)
    bracket the end; bisection then closes in on it. The passing end is returned.
    """
    m = weights.size
    good = np.tile(np.array([0.0, 1.0]), (m, 1))
    bad = good.copy()
    for j, weight in enumerate(weights):
        above = np.flatnonzero((ts > weight) & ~ok[j])
        if above.size:
            k = above[0]
            good[j, 1], bad[j, 1] = max(ts[k - 1], weight), ts[k]
        below = np.flatnonzero((ts < weight) & ~ok[j])
        if below.size:
            k = below[-1]
            good[j, 0], bad[j, 0] = min(ts[k + 1], weight), ts[k]
    good, bad = good.ravel(), bad.ravel()
    criterion = np.repeat(np.arange(m), 2)
    open_ = np.flatnonzero(good != bad)
    for _ in range(BISECTION_STEPS):
        if open_.size == 0:
            break
        middle = 0.5 * (good[open_] + bad[open_])
        passes = holds(middle, criterion[open_])
        good[open_[passes]] = middle[passes]
        bad[open_[~passes]] = middle[~passes]
    return good.reshape(m, 2)

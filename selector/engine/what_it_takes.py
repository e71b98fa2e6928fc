"""What it would take: the score a tool would need on one criterion to rank first.

For every tool and criterion, the tool's own value on that criterion is moved
(everything else fixed) to the nearest value, in either direction, at which the
tool ranks first, a tie for first counting; for a tool already first, to the
nearest value at which another tool ranks first with it or instead of it. Each
candidate value is scored with the method's own code on the matrix it makes, so
normalisations fitted on the tools (min-max, vector, sum, max, PROMETHEE's flows)
are refitted at every candidate: moving one tool's score can move the scale.

All five methods decompose criterion by criterion before the weights are
applied (Method.prepare returns per-criterion arrays), so only the moved
criterion's column is prepared again; the other columns are reused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import EngineError
from .problem import Setup, set_up
from .ties import RTOL, competition_ranks
from .validation import ColumnRange, as_float_array, read_count

# Values are searched on `grid` equally spaced points of each criterion's range
# (plus the tools' own values, where ties sit), then refined to this fraction of
# the range.
RESOLUTION = 1e-6
# each refining step cuts a bracket into this many parts (16: 4 bits a step)
SPLIT = 16
# candidate matrices scored at once, in elements (8 MiB of float64)
CHUNK_ELEMENTS = 1 << 20


@dataclass(frozen=True, eq=False)
class WhatItTakes:
    """What each tool would need on each criterion, arrays of shape (n, m).

    value[i, j] is the nearest value of tool i's score on criterion j, within
    [lower[j], upper[j]], at which tool i ranks first (alone or tied: tie[i, j]),
    or, for a tool now first, at which another tool ranks first (tied with it
    when tie[i, j], else ahead of it; that tool is rival[i, j]). NaN (and tie
    False, rival -1) where no value in the range does it, including criteria
    with weight 0. `current` is the matrix as given; `first` the tools ranked
    first now (bool, (n,)).

    The search is a grid of `grid` points per criterion, plus the tools' own
    values, refined (each step cuts a bracket into SPLIT parts) to RESOLUTION of
    the range, so a window of values narrower than a grid step can be missed
    (as in stability()).
    """

    method: str
    normalization: str | None
    current: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    first: np.ndarray
    value: np.ndarray
    tie: np.ndarray
    rival: np.ndarray
    grid: int

    def table(self) -> list[list[dict | None]]:
        """Per tool, per criterion: {"from", "to", "tie"} (and "rival" for a tool
        now first), or None where no value in the range suffices."""
        rows = []
        for i in range(self.value.shape[0]):
            row = []
            for j in range(self.value.shape[1]):
                if np.isnan(self.value[i, j]):
                    row.append(None)
                    continue
                entry = {
                    "from": float(self.current[i, j]),
                    "to": float(self.value[i, j]),
                    "tie": bool(self.tie[i, j]),
                }
                if self.first[i]:
                    entry["rival"] = int(self.rival[i, j])
                row.append(entry)
            rows.append(row)
        return rows


def what_it_takes(
    matrix,
    weights,
    directions,
    method: str = "wsm",
    normalization: str | None = None,
    *,
    lower=None,
    upper=None,
    grid: int = 201,
    tool_names=None,
    criterion_names=None,
    **options,
) -> WhatItTakes:
    """The value each tool would need on each criterion to rank first.

    Arguments are as for evaluate() with one weight vector (m,). lower, upper:
    (m,) the range each criterion's values may take (a rating's scale), by
    default 0 (or the smallest value, if below) to twice the largest value; they
    are widened to hold the tools' own values. Where the method needs values
    above 0 (WPM; "max" and "sum" on cost criteria) the range starts at
    RESOLUTION of its top instead.
    """
    setup = set_up(locals(), batch=False)
    grid = read_count(grid, "grid", minimum=2)
    problem = setup.problem
    X = problem.matrix
    low, high = _search_range(setup, lower, upper)
    usable = setup.usable(problem.weights > 0)
    setup, factors = setup.tamed(ColumnRange(low, high))
    used, run_options = setup.restrict(usable)
    search = _Search(setup, used, run_options, factors[usable])
    n, m = X.shape
    value = np.full((n, m), np.nan)
    tie = np.zeros((n, m), dtype=bool)
    rival = np.full((n, m), -1)
    for jj, j in enumerate(np.flatnonzero(usable)):
        ts = np.unique(np.concatenate([np.linspace(low[j], high[j], grid), X[:, j]]))
        found = search.nearest(jj, X[:, j], ts, RESOLUTION * (high[j] - low[j]))
        value[:, j], tie[:, j], rival[:, j] = found
    return WhatItTakes(
        setup.method.name,
        setup.normalization,
        X,
        low,
        high,
        search.first,
        value,
        tie,
        rival,
        grid,
    )


def _search_range(setup: Setup, lower, upper) -> tuple[np.ndarray, np.ndarray]:
    """(m,) ends of each criterion's search range, checked and widened."""
    p = setup.problem
    m = p.directions.size
    if lower is None:
        lower = np.minimum(0.0, p.range.lo)
    if upper is None:
        upper = np.maximum(2 * p.range.hi, p.range.hi)
    low, high = (
        as_float_array(lower, "lower"),
        as_float_array(upper, "upper"),
    )
    for name, ends in (("lower", low), ("upper", high)):
        if ends.shape != (m,) or not np.isfinite(ends).all():
            raise EngineError(f"{name} must hold {m} finite numbers, one per criterion")
    low, high = np.minimum(low, p.range.lo), np.maximum(high, p.range.hi)
    kinds = {r.kind for r in setup.requirements}
    needs_positive = np.zeros(m, dtype=bool)
    if "positive" in kinds:
        needs_positive[:] = True
    if "ratio" in kinds:
        needs_positive |= p.directions < 0
        low = np.where(p.directions > 0, np.maximum(low, 0.0), low)
    floor = RESOLUTION * np.abs(high)
    low = np.where(needs_positive & (low < floor), np.minimum(floor, p.range.lo), low)
    return low, high


class _Search:
    """Scores candidate values of one criterion with the rest of the problem fixed."""

    def __init__(self, setup: Setup, problem, options: dict, factors: np.ndarray):
        self.setup, self.problem, self.options = setup, problem, options
        self.factors = factors
        self.prepared = setup.prepare(problem, options)
        self.weights = problem.weights
        # Methods monotone in weigh(U, w) are ranked by that sum, whose other
        # criteria's part stays fixed while one column moves.
        self.utility = setup.method.utility(self.prepared)
        if self.utility is not None:
            part = self.utility * self.weights
            self.rest = part.sum(axis=-1)[None, :] - part.T  # (m, n): all but j
        ranks = competition_ranks(setup.method.keys(self.prepared, self.weights))
        self.first = ranks == 1

    def firsts(self, column: int, tools: np.ndarray, values: np.ndarray):
        """Who ranks first (c, n) and the keys, with tools[k]'s score on `column`
        set to values[k]; chunked to bound memory."""
        n, m = self.problem.matrix.shape
        if len(tools) == 0:
            return np.zeros((0, n), dtype=bool), np.zeros((0, n))
        chunk = max(1, CHUNK_ELEMENTS // (n * m))
        parts = [
            self._firsts(column, tools[s : s + chunk], values[s : s + chunk])
            for s in range(0, len(tools), chunk)
        ]
        return np.concatenate([p[0] for p in parts]), np.concatenate(
            [p[1] for p in parts]
        )

    def _firsts(self, column, tools, values):
        c = len(tools)
        X = self.problem.matrix
        columns = np.repeat(X[None, :, column : column + 1], c, axis=0)
        columns[np.arange(c), tools, 0] = values * self.factors[column]
        keep = np.zeros(X.shape[1], dtype=bool)
        keep[column] = True
        spec = self.setup.method
        options = {
            name: value[keep] if name in spec.per_criterion_options else value
            for name, value in self.options.items()
        }
        with np.errstate(all="ignore"):
            moved = spec.prepare(
                columns,
                self.problem.directions[keep],
                self.setup.normalization,
                None,
                **options,
            )
            if self.utility is not None:
                own = spec.utility(moved)[..., 0] * self.weights[column]
                keys = self.rest[column] + own
            else:
                prepared = tuple(
                    _replace_column(base, part, column, c)
                    for base, part in zip(self.prepared, moved, strict=True)
                )
                keys = spec.keys(prepared, self.weights)
        # a candidate the method cannot score (e.g. min-max on a column that no
        # longer varies) ranks nobody first
        valid = np.isfinite(keys).all(axis=-1, keepdims=True)
        keys = np.where(valid, keys, -np.inf)
        return _leaders(keys) & valid, keys

    def holds(self, column, tools, values):
        """(c,): does tool k's goal hold with its score set to values[k]?

        A tool now first looks for another tool ranked first; any other tool
        for itself ranked first."""
        firsts, _ = self.firsts(column, tools, values)
        own = firsts[np.arange(len(tools)), tools]
        others = firsts.sum(axis=-1) - own > 0
        return np.where(self.first[tools], others, own)

    def nearest(self, column, current, ts, tolerance):
        """Per tool (n,): nearest value reaching its goal, whether it is a tie, rival.

        Every tool is tried at every candidate value ts; on each side of its
        current value the first candidate that reaches the goal and the one
        before it bracket the change, which `_narrow` closes to `tolerance`.
        """
        n = current.size
        tools = np.repeat(np.arange(n), ts.size)
        ok = self.holds(column, tools, np.tile(ts, n)).reshape(n, ts.size)
        good, bad = _brackets(ok, ts, current)
        rows, side = np.nonzero(np.isfinite(good))
        good[rows, side] = self._narrow(
            column, rows, good[rows, side], bad[rows, side], _steps(ts, tolerance)
        )
        distance = np.abs(good - current[:, None])
        best = np.argmin(np.where(np.isnan(distance), np.inf, distance), axis=1)
        value = good[np.arange(n), best]
        tie, rival = self._describe(column, value)
        return value, tie, rival

    def _narrow(self, column, rows, good, bad, steps):
        """Brackets (good passes, bad fails) cut into SPLIT parts per step: the
        passing point nearest the failing end and the point before it are kept,
        so the change nearest the current value is the one followed."""
        fractions = np.arange(1, SPLIT) / SPLIT  # from bad towards good
        for _ in range(steps):
            points = bad[:, None] + (good - bad)[:, None] * fractions
            passes = self.holds(
                column, np.repeat(rows, fractions.size), points.ravel()
            ).reshape(points.shape)
            # the first passing point, or good itself (index SPLIT - 1)
            k = np.where(passes.any(axis=1), passes.argmax(axis=1), fractions.size)
            ends = np.column_stack([bad, points, good])
            picked = np.arange(len(rows))
            good, bad = ends[picked, k + 1], ends[picked, k]
        return good

    def _describe(self, column, value):
        """At each tool's found value: is first place shared, and the rival."""
        n = value.size
        found = np.flatnonzero(~np.isnan(value))
        tie, rival = np.zeros(n, dtype=bool), np.full(n, -1)
        if found.size == 0:
            return tie, rival
        firsts, keys = self.firsts(column, found, value[found])
        # shared: the tool itself is (still) first, and so is another
        tie[found] = firsts[np.arange(found.size), found] & (firsts.sum(axis=-1) > 1)
        keys[np.arange(found.size), found] = -np.inf
        rival[found] = np.where(self.first[found], np.argmax(keys, axis=-1), -1)
        return tie, rival


def _leaders(keys: np.ndarray) -> np.ndarray:
    """(c, n): the keys within RTOL of their row's largest |key| of the best one,
    ties.competition_ranks' rank 1 without its chains of near-ties (which only
    reach a few RTOL further)."""
    top = keys.max(axis=-1, keepdims=True)
    scale = np.abs(np.where(np.isfinite(keys), keys, 0.0)).max(axis=-1, keepdims=True)
    return keys >= top - RTOL * scale


def _brackets(ok: np.ndarray, ts: np.ndarray, current: np.ndarray):
    """(n, 2) passing and failing ends below [:, 0] and above [:, 1]; NaN if none.

    A tool whose goal holds at its own value (a tie for first now) gets it as
    both ends."""
    n = current.size
    good = np.full((n, 2), np.nan)
    bad = np.full((n, 2), np.nan)
    at = np.searchsorted(ts, current)  # current values are among ts
    for i in range(n):
        if ok[i, at[i]]:
            good[i], bad[i] = current[i], current[i]
            continue
        below = np.flatnonzero(ok[i, : at[i]])
        if below.size:
            k = below[-1]
            good[i, 0], bad[i, 0] = ts[k], ts[k + 1]
        above = np.flatnonzero(ok[i, at[i] + 1 :])
        if above.size:
            k = at[i] + 1 + above[0]
            good[i, 1], bad[i, 1] = ts[k], ts[k - 1]
    return good, bad


def _steps(ts: np.ndarray, tolerance: float) -> int:
    """Steps of `_narrow` that close the widest grid gap to `tolerance`."""
    widest = np.diff(ts).max(initial=0.0)
    if widest <= 0 or tolerance <= 0:
        return 0
    return max(0, int(np.ceil(np.log(widest / tolerance) / np.log(SPLIT))))


def _replace_column(base, part, column: int, count: int):
    """A prepared array for `count` candidates: `base` with criterion `column`
    taken from `part` (the moved column, prepared alone). Scalars pass through."""
    if not isinstance(base, np.ndarray):
        return base
    out = np.repeat(base[None], count, axis=0)
    out[..., column] = part[..., 0]
    return out

"""How robust is a ranking? SMAA-2 acceptabilities and weight stability intervals."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .columns import per_column
from .errors import EngineError
from .evaluation import Setup, set_up
from .ties import RTOL, competition_ranks, group_bounds, rank_order
from .validation import (
    ColumnRange,
    Names,
    as_float_array,
    read_count,
    read_number,
    require_finite,
    show,
    usable_criteria,
)

# Samples are scored in chunks of about CHUNK_ELEMENTS keys (8 MiB of float64),
# which keeps memory flat and one matrix product per chunk efficient; the keys
# are then ranked in slices of RANK_ELEMENTS, small enough to stay in cache.
CHUNK_ELEMENTS = 1 << 20
RANK_ELEMENTS = 1 << 17
BISECTION_STEPS = 48


# --- SMAA -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SMAAResult:
    """Stochastic multicriteria acceptability analysis (SMAA-2, Lahdelma &
    Salminen 2001) of n tools on m criteria.

    acceptability (n, n): [i, r] is the share of samples in which tool i ranks
    r + 1. Tools tied in a sample share the positions their tie spans equally
    (two tools tied for 2nd count 1/2 at rank 2 and 1/2 at rank 3), so every row
    and every column sums to 1.
    central_weights (n, m): the mean weight vector of the samples in which the
    tool ranks first (weighted by its share of first place); a row of NaN for a
    tool that never does.
    confidence (n,): SMAA-2's confidence factor, the probability that the tool
    ranks first when the weights are fixed at its central weights and the
    criterion values are drawn from `score_bounds`; with fixed values it is 1 or
    0 (or 1/k for a k-way tie). 0 for tools that never rank first.
    """

    acceptability: np.ndarray
    central_weights: np.ndarray
    confidence: np.ndarray
    method: str
    normalization: str | None
    samples: int
    concentration: float | None


def smaa(
    matrix,
    weights,
    directions,
    method: str = "wsm",
    samples: int = 10_000,
    concentration: float | None = None,
    score_bounds=None,
    seed=0,
    normalization: str | None = None,
    *,
    tool_names=None,
    criterion_names=None,
    **options,
) -> SMAAResult:
    """Rank acceptabilities under uncertain weights (and optionally values).

    Weights are drawn from a Dirichlet distribution centred on `weights` (m,)
    with the given `concentration` (larger: tighter; `survey_concentration`
    turns a survey's sample size into one). None draws uniformly from all weight
    vectors, the classic SMAA-2 case of no weight information. Criteria whose
    weight is 0 stay at 0 in every sample. score_bounds: optional (low, high),
    each broadcastable to the matrix's (n, m); each sample then draws every
    value uniformly between its bounds, and the matrix itself is not used.
    seed: anything numpy.random.default_rng accepts; a fixed seed reproduces
    the result exactly. Other arguments are as for evaluate().

    Samples are scored in chunks of a few megabytes, so memory stays flat
    however many samples are asked for.
    """
    setup = set_up(
        matrix,
        weights,
        directions,
        method,
        normalization,
        options,
        tool_names,
        criterion_names,
        batch=False,
    )
    samples = read_count(samples, "samples")
    if concentration is not None:
        concentration = read_number(concentration, "concentration")
        if concentration <= 0:
            raise EngineError(
                f"concentration must be positive, got {show(concentration)}"
            )
    generator = _read_seed(seed)
    weighted = setup.problem.weights > 0
    bounds = _read_bounds(score_bounds, setup, weighted)
    if bounds is None:
        setup.usable(weighted)
        setup, _ = setup.tamed()
    else:
        setup, factors = setup.tamed(*(ColumnRange.of(bound) for bound in bounds))
        bounds = tuple(per_column(np.multiply, b, factors)[:, weighted] for b in bounds)
    problem, run_options = setup.restrict(weighted)

    n, m = problem.matrix.shape
    alpha = np.ones(m) if concentration is None else concentration * problem.weights
    scorer = _Scorer(setup, problem, run_options, bounds, generator)
    tally = _Tally(n, m)
    for count in _chunks(samples, scorer.elements_per_sample):
        sample_weights = generator.dirichlet(alpha, count)
        tally.add(scorer.keys(count, sample_weights), sample_weights)

    central = tally.central_weights()
    confidence = scorer.confidence(central, samples)
    full_central = np.zeros((n, weighted.size))
    full_central[:, weighted] = central
    full_central[np.isnan(central).any(axis=1)] = np.nan
    return SMAAResult(
        tally.acceptability / samples,
        full_central,
        confidence,
        setup.method.name,
        setup.normalization,
        samples,
        concentration,
    )


def _read_seed(seed) -> np.random.Generator:
    try:
        return np.random.default_rng(seed)
    except (TypeError, ValueError) as exc:
        raise EngineError(f"seed must be an integer or None: {exc}") from None


def _read_bounds(score_bounds, setup: Setup, weighted: np.ndarray):
    """(low, high), each (n, m) float64, or None; checked like the matrix."""
    if score_bounds is None:
        return None
    p = setup.problem
    try:
        low, high = score_bounds
    except (TypeError, ValueError):
        raise EngineError("score_bounds must be a pair (low, high)") from None
    bounds = []
    for bound, what in ((low, "score_bounds low"), (high, "score_bounds high")):
        array = as_float_array(bound, what)
        try:
            array = np.broadcast_to(array, p.matrix.shape).astype(np.float64)
        except ValueError:
            raise EngineError(
                f"{what} must match the matrix shape {p.matrix.shape}, "
                f"got {array.shape}"
            ) from None
        require_finite(array, p.names, what)
        bounds.append(array)
    low, high = bounds
    inverted = np.argwhere(low > high)
    if inverted.size:
        i, j = inverted[0]
        raise EngineError(
            f"score_bounds low is above high for {p.names.tool(i)} on "
            f"{p.names.criterion(j)} ({show(low[i, j])} > {show(high[i, j])})"
        )
    # Values drawn between the bounds must suit the method everywhere: check the
    # lowest and highest reachable value of each criterion.
    reach = ColumnRange(low.min(axis=0), high.max(axis=0))
    usable_criteria(
        setup.requirements, low, reach, p.directions, weighted, p.names, "lower bound "
    )
    return low, high


def _chunks(total: int, elements_per_sample: int):
    """Sizes of successive chunks of samples that hold about CHUNK_ELEMENTS each."""
    size = max(1, CHUNK_ELEMENTS // elements_per_sample)
    for start in range(0, total, size):
        yield min(size, total - start)


class _Scorer:
    """Ranking keys for batches of sampled weights, on fixed or sampled values."""

    def __init__(self, setup: Setup, problem, options, bounds, generator):
        self.method, self.normalization = setup.method, setup.normalization
        self.problem, self.options, self.bounds = problem, options, bounds
        self.generator = generator
        n, m = problem.matrix.shape
        varies = bounds is not None or self.method.scores_need_criteria_axis
        self.elements_per_sample = n * m if varies else n
        self.prepared = None if bounds else setup.prepare(problem, options)

    def _sampled_prepared(self, count: int, extra_axis: bool = False) -> tuple:
        low, high = self.bounds
        shape = (count, 1) + low.shape if extra_axis else (count,) + low.shape
        values = low + (high - low) * self.generator.random(shape)
        return self.method.prepare(
            values, self.problem.directions, self.normalization, **self.options
        )

    def keys(self, count: int, weights: np.ndarray) -> np.ndarray:
        """(count, n) keys, higher is better, one row per sampled weight vector."""
        prepared = (
            self.prepared if self.bounds is None else self._sampled_prepared(count)
        )
        return self.method.keys(prepared, weights)

    def confidence(self, central: np.ndarray, samples: int) -> np.ndarray:
        """SMAA-2 confidence factors (n,) from central weights (n, m); NaN rows: 0."""
        n = central.shape[0]
        tools = np.flatnonzero(~np.isnan(central).any(axis=1))
        confidence = np.zeros(n)
        if tools.size == 0:
            return confidence
        weights = central[tools]
        if self.bounds is None:
            share = _first_place_share(self.method.keys(self.prepared, weights))
            confidence[tools] = share[np.arange(tools.size), tools]
            return confidence
        total = np.zeros(tools.size)
        per_sample = self.elements_per_sample * tools.size
        for count in _chunks(samples, per_sample):
            prepared = self._sampled_prepared(count, extra_axis=True)
            share = _first_place_share(self.method.keys(prepared, weights))
            total += share[:, np.arange(tools.size), tools].sum(axis=0)
        confidence[tools] = total / samples
        return confidence


def _first_place_share(keys: np.ndarray) -> np.ndarray:
    """(..., n): 1/k for each of the k tools tied for the highest key, else 0."""
    top = keys.max(axis=-1, keepdims=True)
    scale = np.abs(keys).max(axis=-1, keepdims=True)
    first = keys >= top - RTOL * scale
    return first / first.sum(axis=-1, keepdims=True)


class _Tally:
    """Running sums over the samples: rank counts and first-place weights."""

    def __init__(self, n: int, m: int):
        self.n = n
        self.counts = np.zeros(n * n, dtype=np.int64)  # [tool, rank - 1], flattened
        self.shares = np.zeros((n, n))  # the same, for samples with ties
        self.first = np.zeros(n)
        self.first_weights = np.zeros((n, m))

    def add(self, keys: np.ndarray, weights: np.ndarray) -> None:
        """Count a chunk: keys (c, n) from weights (c, m), ranked slice by slice."""
        rows = max(1, RANK_ELEMENTS // self.n)
        for start in range(0, len(keys), rows):
            self._add_slice(keys[start : start + rows], weights[start : start + rows])

    def _add_slice(self, keys: np.ndarray, weights: np.ndarray) -> None:
        order, tied = rank_order(keys)
        if tied.any():
            self._add_with_ties(order, tied, weights)
            return
        np.add.at(self.counts, (order * self.n + np.arange(self.n)).ravel(), 1)
        winners = order[:, 0]
        self.first += np.bincount(winners, minlength=self.n)
        np.add.at(self.first_weights, winners, weights)

    def _add_with_ties(self, order, tied, weights) -> None:
        """Tied tools share the positions their tie group spans, equally."""
        n = self.n
        start, end = group_bounds(tied)
        share = 1.0 / (end - start)
        # +share at the group's first position, -share one past its last; the
        # running sum over positions then spreads the share across the group.
        tool = order * (n + 1)
        steps = np.bincount(
            (tool + start).ravel(), weights=share.ravel(), minlength=n * (n + 1)
        ) - np.bincount(
            (tool + end).ravel(), weights=share.ravel(), minlength=n * (n + 1)
        )
        self.shares += np.cumsum(steps.reshape(n, n + 1), axis=1)[:, :n]
        rows, cols = np.nonzero(start == 0)
        winners, winner_share = order[rows, cols], share[rows, cols]
        self.first += np.bincount(winners, weights=winner_share, minlength=n)
        np.add.at(self.first_weights, winners, winner_share[:, None] * weights[rows])

    @property
    def acceptability(self) -> np.ndarray:
        """(n, n) counts: [tool, rank - 1]."""
        return self.counts.reshape(self.n, self.n) + self.shares

    def central_weights(self) -> np.ndarray:
        """(n, m) mean weights of the samples each tool won; NaN rows if none."""
        with np.errstate(invalid="ignore", divide="ignore"):
            central = self.first_weights / self.first[:, None]
        central[self.first == 0] = np.nan
        return central


# --- weight stability --------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Stability:
    """How far each criterion's weight can move before the ranking changes.

    Criterion j's weight w_j is moved over [0, 1] while the other weights are
    rescaled proportionally to keep the sum 1 (if w_j is the only positive
    weight, the others share the rest equally). top_interval[j] = [lo, hi] is
    the range of w_j, containing the current weight, over which the tools now
    ranked first stay first; order_interval[j] the range over which the whole
    ranking stays the same. At an end inside (0, 1) two tools tie. Rows are NaN
    for criteria the method cannot use (they carry weight 0).

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
    names: Names = field(repr=False, default=Names())

    def describe(self) -> list[str]:
        """One plain sentence per criterion."""
        leaders = " and ".join(self.names.tool(i) for i in self.top)
        verb = "stays first" if len(self.top) == 1 else "stay tied first"
        lines = []
        for j, weight in enumerate(self.weights):
            subject = f"{self.names.criterion(j)} (weight {weight:.2f})"
            if np.isnan(self.top_interval[j]).any():
                lines.append(f"{subject}: the method cannot use this criterion.")
                continue
            lines.append(
                f"{subject}: {leaders} {verb} {_span(self.top_interval[j])}; "
                f"the whole order holds {_span(self.order_interval[j])}."
            )
        return lines


def _span(interval: np.ndarray) -> str:
    lo, hi = interval
    if lo <= 0 and hi >= 1:
        return "for any weight of this criterion"
    return f"while its weight is between {lo:.3f} and {hi:.3f}"


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
    setup = set_up(
        matrix,
        weights,
        directions,
        method,
        normalization,
        options,
        tool_names,
        criterion_names,
        batch=False,
    )
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
    return Stability(
        spec.name,
        setup.normalization,
        full.weights,
        ranks,
        np.flatnonzero(ranks == 1),
        top_interval,
        order_interval,
        utility is not None,
        full.names,
    )


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

"""SMAA-2: how often each tool takes each rank when the weights are uncertain.

smaa() draws weight vectors (and optionally criterion values), ranks the tools
for every sample and counts (Lahdelma & Salminen 2001); smaa_merge joins the
chunks of one study run separately.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .columns import per_column
from .errors import EngineError, gettext_noop
from .problem import Setup, set_up
from .ties import RTOL, group_bounds, rank_order
from .validation import (
    ColumnRange,
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
    setup = set_up(locals(), batch=False)
    samples = read_count(samples, "samples")
    concentration = _read_concentration(concentration)
    generator = _read_seed(seed)
    weighted = setup.problem.weights > 0
    setup, bounds = _tamed_with_bounds(setup, score_bounds, weighted)
    problem, run_options = setup.restrict(weighted)
    scorer = _Scorer(setup, problem, run_options, bounds, generator)
    tally = _tally_samples(scorer, concentration, samples)
    central = tally.central_weights()
    return SMAAResult(
        tally.acceptability / samples,
        _on_every_criterion(central, weighted),
        scorer.confidence(central, samples),
        setup.method.name,
        setup.normalization,
        samples,
        concentration,
    )


def _read_concentration(concentration) -> float | None:
    if concentration is None:
        return None
    concentration = read_number(concentration, "concentration")
    if concentration <= 0:
        raise EngineError(
            gettext_noop("concentration must be positive, got %(value)s"),
            {"value": show(concentration)},
        )
    return concentration


def _tamed_with_bounds(
    setup: Setup, score_bounds, weighted: np.ndarray
) -> tuple[Setup, tuple | None]:
    """The setup with extreme criteria rescaled (Setup.tamed), and the checked
    bounds (low, high) rescaled alike and cut to the weighted criteria, or None."""
    bounds = _read_bounds(score_bounds, setup, weighted)
    if bounds is None:
        setup.usable(weighted)
        return setup.tamed()[0], None
    setup, factors = setup.tamed(*(ColumnRange.of(bound) for bound in bounds))
    return setup, tuple(
        per_column(np.multiply, bound, factors)[:, weighted] for bound in bounds
    )


def _tally_samples(
    scorer: _Scorer, concentration: float | None, samples: int
) -> _Tally:
    """Draw `samples` weight vectors chunk by chunk and tally the ranks they give."""
    n, m = scorer.problem.matrix.shape
    alpha = (
        np.ones(m) if concentration is None else concentration * scorer.problem.weights
    )
    tally = _Tally(n, m)
    for count in _chunks(samples, scorer.elements_per_sample):
        sample_weights = scorer.generator.dirichlet(alpha, count)
        tally.add(scorer.keys(count, sample_weights), sample_weights)
    return tally


def _on_every_criterion(central: np.ndarray, weighted: np.ndarray) -> np.ndarray:
    """Central weights (n, m_used) spread back over all m criteria: 0 where a
    criterion carries no weight, whole rows of NaN for tools never first."""
    full = np.zeros((central.shape[0], weighted.size))
    full[:, weighted] = central
    full[np.isnan(central).any(axis=1)] = np.nan
    return full


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

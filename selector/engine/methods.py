"""The five ranking methods, each split into a weight-free and a weighted step.

`prepare` does everything that does not depend on the weights (normalising,
distances to the ideal, pairwise preference flows) and returns a tuple of
per-criterion arrays of shape (..., n, m). `score` then combines them with
weights of shape (..., m) into scores (..., n), almost always through one matrix
product (`weigh`), which is what lets k weight vectors, or 10,000 SMAA samples,
be scored without a Python loop. Leading axes broadcast: prepared arrays
(n, m) with weights (k, m) give (k, n); (c, n, m) with (c, m) pair up.

Weights reaching these functions are non-negative and sum to 1 per vector.
"""

from __future__ import annotations

import numpy as np

from .columns import per_column
from .errors import EngineError
from .normalize import REQUIREMENTS as NORMALIZATION_REQUIREMENTS
from .normalize import fit, normalize
from .ties import RTOL
from .validation import (
    ColumnRange,
    Names,
    Requirement,
    read_fraction,
    read_thresholds,
    show,
)


def weigh(per_criterion: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """sum_j w_j a_ij: per_criterion (..., n, m) with weights (..., m) -> (..., n)."""
    if weights.ndim == 1:
        return per_criterion @ weights
    if per_criterion.ndim == 2:
        return weights @ per_criterion.T
    return (per_criterion @ weights[..., None])[..., 0]


def _times_weights(per_criterion: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """w_j a_ij for every tool: (..., n, m) with weights (..., m)."""
    if weights.ndim == 1:
        return per_column(np.multiply, per_criterion, weights)
    return weights[..., None, :] * per_criterion


def _spread(values: np.ndarray) -> np.ndarray:
    """(x - min) / (max - min) along the last axis; 0 where all values tie."""
    low = values.min(axis=-1, keepdims=True)
    span = values.max(axis=-1, keepdims=True) - low
    flat = span <= RTOL * np.abs(values).max(axis=-1, keepdims=True)
    return np.where(flat, 0.0, (values - low) / np.where(flat, 1.0, span))


class Method:
    """Interface and defaults shared by the five methods."""

    name: str
    label: str
    default_normalization: str | None
    normalizations: tuple[str | None, ...]
    lower_is_better = False
    requirements: tuple[Requirement, ...] = ()
    options: dict[str, object] = {}
    per_criterion_options: tuple[str, ...] = ()
    scores_need_criteria_axis = False  # score() builds (k, n, m) arrays, not (k, n)

    def requirements_for(self, normalization: str | None) -> tuple[Requirement, ...]:
        """What every weighted criterion must satisfy under this normalisation."""
        return self.requirements + NORMALIZATION_REQUIREMENTS.get(normalization, ())

    def read_options(self, options: dict, m: int, names: Names) -> dict:
        """Check the keyword options; return them complete with defaults."""
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            takes = ", ".join(repr(name) for name in self.options) or "no options"
            raise EngineError(
                f"unknown option {unknown[0]!r} for method {self.name!r}; "
                f"it takes {takes}"
            )
        return {**self.options, **options}

    def prepare(self, X, directions, normalization, rng=None, **options) -> tuple:
        raise NotImplementedError

    def score(self, prepared: tuple, weights: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def keys(self, prepared: tuple, weights: np.ndarray) -> np.ndarray:
        """Scores oriented so that higher is better, for ranking."""
        scores = self.score(prepared, weights)
        return -scores if self.lower_is_better else scores

    def details(self, prepared: tuple, weights: np.ndarray, scores: np.ndarray) -> dict:
        """Intermediate results worth showing (distances, flows, S and R)."""
        return {}

    def contributions(self, prepared, weights, scores) -> np.ndarray | None:
        """Each criterion's share of each score, (..., n, m); None if there is none."""
        return None

    def utility(self, prepared: tuple) -> np.ndarray | None:
        """U (n, m) when scores rise with weigh(U, w) alone, else None.

        Such methods are linear in the weights up to a monotone map, which makes
        their weight stability intervals exact.
        """
        return None


class WeightedSum(Method):
    """Weighted sum model: s_i = sum_j w_j r_ij (Fishburn 1967)."""

    name, label = "wsm", "WSM"
    default_normalization = "minmax"
    normalizations = ("minmax", "vector", "sum", "max")

    def prepare(self, X, directions, normalization, rng=None, **options):
        return (normalize(normalization, X, directions, rng),)

    def score(self, prepared, weights):
        return weigh(prepared[0], weights)

    def contributions(self, prepared, weights, scores):
        """w_j r_ij: sums over the criteria to the score."""
        return _times_weights(prepared[0], weights)

    def utility(self, prepared):
        return prepared[0]


class WeightedProduct(Method):
    """Weighted product model: s_i = prod_j r_ij ** w_j (Bridgman 1922;
    Triantaphyllou 2000, ch. 2). With "max" or "sum" normalisation the ratio
    s_k / s_l equals the textbook P(A_k / A_l)."""

    name, label = "wpm", "WPM"
    default_normalization = "max"
    normalizations = ("max", "sum", "vector")
    requirements = (
        Requirement(
            "positive", "WPM multiplies ratios of values, so they must be positive"
        ),
    )

    def prepare(self, X, directions, normalization, rng=None, **options):
        return (np.log(normalize(normalization, X, directions, rng)),)

    def score(self, prepared, weights):
        return np.exp(weigh(prepared[0], weights))

    def contributions(self, prepared, weights, scores):
        """w_j ln r_ij: the split of ln(score), which is additive; all <= 0 under
        "max" normalisation, and closer to 0 is better."""
        return _times_weights(prepared[0], weights)

    def utility(self, prepared):
        return prepared[0]


class TOPSIS(Method):
    """TOPSIS (Hwang & Yoon 1981): closeness C = D- / (D+ + D-), where D+ and D-
    are Euclidean distances of the weighted normalised values to the ideal and
    anti-ideal tool."""

    name, label = "topsis", "TOPSIS"
    default_normalization = "vector"
    normalizations = ("vector", "minmax", "sum", "max")

    def prepare(self, X, directions, normalization, rng=None, **options):
        """Squared per-criterion gaps to the ideal and the anti-ideal, (..., n, m)
        each, and the factor (..., m) that turns them into normalised units.

        Weights are non-negative, so the weighted ideal is the weight times the
        best normalised value and D+^2 = sum_j w_j^2 (r_ij - best_j)^2: the
        weights can wait until `score`. A normalisation maps g(x) (x, or 1/x)
        linearly, r = (g - shift) * scale + offset, so r - best = (g - g_best) *
        scale, and scale^2 joins the weights.
        """
        rng = rng or ColumnRange.of(X)
        transform = fit(normalization, X, directions, rng)
        ends = transform.inner(np.stack([rng.lo, rng.hi], axis=-2))  # g at the extremes
        g_low, g_high = (
            ends.min(axis=-2, keepdims=True),
            ends.max(axis=-2, keepdims=True),
        )
        rising = transform.scale > 0
        g = transform.inner(X)
        gap_to_ideal = per_column(np.subtract, g, np.where(rising, g_high, g_low))
        gap_to_anti_ideal = per_column(np.subtract, g, np.where(rising, g_low, g_high))
        np.square(gap_to_ideal, out=gap_to_ideal)
        np.square(gap_to_anti_ideal, out=gap_to_anti_ideal)
        return gap_to_ideal, gap_to_anti_ideal, (transform.scale**2)[..., 0, :]

    def distances(self, prepared, weights):
        """Distances (..., n) to the ideal and the anti-ideal tool."""
        squared = weights * weights * prepared[2]
        to_ideal, to_anti_ideal = (
            weigh(prepared[0], squared),
            weigh(prepared[1], squared),
        )
        return np.sqrt(to_ideal, out=to_ideal), np.sqrt(
            to_anti_ideal, out=to_anti_ideal
        )

    def score(self, prepared, weights):
        total, closeness = self.distances(prepared, weights)
        total += closeness
        with np.errstate(invalid="ignore", divide="ignore"):
            closeness /= total
        if not total.all():
            # Both distances are 0 only if every tool is identical on the weighted
            # criteria; such a tool is as close to the ideal as to the anti-ideal.
            closeness[total == 0] = 0.5
        return closeness

    def details(self, prepared, weights, scores):
        to_ideal, to_anti_ideal = self.distances(prepared, weights)
        return {"distance_to_ideal": to_ideal, "distance_to_anti_ideal": to_anti_ideal}

    def contributions(self, prepared, weights, scores):
        """C_i * w_j^2 (r_ij - worst_j)^2 / (D-_i)^2.

        Criterion j's share of how far the tool stands from the anti-ideal (its
        share of the squared distance D-^2), scaled so a row sums to the
        closeness C. A criterion on which the tool is the worst gets 0.
        """
        pushed = (weights * weights * prepared[2])[..., None, :] * prepared[1]
        total = pushed.sum(axis=-1, keepdims=True)
        share = np.divide(pushed, total, out=np.zeros_like(pushed), where=total > 0)
        return share * scores[..., None]


class VIKOR(Method):
    """VIKOR (Opricovic & Tzeng 2004, 2007): Q = v (S - S*)/(S- - S*) +
    (1 - v)(R - R*)/(R- - R*), lower is better, with S the weighted sum and R the
    largest weighted normalised gap to the best value. Its own linear
    normalisation is min-max; a term whose range is 0 counts as 0."""

    name, label = "vikor", "VIKOR"
    default_normalization = "minmax"
    normalizations = ("minmax",)
    lower_is_better = True
    scores_need_criteria_axis = True
    requirements = (
        Requirement(
            "varies",
            "VIKOR has no gap between its best and worst value to divide by",
        ),
    )
    options = {"v": 0.5}

    def read_options(self, options, m, names):
        options = super().read_options(options, m, names)
        return {"v": read_fraction(options["v"], "v")}

    def prepare(self, X, directions, normalization, rng=None, **options):
        """Gaps (f*_j - f_ij) / (f*_j - f-_j): min-max with directions reversed."""
        return (normalize("minmax", X, -directions, rng), options["v"])

    def regrets(self, prepared, weights):
        gaps = prepared[0]
        group_utility = weigh(gaps, weights)
        individual_regret = _times_weights(gaps, weights).max(axis=-1)
        return group_utility, individual_regret

    def score(self, prepared, weights):
        v = prepared[1]
        S, R = self.regrets(prepared, weights)
        return v * _spread(S) + (1 - v) * _spread(R)

    def details(self, prepared, weights, scores):
        S, R = self.regrets(prepared, weights)
        return {"S": S, "R": R, "compromise": _compromise(scores, S, R)}


def _compromise(Q: np.ndarray, S: np.ndarray, R: np.ndarray) -> np.ndarray:
    """Boolean (..., n): VIKOR's compromise set (Opricovic & Tzeng 2004, step 5).

    a1 is the lowest Q. C1 "acceptable advantage": Q(a2) - Q(a1) >= DQ = 1/(n-1).
    C2 "acceptable stability": a1 is also best by S or by R. Both hold: {a1}; only
    C2 fails: {a1, a2}; C1 fails: every tool with Q - Q(a1) < DQ.
    """
    n = Q.shape[-1]
    dq = 1.0 / (n - 1)
    order = np.argsort(Q, axis=-1)
    a1, a2 = order[..., :1], order[..., 1:2]
    q1 = np.take_along_axis(Q, a1, axis=-1)
    q2 = np.take_along_axis(Q, a2, axis=-1)
    advantage = q2 - q1 >= dq - RTOL

    def best_by(values):
        own = np.take_along_axis(values, a1, axis=-1)
        low = values.min(axis=-1, keepdims=True)
        return own - low <= RTOL * np.abs(values).max(axis=-1, keepdims=True)

    stable = best_by(S) | best_by(R)
    position = np.argsort(order, axis=-1)  # where each tool stands by Q
    close = Q - q1 < dq - RTOL
    return np.where(advantage, np.where(stable, position == 0, position <= 1), close)


PREFERENCES = ("usual", "ushape", "vshape", "level", "linear")


class PrometheeII(Method):
    """PROMETHEE II (Brans & Vincke 1985; Brans & Mareschal 2005): net outranking
    flow phi = phi+ - phi-, each flow averaged over the n - 1 other tools.

    Preference functions of the difference d on a criterion, with modern (q, p)
    thresholds in the criterion's own units: "usual" 1 if d > 0; "ushape" 1 if
    d > q; "vshape" d/p up to p; "level" 1/2 for q < d <= p, 1 above;
    "linear" (d - q)/(p - q) for q < d <= p, 1 above.
    """

    name, label = "promethee2", "PROMETHEE II"
    default_normalization = None
    normalizations = (None,)
    options = {"preference": "usual", "q": None, "p": None}
    per_criterion_options = ("q", "p")

    def read_options(self, options, m, names):
        options = super().read_options(options, m, names)
        preference = options["preference"]
        if not isinstance(preference, str) or preference not in PREFERENCES:
            raise EngineError(
                f"preference must be one of {', '.join(PREFERENCES)}; "
                f"got {preference!r}"
            )
        needs = {"usual": (), "ushape": ("q",), "vshape": ("p",)}.get(
            preference, ("q", "p")
        )
        for threshold in ("q", "p"):
            given = options[threshold] is not None
            if given != (threshold in needs):
                verb = "needs" if threshold in needs else "takes no"
                raise EngineError(
                    f"preference {preference!r} {verb} threshold {threshold} "
                    "(one number, or one per criterion)"
                )
        zero = np.zeros(m)
        q = read_thresholds(options["q"], "q", m, names) if "q" in needs else zero
        p = read_thresholds(options["p"], "p", m, names) if "p" in needs else zero
        if preference == "ushape":
            p = q
        bad = np.flatnonzero(q > p)
        if bad.size:
            j = bad[0]
            raise EngineError(
                f"q must not exceed p, but {names.criterion(j)} has q={show(q[j])} "
                f"and p={show(p[j])}"
            )
        return {"preference": preference, "q": q, "p": p}

    def prepare(self, X, directions, normalization, rng=None, **options):
        plus, minus = unicriterion_flows(
            per_column(np.multiply, X, directions),
            options["q"],
            options["p"],
            level=options["preference"] == "level",
        )
        return plus, minus, plus - minus

    def score(self, prepared, weights):
        return weigh(prepared[2], weights)

    def details(self, prepared, weights, scores):
        return {
            "positive_flow": weigh(prepared[0], weights),
            "negative_flow": weigh(prepared[1], weights),
        }

    def contributions(self, prepared, weights, scores):
        """w_j phi_j(a): each criterion's net flow, weighted; sums to phi(a)."""
        return _times_weights(prepared[2], weights)

    def utility(self, prepared):
        return prepared[2]


def unicriterion_flows(
    values: np.ndarray, q: np.ndarray, p: np.ndarray, *, level: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Per-criterion leaving and entering flows, each (..., n, m), without n x n tables.

    `values` (..., n, m) are oriented so that more is better. For tool a on one
    criterion, phi+(a) = sum_b P(x_a - x_b) / (n - 1): with the values sorted and
    prefix-summed, the b fully preferred (d > p) and those in the linear band
    (q < d <= p) are counted and summed by binary search, O(n log n) per criterion
    instead of O(n^2) (the idea of Calders & Van Assche 2018, "PROMETHEE is not
    quadratic"). phi-(a) mirrors it with d = x_b - x_a.
    """
    n = values.shape[-2]
    x = np.moveaxis(values, -1, -2)  # (..., m, n): one row per criterion
    ordered = np.sort(x, axis=-1)
    prefix = np.zeros(ordered.shape[:-1] + (n + 1,))
    np.cumsum(ordered, axis=-1, out=prefix[..., 1:])
    q, p = q[:, None], p[:, None]

    def band(lower, upper, side):
        """How many b, and the sum of their x_b, with lower < x_b <= upper ('right')
        or lower <= x_b < upper ('left')."""
        start = _searchsorted_rows(ordered, lower, side)
        stop = _searchsorted_rows(ordered, upper, side)
        total = np.take_along_axis(prefix, stop, -1) - np.take_along_axis(
            prefix, start, -1
        )
        return start, stop, stop - start, total

    width = p - q
    # Leaving flow: b with x_b < x_a - p are beaten fully, x_a - p <= x_b < x_a - q
    # partly.
    beaten, _, count, total = band(x - p, x - q, "left")
    partial = 0.5 * count if level else _band(count * (x - q) - total, width, count)
    plus = beaten + partial
    # Entering flow: b with x_b > x_a + p fully beat a; x_a + q < x_b <= x_a + p partly.
    _, stop, count, total = band(x + q, x + p, "right")
    partial = 0.5 * count if level else _band(total - count * (x + q), width, count)
    minus = (n - stop) + partial
    return (np.moveaxis(plus, -1, -2) / (n - 1), np.moveaxis(minus, -1, -2) / (n - 1))


def _band(excess: np.ndarray, width: np.ndarray, count: np.ndarray) -> np.ndarray:
    """sum of (d - q) / (p - q) over the band: excess / width, 0 where the band has
    no width (usual and U-shape). Each term lies in (0, 1], so the sum is clipped
    to [0, count] against rounding when the width is tiny next to the values."""
    width = np.broadcast_to(width, excess.shape)
    with np.errstate(over="ignore"):
        share = np.divide(excess, width, out=np.zeros_like(excess), where=width > 0)
    return np.clip(share, 0, count, out=share)


def _searchsorted_rows(
    ordered: np.ndarray, queries: np.ndarray, side: str
) -> np.ndarray:
    """np.searchsorted row by row: ordered (..., n) sorted, queries (..., k)."""
    n = ordered.shape[-1]
    rows, asked = ordered.reshape(-1, n), queries.reshape(-1, queries.shape[-1])
    found = np.empty(asked.shape, dtype=np.intp)
    for r in range(rows.shape[0]):
        found[r] = np.searchsorted(rows[r], asked[r], side=side)
    return found.reshape(queries.shape)


METHODS: dict[str, Method] = {
    method.name: method
    for method in (WeightedSum(), WeightedProduct(), TOPSIS(), VIKOR(), PrometheeII())
}

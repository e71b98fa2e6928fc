"""WSM, WPM, TOPSIS and VIKOR, and METHODS, the registry of all five methods.

Each is a `base.Method`; PROMETHEE II, with its preference functions, lives in
promethee.py.
"""

from __future__ import annotations

import numpy as np

from .base import Method, times_weights, weigh
from .columns import per_column
from .errors import gettext_noop
from .normalize import fit, normalize
from .promethee import PrometheeII
from .ties import RTOL
from .validation import ColumnRange, Requirement, read_fraction


def _spread(values: np.ndarray) -> np.ndarray:
    """(x - min) / (max - min) along the last axis; 0 where all values tie."""
    low = values.min(axis=-1, keepdims=True)
    span = values.max(axis=-1, keepdims=True) - low
    flat = span <= RTOL * np.abs(values).max(axis=-1, keepdims=True)
    return np.where(flat, 0.0, (values - low) / np.where(flat, 1.0, span))


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
        return times_weights(prepared[0], weights)

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
            "positive",
            gettext_noop(
                "WPM multiplies ratios of values, so they must be positive, but tool "
                "%(tool)s has %(value)s on criterion %(criterion)s; rescale it or set "
                "its weight to 0"
            ),
        ),
    )

    def prepare(self, X, directions, normalization, rng=None, **options):
        return (np.log(normalize(normalization, X, directions, rng)),)

    def score(self, prepared, weights):
        return np.exp(weigh(prepared[0], weights))

    def contributions(self, prepared, weights, scores):
        """w_j ln r_ij: the split of ln(score), which is additive; all <= 0 under
        "max" normalisation, and closer to 0 is better."""
        return times_weights(prepared[0], weights)

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
            gettext_noop(
                "criterion %(criterion)s has the same value (%(value)s) for every "
                "tool, so VIKOR has no gap between its best and worst value to divide "
                "by; remove it or set its weight to 0"
            ),
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
        individual_regret = times_weights(gaps, weights).max(axis=-1)
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


METHODS: dict[str, Method] = {
    method.name: method
    for method in (WeightedSum(), WeightedProduct(), TOPSIS(), VIKOR(), PrometheeII())
}

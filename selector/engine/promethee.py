"""PROMETHEE II: net outranking flows, with its five preference functions."""

from __future__ import annotations

import numpy as np

from .base import Method, times_weights, weigh
from .columns import per_column
from .errors import EngineError, gettext_noop
from .validation import read_thresholds, show

# the preference functions PrometheeII describes, by name
PREFERENCES = ("usual", "ushape", "vshape", "level", "linear")
# _searchsorted_rows compares all at once up to this many value-query pairs
BROADCAST_ELEMENTS = 1 << 22


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
                gettext_noop("preference must be one of %(choices)s; got %(value)s"),
                {"choices": ", ".join(PREFERENCES), "value": repr(preference)},
            )
        needs = {"usual": (), "ushape": ("q",), "vshape": ("p",)}.get(
            preference, ("q", "p")
        )
        for threshold in ("q", "p"):
            given = options[threshold] is not None
            if given != (threshold in needs):
                raise EngineError(
                    gettext_noop(
                        "preference %(preference)s needs threshold %(threshold)s "
                        "(one number, or one per criterion)"
                    )
                    if threshold in needs
                    else gettext_noop(
                        "preference %(preference)s takes no threshold %(threshold)s "
                        "(one number, or one per criterion)"
                    ),
                    {"preference": repr(preference), "threshold": threshold},
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
                gettext_noop(
                    "q must not exceed p, but criterion %(criterion)s has q=%(q)s "
                    "and p=%(p)s"
                ),
                {
                    "criterion": names.criterion_label(j),
                    "q": show(q[j]),
                    "p": show(p[j]),
                },
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
        return times_weights(prepared[2], weights)

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
    """np.searchsorted row by row: ordered (..., n) sorted, queries (..., k).

    Many short rows (what_it_takes() moving one tool's score) are counted by
    comparing every query with every value at once: a loop over rows would cost
    more than the comparisons."""
    n = ordered.shape[-1]
    rows, asked = ordered.reshape(-1, n), queries.reshape(-1, queries.shape[-1])
    if rows.shape[0] > 1 and rows.size * asked.shape[-1] <= BROADCAST_ELEMENTS:
        compare = np.less if side == "left" else np.less_equal
        below = compare(rows[:, None, :], asked[:, :, None])
        return below.sum(axis=-1, dtype=np.intp).reshape(queries.shape)
    found = np.empty(asked.shape, dtype=np.intp)
    for r in range(rows.shape[0]):
        found[r] = np.searchsorted(rows[r], asked[r], side=side)
    return found.reshape(queries.shape)

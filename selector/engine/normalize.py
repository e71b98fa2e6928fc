"""Normalisations: put every criterion on a common scale on which more is better.

Each one is a per-criterion monotone map fitted on the tools' values
(Hwang & Yoon 1981, ch. 3; cost criteria as in pymcdm and pyDecision):

==========  ===========================  ===============================
name        benefit criterion            cost criterion
==========  ===========================  ===============================
"minmax"    (x - min) / (max - min)      (max - x) / (max - min)
"vector"    x / ||x||                    1 - x / ||x||
"max"       x / max                      min / x
"sum"       x / sum(x)                   (1/x) / sum(1/x)
==========  ===========================  ===============================

"max" and "sum" treat values as ratios: they need values >= 0, and > 0 on cost
criteria. Arrays may carry leading batch axes: matrices are (..., n, m) and every
statistic is taken over the tools axis (-2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .columns import per_column
from .errors import gettext_noop
from .validation import ColumnRange, Requirement

REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {
    "minmax": (
        Requirement(
            "varies",
            gettext_noop(
                "criterion %(criterion)s has the same value (%(value)s) for every "
                "tool, so min-max normalization has no range to divide by; remove it "
                "or set its weight to 0"
            ),
        ),
    ),
    "vector": (
        Requirement(
            "not_all_zero",
            gettext_noop(
                "criterion %(criterion)s is 0 for every tool, so vector normalization "
                "has no length to divide by; remove it or set its weight to 0"
            ),
        ),
    ),
    "max": (
        Requirement(
            "ratio",
            gettext_noop(
                "'max' normalization treats values as ratios, so they must be >= 0 "
                "(> 0 for cost criteria), but tool %(tool)s has %(value)s on "
                "criterion %(criterion)s; rescale it or set its weight to 0"
            ),
        ),
        Requirement(
            "not_all_zero",
            gettext_noop(
                "criterion %(criterion)s is 0 for every tool, so 'max' normalization "
                "has no maximum to divide by; remove it or set its weight to 0"
            ),
        ),
    ),
    "sum": (
        Requirement(
            "ratio",
            gettext_noop(
                "'sum' normalization treats values as ratios, so they must be >= 0 "
                "(> 0 for cost criteria), but tool %(tool)s has %(value)s on "
                "criterion %(criterion)s; rescale it or set its weight to 0"
            ),
        ),
        Requirement(
            "not_all_zero",
            gettext_noop(
                "criterion %(criterion)s is 0 for every tool, so 'sum' normalization "
                "has no total to divide by; remove it or set its weight to 0"
            ),
        ),
    ),
}
NORMALIZATIONS = tuple(REQUIREMENTS)


@dataclass(frozen=True)
class ColumnTransform:
    """r = (g(x) - shift) * scale + offset, criterion by criterion.

    g(x) is 1/x on the `reciprocal` criteria (shape (m,)) and x elsewhere;
    `shift`, `scale` and `offset` have shape (..., 1, m) so they broadcast over
    the tools axis of an (..., n, m) matrix.
    """

    shift: np.ndarray
    scale: np.ndarray
    offset: np.ndarray
    reciprocal: np.ndarray

    def __call__(self, values: np.ndarray) -> np.ndarray:
        """Normalise `values` (..., n, m); always returns a new array."""
        out = per_column(np.subtract, self.inner(values), self.shift)
        per_column(np.multiply, out, self.scale, out=out)
        if self.offset.any():
            per_column(np.add, out, self.offset, out=out)
        return out

    def inner(self, values: np.ndarray) -> np.ndarray:
        """g(values): 1/x on the reciprocal criteria; `values` itself if none."""
        if not self.reciprocal.any():
            return values
        g = np.array(values, dtype=np.float64)
        g[..., self.reciprocal] = 1.0 / values[..., self.reciprocal]
        return g


def fit(
    kind: str,
    X: np.ndarray,
    directions: np.ndarray,
    rng: ColumnRange | None = None,
) -> ColumnTransform:
    """Fit normalisation `kind` on X (..., n, m) with directions (m,) of +1/-1.

    `rng` may pass the column minima and maxima (shape (..., m)) when the
    caller already has them, to save two passes over a large matrix.
    """
    rng = rng or ColumnRange.of(X)
    lo, hi = rng.lo[..., None, :], rng.hi[..., None, :]
    benefit = directions > 0
    zeros = np.zeros_like(lo)
    no_reciprocal = np.zeros(directions.shape, dtype=bool)
    if kind == "minmax":
        return ColumnTransform(
            np.where(benefit, lo, hi), directions / (hi - lo), zeros, no_reciprocal
        )
    if kind == "vector":
        length = np.sqrt(np.einsum("...ij,...ij->...j", X, X))[..., None, :]
        return ColumnTransform(
            zeros,
            directions / length,
            np.where(benefit, 0.0, 1.0) + zeros,
            no_reciprocal,
        )
    cost = ~benefit
    if kind == "max":
        return ColumnTransform(zeros, np.where(benefit, 1.0 / hi, lo), zeros, cost)
    if kind == "sum":
        inverse_total = (1.0 / X[..., cost]).sum(axis=-2)
        total = X.sum(axis=-2, keepdims=True)
        scale = 1.0 / total
        scale[..., 0, cost] = 1.0 / inverse_total
        return ColumnTransform(zeros, scale, zeros, cost)
    raise AssertionError(kind)


def normalize(
    kind: str, X: np.ndarray, directions: np.ndarray, rng: ColumnRange | None = None
) -> np.ndarray:
    """X (..., n, m) normalised with `kind`; more is better on every criterion."""
    return fit(kind, X, directions, rng)(X)

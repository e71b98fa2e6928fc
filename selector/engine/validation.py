"""Reading and checking engine input.

Every reader turns bad input into an `EngineError` whose message names the tool,
the criterion and the value at fault, so callers can show it to a person as is.
Tools and criteria are named by `Names`: their given names when there are any,
otherwise their 0-based index.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from .columns import extremes
from .errors import EngineError, gettext_noop

NUMERIC_KINDS = "biuf"  # bool, signed and unsigned int, float
NEGLIGIBLE = 2.0**-600


def show(value) -> str:
    """A number as a person reads it in a message: 3.0, not np.float64(3.0)."""
    return repr(float(value))


def plain(value) -> str:
    """Any value as a person reads it: numpy scalars as the Python values they hold."""
    return repr(value.item() if isinstance(value, np.generic) else value)


@dataclass(frozen=True)
class Names:
    """Optional display names of the tools (rows) and criteria (columns)."""

    tools: tuple[str, ...] | None = None
    criteria: tuple[str, ...] | None = None

    def tool(self, i: int) -> str:
        return f"tool {self.tool_label(i)}"

    def criterion(self, j: int) -> str:
        return f"criterion {self.criterion_label(j)}"

    def tool_label(self, i: int) -> str:
        """The tool's quoted name, or its index: what follows "tool " in a message."""
        return repr(self.tools[i]) if self.tools else str(i)

    def criterion_label(self, j: int) -> str:
        return repr(self.criteria[j]) if self.criteria else str(j)

    def select(self, columns: np.ndarray) -> Names:
        """The names left after keeping only `columns` (a boolean mask)."""
        if self.criteria is None:
            return self
        kept = tuple(
            name for name, keep in zip(self.criteria, columns, strict=True) if keep
        )
        return Names(self.tools, kept)


def read_names(names, count: int, what: str) -> tuple[str, ...] | None:
    """`names` as a tuple of `count` strings, or None when not given."""
    if names is None:
        return None
    if isinstance(names, (str, bytes)):
        raise EngineError(f"{what} must be a list of {count} names, not one string")
    try:
        names = tuple(str(name) for name in names)
    except TypeError:
        raise EngineError(f"{what} must be a list of {count} names") from None
    if len(names) != count:
        raise EngineError(f"{what} must have {count} names, got {len(names)}")
    return names


def as_float_array(value, what: str) -> np.ndarray:
    """`value` as a float64 array (no copy when it already is one)."""
    try:
        raw = np.asarray(value)
        if raw.dtype.kind in NUMERIC_KINDS:
            return raw.astype(np.float64, copy=False)
        if raw.dtype.kind == "O":  # e.g. Decimal or Fraction entries
            return raw.astype(np.float64)
    except (TypeError, ValueError, OverflowError) as exc:
        raise EngineError(f"{what} must be an array of numbers: {exc}") from None
    raise EngineError(f"{what} must hold numbers, got values of type {raw.dtype}")


def read_matrix(matrix) -> np.ndarray:
    """The decision matrix as float64, shape (n tools, m criteria), n >= 2, m >= 1."""
    X = as_float_array(matrix, "matrix")
    if X.ndim != 2:
        raise EngineError(f"matrix must be 2-D (tools x criteria), got shape {X.shape}")
    n, m = X.shape
    if n < 2:
        raise EngineError(
            gettext_noop("need at least 2 tools to rank, got %(count)s"), {"count": n}
        )
    if m < 1:
        raise EngineError(gettext_noop("need at least 1 criterion, got 0"))
    return X


def require_finite(X: np.ndarray, names: Names, what: str = "matrix") -> None:
    """Raise for the first NaN or infinity in an (n, m) array."""
    bad = np.argwhere(~np.isfinite(X))
    if bad.size:
        i, j = bad[0]
        raise EngineError(
            gettext_noop(
                "%(what)s has %(value)s for tool %(tool)s on criterion %(criterion)s; "
                "every value must be a finite number"
            ),
            {
                "what": what,
                "value": show(X[i, j]),
                "tool": names.tool_label(i),
                "criterion": names.criterion_label(j),
            },
        )


@dataclass(frozen=True)
class ColumnRange:
    """Smallest and largest value of each criterion, shape (m,) each."""

    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def of(cls, X: np.ndarray) -> ColumnRange:
        return cls(*extremes(X))

    @property
    def finite(self) -> bool:
        # min/max propagate NaN and reach +-inf: true iff every value is finite
        return bool(np.isfinite(self.lo).all() and np.isfinite(self.hi).all())


def read_weights(weights, m: int, names: Names, *, batch: bool) -> np.ndarray:
    """Weights normalised to sum 1: shape (m,), or (k, m) when `batch` allows it."""
    W = as_float_array(weights, "weights")
    shape_ok = (W.ndim == 1 and W.shape[0] == m) or (
        batch and W.ndim == 2 and W.shape[0] >= 1 and W.shape[1] == m
    )
    if not shape_ok:
        expected = f"({m},) or (k, {m})" if batch else f"({m},)"
        raise EngineError(
            f"weights must have one entry per criterion, shape {expected}, "
            f"got shape {W.shape}"
        )
    rows = W.reshape(-1, m)

    _check_weight_values(rows, names, batch=W.ndim == 2)
    return W / W.sum(axis=-1, keepdims=True)


# The weight problems, for one weight vector and for one of a batch of them.
_WEIGHT_PROBLEMS = (
    (
        lambda w: ~np.isfinite(w),
        gettext_noop("weight for criterion %(criterion)s is %(value)s"),
        gettext_noop(
            "weight for criterion %(criterion)s in weight vector %(vector)s is "
            "%(value)s"
        ),
    ),
    (
        lambda w: w < 0,
        gettext_noop("weight for criterion %(criterion)s is negative (%(value)s)"),
        gettext_noop(
            "weight for criterion %(criterion)s in weight vector %(vector)s is "
            "negative (%(value)s)"
        ),
    ),
)


def _check_weight_values(rows: np.ndarray, names: Names, *, batch: bool) -> None:
    """Raise for a NaN, infinite or negative weight, or a vector of zeros."""
    for test, single, one_of_many in _WEIGHT_PROBLEMS:
        bad = np.argwhere(test(rows))
        if bad.size:
            r, j = bad[0]
            raise EngineError(
                one_of_many if batch else single,
                {
                    "criterion": names.criterion_label(j),
                    "vector": int(r),
                    "value": show(rows[r, j]),
                },
            )
    totals = rows.sum(axis=1)
    if (totals <= 0).any():
        r = int(np.argmax(totals <= 0))
        if batch:
            raise EngineError(
                gettext_noop(
                    "weight vector %(vector)s is zero; give at least one criterion "
                    "a positive weight"
                ),
                {"vector": r},
            )
        raise EngineError(
            gettext_noop(
                "all weights are zero; give at least one criterion a positive weight"
            )
        )


def read_directions(directions, m: int, names: Names) -> np.ndarray:
    """Directions as float64 (m,): +1 where more is better, -1 where less is."""
    d = as_float_array(directions, "directions")
    if d.shape != (m,):
        raise EngineError(
            f"directions must have one entry per criterion, shape ({m},), "
            f"got shape {d.shape}"
        )
    bad = np.flatnonzero((d != 1) & (d != -1))
    if bad.size:
        j = bad[0]
        raise EngineError(
            gettext_noop(
                "direction for criterion %(criterion)s must be +1 (benefit) or -1 "
                "(cost), got %(value)s"
            ),
            {"criterion": names.criterion_label(j), "value": show(d[j])},
        )
    return d


# --- what a normalisation or method needs from a criterion -------------------------


@dataclass(frozen=True)
class Requirement:
    """A condition a criterion must meet before a method can use it.

    `kind` is one of "varies", "not_all_zero", "ratio" (>= 0, and > 0 for cost
    criteria) and "positive"; `message` is the whole sentence explaining who needs
    it (marked with gettext_noop), with the placeholders %(criterion)s and
    %(value)s, and for "ratio" and "positive" %(tool)s, the tool at fault.
    """

    kind: str
    message: str

    def violated(self, rng: ColumnRange, directions: np.ndarray) -> np.ndarray:
        """Boolean (m,) mask of the criteria that break this requirement."""
        lo, hi = rng.lo, rng.hi
        # a value this many times smaller than its criterion's largest counts as 0:
        # its reciprocal or logarithm would leave floating point
        zero = np.maximum(np.abs(lo), np.abs(hi)) * NEGLIGIBLE
        if self.kind == "varies":
            return hi == lo
        if self.kind == "not_all_zero":
            return (lo == 0) & (hi == 0)
        if self.kind == "ratio":
            return np.where(directions > 0, lo < 0, lo <= zero)
        if self.kind == "positive":
            return lo <= zero
        raise AssertionError(self.kind)

    def explain(
        self, j: int, X: np.ndarray, names: Names, value_word: str
    ) -> EngineError:
        """The error for criterion `j`, pointing at the tool with its lowest value."""
        i = 0 if self.kind in ("varies", "not_all_zero") else int(np.argmin(X[:, j]))
        return EngineError(
            self.message,
            {
                "criterion": names.criterion_label(j),
                "tool": names.tool_label(i),
                "value": f"{value_word}{show(X[i, j])}",
            },
        )


def usable_criteria(
    requirements: tuple[Requirement, ...],
    X: np.ndarray,
    rng: ColumnRange,
    directions: np.ndarray,
    weighted: np.ndarray,
    names: Names,
    value_word: str = "",
) -> np.ndarray:
    """Boolean (m,) mask of the criteria meeting every requirement.

    Raises for the first criterion that carries weight (`weighted`) but fails one:
    a criterion with weight 0 is simply left out, since it changes nothing.
    `X` is only used to point at the offending tool in the message.
    """
    usable = np.ones(directions.shape, dtype=bool)
    for requirement in requirements:
        bad = requirement.violated(rng, directions)
        offending = np.flatnonzero(bad & weighted)
        if offending.size:
            raise requirement.explain(offending[0], X, names, value_word)
        usable &= ~bad
    return usable


# --- scalar options ----------------------------------------------------------------


def read_fraction(value, name: str) -> float:
    """A number in [0, 1]."""
    number = read_number(value, name)
    if not 0 <= number <= 1:
        raise EngineError(
            gettext_noop("%(name)s must be between 0 and 1, got %(value)s"),
            {"name": name, "value": show(number)},
        )
    return number


def read_number(value, name: str) -> float:
    """A finite real number (not a bool)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise EngineError(
            gettext_noop("%(name)s must be a number, got %(value)s"),
            {"name": name, "value": plain(value)},
        )
    number = float(value)
    if not np.isfinite(number):
        raise EngineError(
            gettext_noop("%(name)s must be finite, got %(value)s"),
            {"name": name, "value": show(number)},
        )
    return number


def read_count(value, name: str, minimum: int = 1) -> int:
    """A whole number >= `minimum` (not a bool)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise EngineError(f"{name} must be a whole number, got {plain(value)}")
    if value < minimum:
        raise EngineError(f"{name} must be at least {minimum}, got {plain(value)}")
    return int(value)


def read_thresholds(value, name: str, m: int, names: Names) -> np.ndarray:
    """One non-negative threshold per criterion, from a scalar or an (m,) array."""
    t = as_float_array(value, name)
    if t.ndim == 0:
        t = np.full(m, float(t))
    if t.shape != (m,):
        raise EngineError(
            gettext_noop(
                "%(name)s must be one number or one per criterion (%(count)s), got "
                "shape %(shape)s"
            ),
            {"name": name, "count": m, "shape": t.shape},
        )
    bad = np.flatnonzero(~np.isfinite(t) | (t < 0))
    if bad.size:
        j = bad[0]
        raise EngineError(
            gettext_noop(
                "%(name)s for criterion %(criterion)s must be a finite number >= 0, "
                "got %(value)s"
            ),
            {"name": name, "criterion": names.criterion_label(j), "value": show(t[j])},
        )
    return t

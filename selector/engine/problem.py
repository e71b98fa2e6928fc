"""The checked input every entry point starts from, and what each method accepts.

set_up() reads and checks the arguments evaluate(), smaa() and stability() share
and returns a Setup: the method, its normalisation and options, and the Problem
(matrix, weights, directions). The public helpers below answer the questions a
form or an API asks before a run: which options a method takes, whether given
options are acceptable, and which normalisation applies when none is chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from .columns import per_column
from .errors import EngineError, gettext_noop
from .methods import METHODS, Method
from .validation import (
    ColumnRange,
    Names,
    read_directions,
    read_matrix,
    read_names,
    read_weights,
    require_finite,
    usable_criteria,
)

SAFE_MAGNITUDE = 2.0**300


@dataclass(frozen=True, eq=False)
class Problem:
    """Checked input: matrix (n, m), weights (m,) or (k, m) summing to 1 per
    vector, directions (m,), names, and the matrix's column range."""

    matrix: np.ndarray
    weights: np.ndarray
    directions: np.ndarray
    names: Names
    range: ColumnRange

    def select(self, columns: np.ndarray) -> Problem:
        """The same problem on the criteria in the boolean mask `columns` only."""
        if columns.all():
            return self
        weights = self.weights[..., columns]
        return Problem(
            self.matrix[:, columns],
            weights / weights.sum(axis=-1, keepdims=True),
            self.directions[columns],
            self.names.select(columns),
            ColumnRange(self.range.lo[columns], self.range.hi[columns]),
        )


@dataclass(frozen=True, eq=False)
class Setup:
    """A checked problem together with the method, normalisation and options to run."""

    method: Method
    normalization: str | None
    options: dict
    problem: Problem

    @property
    def requirements(self):
        return self.method.requirements_for(self.normalization)

    def usable(self, weighted: np.ndarray) -> np.ndarray:
        """Criteria the method can use; raises if one that carries weight cannot."""
        p = self.problem
        return usable_criteria(
            self.requirements, p.matrix, p.range, p.directions, weighted, p.names
        )

    def restrict(self, columns: np.ndarray) -> tuple[Problem, dict]:
        """Problem and options on the criteria in the mask `columns`."""
        options = {
            name: value[columns] if name in self.method.per_criterion_options else value
            for name, value in self.options.items()
        }
        return self.problem.select(columns), options

    def tamed(self, *others: ColumnRange) -> tuple[Setup, np.ndarray]:
        """The same setup with extreme criteria rescaled, and the factors used (m,).

        Every method here is unchanged when a criterion (and its thresholds) is
        multiplied by a positive number, so criteria whose largest magnitude,
        here or in the `others` ranges, lies outside 2**+-300 are multiplied by
        a power of two that brings it into [0.5, 1): exact, and squares, sums
        and 1/range stay far from overflow and underflow. Factors are 1 elsewhere.
        """
        p = self.problem
        lo = np.minimum.reduce([p.range.lo, *(r.lo for r in others)])
        hi = np.maximum.reduce([p.range.hi, *(r.hi for r in others)])
        magnitude = np.maximum(np.abs(lo), np.abs(hi))
        extreme = (magnitude > SAFE_MAGNITUDE) | (
            (magnitude > 0) & (magnitude < 1 / SAFE_MAGNITUDE)
        )
        if not extreme.any():
            return self, np.ones_like(magnitude)
        # 2**-exponent, the exponent clipped so that the factor stays finite
        exponent = np.clip(np.frexp(magnitude)[1], -1020, 1020)
        factors = np.ldexp(1.0, np.where(extreme, -exponent, 0))
        problem = replace(
            p,
            matrix=per_column(np.multiply, p.matrix, factors),
            range=ColumnRange(p.range.lo * factors, p.range.hi * factors),
        )
        options = {
            name: value * factors
            if name in self.method.per_criterion_options
            else value
            for name, value in self.options.items()
        }
        return replace(self, problem=problem, options=options), factors

    def prepare(self, problem: Problem, options: dict) -> tuple:
        return self.method.prepare(
            problem.matrix,
            problem.directions,
            self.normalization,
            problem.range,
            **options,
        )


def read_method(method) -> Method:
    if not isinstance(method, str) or method not in METHODS:
        raise EngineError(
            gettext_noop("unknown method %(method)s; choose one of %(methods)s"),
            {"method": repr(method), "methods": ", ".join(METHODS)},
        )
    return METHODS[method]


def read_normalization(method: Method, normalization) -> str | None:
    if normalization is None:
        return method.default_normalization
    if not isinstance(normalization, str) or normalization not in method.normalizations:
        params = {"normalization": repr(normalization), "method": method.label}
        if method.normalizations == (None,):
            raise EngineError(
                gettext_noop(
                    "normalization %(normalization)s does not apply to %(method)s, "
                    "which works on the raw values; leave normalization=None"
                ),
                params,
            )
        raise EngineError(
            gettext_noop(
                "normalization %(normalization)s does not apply to %(method)s, "
                "which takes %(allowed)s"
            ),
            {**params, "allowed": ", ".join(repr(n) for n in method.normalizations)},
        )
    return normalization


def set_up(arguments: Mapping, *, batch: bool) -> Setup:
    """Check everything a run needs, in the order a person would fix it.

    `arguments` are an entry point's own, read from its locals() on entry:
    evaluate(), smaa() and stability() all take matrix, weights, directions,
    method, normalization, tool_names, criterion_names and **options under these
    names, so they are read here once. `batch` allows (k, m) weights.
    """
    spec = read_method(arguments["method"])
    norm = read_normalization(spec, arguments["normalization"])
    X = read_matrix(arguments["matrix"])
    n, m = X.shape
    names = Names(
        read_names(arguments["tool_names"], n, "tool_names"),
        read_names(arguments["criterion_names"], m, "criterion_names"),
    )
    rng = ColumnRange.of(X)
    if not rng.finite:
        require_finite(X, names)
    problem = Problem(
        X,
        read_weights(arguments["weights"], m, names, batch=batch),
        read_directions(arguments["directions"], m, names),
        names,
        rng,
    )
    options = spec.read_options(dict(arguments["options"]), m, names)
    return Setup(spec, norm, options, problem)


# --- what each method accepts, for callers that check input before a run -----------

# method key -> the keyword options it takes (VIKOR v; PROMETHEE II preference, q, p)
METHOD_OPTIONS: dict[str, tuple[str, ...]] = {
    key: tuple(spec.options) for key, spec in METHODS.items()
}


def check_method_options(method: str, options: Mapping, criterion_names) -> dict:
    """Check a method's options as evaluate() would, without a matrix.

    options: option name -> value, as evaluate() takes them as keywords;
    thresholds q and p are one number or one per criterion (m,), in the order of
    `criterion_names`, the m criteria's names (they also name criteria in
    messages). Returns the options complete with defaults, as a result's
    `options` reports them (VIKOR {"v"}; PROMETHEE II {"preference", "q" (m,),
    "p" (m,)}; {} otherwise). Raises EngineError for an unknown method or
    option, or a value the method cannot use.
    """
    spec = read_method(method)
    if not isinstance(options, Mapping):
        raise EngineError(
            f"options must map option names to values, got {type(options).__name__}"
        )
    if isinstance(criterion_names, (str, bytes)):
        raise EngineError("criterion_names must be a list of names, not one string")
    try:
        count = len(criterion_names)
    except TypeError:
        raise EngineError("criterion_names must be a list of names") from None
    if count < 1:
        raise EngineError("need at least 1 criterion, got 0")
    names = read_names(criterion_names, count, "criterion_names")
    return spec.read_options(dict(options), count, Names(criteria=names))


def default_normalization(method: str) -> str:
    """The normalisation `method` uses when evaluate() is given none.

    "minmax" for WSM and VIKOR (its own min-max gaps), "max" for WPM, "vector"
    for TOPSIS; "" for PROMETHEE II, which works on the raw values. Raises
    EngineError for an unknown method.
    """
    return read_normalization(read_method(method), None) or ""

"""evaluate(): score and rank tools, and the input checks it shares with robustness."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from .columns import per_column
from .errors import EngineError
from .methods import METHODS, Method
from .ties import competition_ranks
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
            f"unknown method {method!r}; choose one of {', '.join(METHODS)}"
        )
    return METHODS[method]


def read_normalization(method: Method, normalization) -> str | None:
    if normalization is None:
        return method.default_normalization
    if not isinstance(normalization, str) or normalization not in method.normalizations:
        if method.normalizations == (None,):
            allowed = "works on the raw values; leave normalization=None"
        else:
            allowed = "takes " + ", ".join(repr(n) for n in method.normalizations)
        raise EngineError(
            f"normalization {normalization!r} does not apply to {method.label}, "
            f"which {allowed}"
        )
    return normalization


def set_up(
    matrix,
    weights,
    directions,
    method,
    normalization,
    options,
    tool_names,
    criterion_names,
    *,
    batch: bool,
) -> Setup:
    """Check everything a run needs, in the order a person would fix it."""
    spec = read_method(method)
    norm = read_normalization(spec, normalization)
    X = read_matrix(matrix)
    n, m = X.shape
    names = Names(
        read_names(tool_names, n, "tool_names"),
        read_names(criterion_names, m, "criterion_names"),
    )
    rng = ColumnRange.of(X)
    if not rng.finite:
        require_finite(X, names)
    problem = Problem(
        X,
        read_weights(weights, m, names, batch=batch),
        read_directions(directions, m, names),
        names,
        rng,
    )
    return Setup(spec, norm, spec.read_options(dict(options), m, names), problem)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """What evaluate() found.

    scores and ranks have shape (n,) for one weight vector and (k, n) for k;
    rank 1 is best (for VIKOR, the lowest Q) and tied scores share the better
    rank. `weights` are the ones used, normalised to sum 1; `options` the
    method's options with defaults filled in (VIKOR v; PROMETHEE II preference,
    q and p per criterion). `contributions` ((n, m) or (k, n, m)) and `details`
    are computed on first access.
    """

    method: str
    normalization: str | None
    weights: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    options: dict
    _method: Method = field(repr=False)
    _prepared: tuple = field(repr=False)
    _used: np.ndarray = field(repr=False)

    @cached_property
    def contributions(self) -> np.ndarray | None:
        """Each criterion's share of each tool's score; see the method's
        `contributions` for what the share means. Criteria with weight 0 get 0."""
        used_weights = self._used_weights
        part = self._method.contributions(self._prepared, used_weights, self.scores)
        if part is None:
            return None
        full = np.zeros(part.shape[:-1] + self._used.shape)
        full[..., self._used] = part + 0.0  # + 0.0 turns -0.0 into 0.0 for display
        return full

    @cached_property
    def details(self) -> dict[str, np.ndarray]:
        """Method-specific intermediate results, each shaped like `scores`:
        TOPSIS distance_to_ideal / distance_to_anti_ideal; VIKOR S, R and the
        compromise set (bool); PROMETHEE II positive_flow / negative_flow."""
        found = self._method.details(self._prepared, self._used_weights, self.scores)
        return {
            name: value + 0.0 if value.dtype.kind == "f" else value
            for name, value in found.items()
        }

    @property
    def _used_weights(self) -> np.ndarray:
        return self.weights[..., self._used]


def evaluate(
    matrix,
    weights,
    directions,
    method: str = "wsm",
    normalization: str | None = None,
    *,
    tool_names=None,
    criterion_names=None,
    **options,
) -> Evaluation:
    """Score and rank n tools on m criteria.

    matrix: (n, m) values, n >= 2. weights: (m,), or (k, m) to score k weight
    vectors at once; non-negative, normalised to sum 1 here. directions: (m,)
    of +1 (more is better) or -1 (less is better). method: "wsm", "wpm",
    "topsis", "vikor" or "promethee2". normalization: None for the method's
    textbook default (wsm "minmax", wpm "max", topsis "vector"; VIKOR and
    PROMETHEE II bring their own), else "minmax", "vector", "sum" or "max".
    options: VIKOR `v` (0.5); PROMETHEE II `preference` ("usual", "ushape",
    "vshape", "level", "linear") with thresholds `q` and `p`.
    tool_names / criterion_names only make error messages readable.

    Criteria whose weight is 0 in every vector are left out before computing,
    so they change nothing and may hold values the method could not use.
    Criteria of extreme magnitude are rescaled exactly first (Setup.tamed).
    Raises EngineError for any input it cannot use.
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
        batch=True,
    )
    full = setup.problem
    used = (full.weights.reshape(-1, full.weights.shape[-1]) > 0).any(axis=0)
    setup.usable(used)
    given_options = setup.options
    setup, _ = setup.tamed()
    problem, run_options = setup.restrict(used)
    prepared = setup.prepare(problem, run_options)
    spec = setup.method
    scores = spec.score(prepared, problem.weights)
    ranks = competition_ranks(-scores if spec.lower_is_better else scores)
    return Evaluation(
        spec.name,
        setup.normalization,
        full.weights,
        scores,
        ranks,
        given_options,
        spec,
        prepared,
        used,
    )

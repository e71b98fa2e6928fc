"""evaluate(): score and rank tools with one of the five methods."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .methods import Method
from .problem import set_up
from .ties import competition_ranks


@dataclass(frozen=True, eq=False)
class RankingResult:
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
) -> RankingResult:
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
    setup = set_up(locals(), batch=True)
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
    return RankingResult(
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

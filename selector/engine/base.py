"""What a ranking method provides, and the weighted sums the methods share.

Every method is split into a weight-free and a weighted step. `prepare` does
everything that does not depend on the weights (normalising, distances to the
ideal, pairwise preference flows) and returns a tuple of per-criterion arrays of
shape (..., n, m). `score` then combines them with weights of shape (..., m)
into scores (..., n), almost always through one matrix product (`weigh`), which
is what lets k weight vectors, or 10,000 SMAA samples, be scored without a
Python loop. Leading axes broadcast: prepared arrays
(n, m) with weights (k, m) give (k, n); (c, n, m) with (c, m) pair up.

Weights reaching these functions are non-negative and sum to 1 per vector.
"""

from __future__ import annotations

import numpy as np

from .columns import per_column
from .errors import EngineError, gettext_noop
from .normalize import REQUIREMENTS as NORMALIZATION_REQUIREMENTS
from .validation import Names, Requirement


def weigh(per_criterion: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """sum_j w_j a_ij: per_criterion (..., n, m) with weights (..., m) -> (..., n)."""
    if weights.ndim == 1:
        return per_criterion @ weights
    if per_criterion.ndim == 2:
        return weights @ per_criterion.T
    return (per_criterion @ weights[..., None])[..., 0]


def times_weights(per_criterion: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """w_j a_ij for every tool: (..., n, m) with weights (..., m)."""
    if weights.ndim == 1:
        return per_column(np.multiply, per_criterion, weights)
    return weights[..., None, :] * per_criterion


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
            params = {"option": repr(unknown[0]), "method": repr(self.name)}
            if not self.options:
                raise EngineError(
                    gettext_noop(
                        "unknown option %(option)s for method %(method)s; it takes "
                        "no options"
                    ),
                    params,
                )
            raise EngineError(
                gettext_noop(
                    "unknown option %(option)s for method %(method)s; it takes "
                    "%(options)s"
                ),
                {**params, "options": ", ".join(repr(n) for n in self.options)},
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

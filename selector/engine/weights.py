"""Ways to obtain criterion weights: AHP, rank order centroid, survey shares."""

from __future__ import annotations

import numpy as np

from .errors import EngineError, gettext_noop
from .validation import Names, as_float_array, read_count, read_names, show

# Saaty's random consistency index RI by matrix size, the classic table (Saaty
# 1980, The Analytic Hierarchy Process; the values for n <= 10 are also in Saaty
# 1990, "How to make a decision", EJOR 48:9-26). Revised tables (e.g. Alonso &
# Lamata 2006) give slightly different numbers; this engine uses the classic one.
RANDOM_INDEX = {
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
RECIPROCAL_RTOL = 1e-2  # accepts entries written with three significant digits


def ahp_weights(pairwise, *, criterion_names=None) -> tuple[np.ndarray, float]:
    """Weights from an AHP pairwise comparison matrix, and its consistency ratio.

    pairwise: (m, m), positive and reciprocal (a_ji = 1 / a_ij, a_ii = 1), where
    a_ij says how many times more important criterion i is than j. Returns the
    principal right eigenvector scaled to sum 1, shape (m,), and Saaty's
    CR = CI / RI with CI = (lambda_max - m) / (m - 1); CR is 0 for m <= 2, where
    every reciprocal matrix is consistent, and NaN beyond m = 15, where the
    random index is not tabulated. CR <= 0.1 is Saaty's usual threshold.
    """
    A = _read_pairwise(pairwise, criterion_names)
    m = A.shape[0]
    eigenvalues, eigenvectors = np.linalg.eig(A)
    principal = int(np.argmax(eigenvalues.real))  # Perron root: real and largest
    vector = eigenvectors[:, principal].real
    weights = vector / vector.sum()
    if m <= 2:
        return weights, 0.0
    if m not in RANDOM_INDEX:
        return weights, float("nan")
    consistency_index = (eigenvalues[principal].real - m) / (m - 1)
    return weights, max(0.0, float(consistency_index / RANDOM_INDEX[m]))


def _read_pairwise(pairwise, criterion_names) -> np.ndarray:
    A = as_float_array(pairwise, "pairwise")
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1:
        raise EngineError(
            f"pairwise must be a square (m, m) matrix, got shape {A.shape}"
        )
    names = Names(criteria=read_names(criterion_names, A.shape[0], "criterion_names"))

    def entry(i, j) -> dict:
        return {
            "i": i,
            "j": j,
            "a": names.criterion_label(i),
            "b": names.criterion_label(j),
            "value": show(A[i, j]),
        }

    bad = np.argwhere(~np.isfinite(A) | (A <= 0))
    if bad.size:
        i, j = bad[0]
        raise EngineError(
            gettext_noop(
                "pairwise[%(i)s, %(j)s] (criterion %(a)s vs criterion %(b)s) is "
                "%(value)s; comparisons must be positive numbers"
            ),
            entry(i, j),
        )
    product = A * A.T
    bad = np.argwhere(~np.isclose(product, 1.0, rtol=RECIPROCAL_RTOL, atol=0))
    if bad.size:
        i, j = bad[0]
        if i == j:
            raise EngineError(
                gettext_noop(
                    "pairwise[%(i)s, %(j)s] (criterion %(a)s vs criterion %(b)s) is "
                    "%(value)s; the diagonal must be 1"
                ),
                entry(i, i),
            )
        raise EngineError(
            gettext_noop(
                "pairwise is not reciprocal: pairwise[%(i)s, %(j)s] (criterion %(a)s "
                "vs criterion %(b)s) is %(value)s but pairwise[%(j)s, %(i)s] is "
                "%(back)s; it must be 1 / %(value)s"
            ),
            {**entry(i, j), "back": show(A[j, i])},
        )
    return A


def rank_order_centroid(m) -> np.ndarray:
    """Rank order centroid weights for m criteria ranked most important first.

    w_j = (1/m) * sum_{k=j}^{m} 1/k (Barron & Barrett 1996): the centre of the
    set of weight vectors that respect the ranking. Shape (m,), sums to 1.
    """
    m = read_count(m, "m")
    return np.cumsum((1.0 / np.arange(1, m + 1))[::-1])[::-1] / m


def survey_concentration(respondents) -> float:
    """Dirichlet concentration matching the sampling error of survey shares.

    If weights are the shares of `respondents` people choosing each criterion,
    each share has variance w (1 - w) / N. A Dirichlet centred on w with
    concentration c has variance w (1 - w) / (c + 1), so c = N - 1 gives smaa()
    exactly the spread of the survey's sampling error.
    """
    respondents = read_count(respondents, "respondents", minimum=2)
    return float(respondents - 1)

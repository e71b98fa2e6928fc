"""Per-criterion operations on tall (n, m) matrices, at full memory speed.

numpy runs `X - row` or `X.min(axis=0)` on an (n, m) array as n inner loops of
only m elements, which for 100,000 tools x 20 criteria costs several times a
plain pass over the data. A C-contiguous (n, m) block of `group` whole rows is
also one (group * m) row, so viewing X as (n / group, group * m) and repeating
the per-criterion values `group` times gives numpy long inner loops and the same
result. Other shapes (batches of matrices, strided views) take numpy's usual path.
"""

from __future__ import annotations

import numpy as np

WIDE_ROW = 2048  # elements per row of the wide view


def _group(X: np.ndarray) -> int:
    """Rows per wide row, or 0 when the wide view does not apply."""
    if X.ndim != 2 or not X.flags.c_contiguous:
        return 0
    group = max(1, WIDE_ROW // X.shape[1])
    return group if X.shape[0] >= 4 * group else 0


def per_column(
    ufunc: np.ufunc, X: np.ndarray, values: np.ndarray, out=None
) -> np.ndarray:
    """ufunc(X, values), values (m,) applied to every row of X (..., n, m)."""
    group = _group(X) if out is None or out.flags.c_contiguous else 0
    if not group:
        return ufunc(X, values, out=out)
    n, m = X.shape
    if out is None:
        out = np.empty(X.shape, dtype=np.result_type(X, values))
    body = n - n % group
    wide = (-1, group * m)
    ufunc(
        X[:body].reshape(wide),
        np.tile(np.ravel(values), group),
        out=out[:body].reshape(wide),
    )
    ufunc(X[body:], values, out=out[body:])
    return out


def extremes(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest value of each criterion: two arrays of shape (..., m)."""
    group = _group(X)
    if not group:
        return X.min(axis=-2), X.max(axis=-2)
    n, m = X.shape
    body = n - n % group
    wide = X[:body].reshape(-1, group * m)
    lo = wide.min(axis=0).reshape(group, m).min(axis=0)
    hi = wide.max(axis=0).reshape(group, m).max(axis=0)
    if body < n:
        np.minimum(lo, X[body:].min(axis=0), out=lo)
        np.maximum(hi, X[body:].max(axis=0), out=hi)
    return lo, hi

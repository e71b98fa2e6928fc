"""Competition ranking (1, 2, 2, 4) that is deaf to floating-point noise.

Two keys tie when they differ by at most `RTOL` times the largest |key| of their
row, so sums computed in a different order still tie. Ties chain: after sorting,
each key is compared with its neighbour. Higher keys rank better; callers negate
"lower is better" scores (VIKOR's Q) before ranking.
"""

from __future__ import annotations

import numpy as np

RTOL = 1e-12

# Rows of up to 2**11 keys are ranked by sorting 32-bit words, longer rows by
# sorting 64-bit words (see _bucket_order).
WORD32_INDEX_BITS = 11


def rank_order(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort each row of keys (..., n) best first.

    Returns `order` (..., n), the tool at each position, and `tied` (..., n),
    True where that tool ties with the one before it.
    """
    n = keys.shape[-1]
    rows = np.ascontiguousarray(keys, dtype=np.float64).reshape(-1, n)
    order, tied = _bucket_order(rows)
    return order.reshape(keys.shape), tied.reshape(keys.shape)


def _bucket_order(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """rank_order for rows (c, n) of finite keys.

    Each key is cut into one of 2**(31 - bits) equal buckets spanning its row
    (2**(63 - bits) when the column index needs more than 11 bits), and the
    words bucket << bits | column are sorted: one integer value sort, two to
    four times as fast as argsort, yields the order and the buckets together.
    Buckets never put two keys in the wrong order, so only neighbours whose
    buckets are within reach of the tie tolerance need their exact keys: those
    sharing a bucket are put in key order, and all of them are tested for a tie
    by the module's rule, against RTOL times the row's largest |key|.
    """
    c, n = keys.shape
    bits = max(1, (n - 1).bit_length())
    word = np.int32 if bits <= WORD32_INDEX_BITS else np.int64
    levels = (1 << (8 * np.dtype(word).itemsize - 1 - bits)) - 1
    lo, hi = keys.min(axis=1, keepdims=True), keys.max(axis=1, keepdims=True)
    span = hi - lo
    with np.errstate(over="ignore"):
        per_level = np.divide(levels, span, out=np.zeros_like(span), where=span > 0)
    per_level[np.isinf(per_level)] = 0  # a subnormal span: one bucket, sorted exactly
    scaled = keys - lo
    scaled *= per_level
    words = scaled.astype(word)
    words <<= bits
    words |= np.arange(n, dtype=word)
    words.sort(axis=1)
    order = words & word((1 << bits) - 1)  # ascending for now
    buckets = words
    buckets >>= bits

    tolerance = RTOL * np.maximum(np.abs(lo), np.abs(hi))
    # keys within the tolerance lie at most this many buckets apart (+2: one for
    # where bucket edges fall, one for rounding in `scaled`)
    reach = np.minimum(np.ceil(tolerance * per_level) + 2, levels).astype(word)
    # flatnonzero: several times faster than a 2-D nonzero on sparse hits
    rows, gaps = np.divmod(np.flatnonzero(np.diff(buckets, axis=1) <= reach), n - 1)
    tied = np.zeros((c, n), dtype=bool)
    if rows.size:
        _order_within_buckets(keys, order, buckets, rows, gaps)
        lower = keys[rows, order[rows, gaps]]
        upper = keys[rows, order[rows, gaps + 1]]
        # ascending gap g lies between positions n-2-g and n-1-g counted best first
        tied[rows, n - 1 - gaps] = upper - lower <= tolerance[rows, 0]
    return np.flip(order, axis=1), tied


def _order_within_buckets(keys, order, buckets, rows, gaps) -> None:
    """Put neighbours that share a bucket into key order, in place.

    rows, gaps: the neighbour pairs (row, ascending position) worth a look.
    A row where three or more keys share a bucket is simply sorted exactly.
    """
    shared = buckets[rows, gaps] == buckets[rows, gaps + 1]
    rows, gaps = rows[shared], gaps[shared]
    touching = (rows[1:] == rows[:-1]) & (gaps[1:] == gaps[:-1] + 1)
    crowded = np.unique(rows[1:][touching])
    if crowded.size:
        order[crowded] = np.argsort(keys[crowded], axis=1)
        single = ~np.isin(rows, crowded)
        rows, gaps = rows[single], gaps[single]
    left, right = order[rows, gaps], order[rows, gaps + 1]
    swap = keys[rows, left] > keys[rows, right]
    rows, gaps = rows[swap], gaps[swap]
    order[rows, gaps], order[rows, gaps + 1] = right[swap], left[swap]


def group_bounds(tied: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First position and one-past-last position of each sorted position's tie group."""
    n = tied.shape[-1]
    position = np.arange(n)
    start = np.maximum.accumulate(np.where(tied, 0, position), axis=-1)
    last = np.ones_like(tied)
    last[..., :-1] = ~tied[..., 1:]
    reversed_ends = np.flip(np.where(last, position + 1, n), axis=-1)
    end = np.flip(np.minimum.accumulate(reversed_ends, axis=-1), axis=-1)
    return start, end


def competition_ranks(keys: np.ndarray) -> np.ndarray:
    """Integer ranks (..., n), 1 = highest key; tied keys share the better rank."""
    order, tied = rank_order(keys)
    start = np.maximum.accumulate(np.where(tied, 0, np.arange(keys.shape[-1])), axis=-1)
    ranks = np.empty(order.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, start + 1, axis=-1)
    return ranks

"""Merging the chunks of one Monte Carlo (SMAA) study run apart.

SMAAMerge folds chunks in one at a time, so merging holds one tools x ranks table
(and one tools x criteria table) however many chunks or samples there are;
merge_smaa() merges chunks given all at once, folding them in the same way, so both
give the same result bit for bit.
"""

from __future__ import annotations

import numpy as np

from .errors import EngineError
from .validation import as_float_array


class SMAAMerge:
    """Running sums over the chunks of one study of n tools on m criteria.

    add() folds in one chunk: its sample count, its (n, n) acceptability and its
    (n, m) central weights (a tool's row is ignored, it may be NaN, in a chunk
    where it never ranked first). result() gives the merged study so far.
    Acceptability is exact (each chunk's is a share of its samples); a tool's
    central weights are the mean weight vector of all the samples it ranked first
    in, so each chunk counts with samples * acceptability[t, 0] first places.
    """

    def __init__(self):
        self.chunks = 0
        self.samples = 0.0
        self._ranks = None  # (n, n): samples taking each rank, summed over chunks
        self._won = None  # (n,): first places
        self._weights = None  # (n, m): first places x central weights

    def add(self, samples, acceptability, central_weights) -> None:
        """Fold in one chunk; EngineError naming the chunk when it does not fit."""
        count, shares, central = self._checked(samples, acceptability, central_weights)
        firsts = count * shares[:, 0]  # (n,): first places in this chunk
        central = np.where(firsts[:, None] > 0, central, 0.0)
        if self._ranks is None:
            n, m = central.shape
            self._ranks, self._won, self._weights = (
                np.zeros((n, n)),
                np.zeros(n),
                np.zeros((n, m)),
            )
        self._ranks += count * shares
        self._won += firsts
        self._weights += firsts[:, None] * central
        self.samples += count
        self.chunks += 1

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """The merged acceptability (n, n) and central weights (n, m); zeros for a
        tool that never ranked first."""
        if self._ranks is None or self.samples <= 0:
            raise EngineError("there is no chunk with samples to merge")
        won = np.where(self._won > 0, self._won, 1)
        return self._ranks / self.samples, self._weights / won[:, None]

    def _checked(self, samples, acceptability, central_weights) -> tuple:
        """One chunk as float64, its shapes and values checked against the others."""
        where = f"chunk {self.chunks}: "
        count = as_float_array(samples, f"{where}samples")
        if count.ndim != 0 or not np.isfinite(count) or count < 0:
            raise EngineError(f"{where}samples must be one finite count >= 0")
        count = float(count)
        shares = as_float_array(acceptability, f"{where}acceptability")
        expected = None if self._ranks is None else self._ranks.shape
        if expected is not None and shares.shape != expected:
            raise EngineError(
                f"{where}acceptability must have shape {expected} like the chunks "
                f"before it, got shape {shares.shape}"
            )
        if shares.ndim != 2 or shares.shape[0] != shares.shape[1]:
            raise EngineError(
                f"{where}acceptability must have shape (n, n), got shape {shares.shape}"
            )
        if not ((shares >= 0) & (shares <= 1)).all():
            raise EngineError(f"{where}acceptability must hold shares between 0 and 1")
        central = as_float_array(central_weights, f"{where}central_weights")
        n = shares.shape[0]
        expected = (n, None) if self._weights is None else self._weights.shape
        if (
            central.ndim != 2
            or central.shape[0] != n
            or central.shape[1] < 1
            or expected[1] not in (None, central.shape[1])
        ):
            shown = f"(n, m) with n = {n} tools" if expected[1] is None else expected
            raise EngineError(
                f"{where}central_weights must have shape {shown}, got shape "
                f"{central.shape}"
            )
        bad = np.flatnonzero((count * shares[:, 0] > 0) & ~np.isfinite(central).all(1))
        if bad.size:
            raise EngineError(
                f"{where}central_weights for tool {bad[0]} must be finite: the tool "
                "ranked first in that chunk"
            )
        return count, shares, central


def merge_smaa(
    samples, acceptability, central_weights
) -> tuple[np.ndarray, np.ndarray]:
    """Merge c chunks of one Monte Carlo study into one result, n tools, m criteria.

    samples (c,): how many samples each chunk drew. acceptability (c, n, n):
    each chunk's SMAAResult.acceptability. central_weights (c, n, m): each
    chunk's SMAAResult.central_weights; a tool's row is ignored (it may be NaN)
    in a chunk where it never ranked first.

    Returns acceptability (n, n), the sample-weighted mean of the chunks' (exact,
    since each is a share of its chunk's samples), and central_weights (n, m): a
    tool's is the mean weight vector of all samples it ranked first in, so each
    chunk counts with samples[c] * acceptability[c, t, 0] first places;
    zeros for a tool that never ranked first. Confidence factors are estimates
    per chunk and are not merged. The chunks are folded in order (SMAAMerge), so
    merging them one at a time gives the same result.
    """
    counts, shares, central = _read_chunks(samples, acceptability, central_weights)
    merger = SMAAMerge()
    for chunk in zip(counts, shares, central, strict=True):
        merger.add(*chunk)
    return merger.result()


def _read_chunks(samples, acceptability, central_weights) -> tuple:
    """The three inputs of merge_smaa as float64, their shapes and values checked."""
    counts = as_float_array(samples, "samples")
    if counts.ndim != 1 or counts.size < 1:
        raise EngineError(
            f"samples must hold one count per chunk, shape (c,), got shape "
            f"{counts.shape}"
        )
    if not (np.isfinite(counts) & (counts >= 0)).all() or counts.sum() <= 0:
        raise EngineError(
            "samples must be finite counts >= 0, at least one of them positive"
        )
    c = counts.size
    shares = as_float_array(acceptability, "acceptability")
    if shares.ndim != 3 or shares.shape[0] != c or shares.shape[1] != shares.shape[2]:
        raise EngineError(
            f"acceptability must have shape (c, n, n) with c = {c} chunks, got "
            f"shape {shares.shape}"
        )
    if not ((shares >= 0) & (shares <= 1)).all():
        raise EngineError("acceptability must hold shares between 0 and 1")
    central = as_float_array(central_weights, "central_weights")
    n = shares.shape[1]
    if central.ndim != 3 or central.shape[:2] != (c, n) or central.shape[2] < 1:
        raise EngineError(
            f"central_weights must have shape (c, n, m) with c = {c} chunks and "
            f"n = {n} tools, got shape {central.shape}"
        )
    first = counts[:, None] * shares[:, :, 0] > 0
    bad = np.argwhere(first & ~np.isfinite(central).all(axis=2))
    if bad.size:
        chunk, tool = bad[0]
        raise EngineError(
            f"central_weights of chunk {chunk} for tool {tool} must be finite: "
            "the tool ranked first in that chunk"
        )
    return counts, shares, central

"""merge_smaa: chunks of one Monte Carlo study joined into one SMAA result."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import EngineError, SMAAMerge, evaluate, merge_smaa, smaa

# Two chunks, two tools, two criteria. Tool 0 ranks first in 0.6 * 100 = 60
# samples of chunk 0 and 0.2 * 300 = 60 of chunk 1; tool 1 in 40 and 240.
SAMPLES = [100, 300]
ACCEPTABILITY = [[[0.6, 0.4], [0.4, 0.6]], [[0.2, 0.8], [0.8, 0.2]]]
CENTRAL_WEIGHTS = [[[0.7, 0.3], [0.2, 0.8]], [[0.9, 0.1], [0.4, 0.6]]]


def test_it_merges_a_hand_computed_example():
    acceptability, central = merge_smaa(SAMPLES, ACCEPTABILITY, CENTRAL_WEIGHTS)
    # (100 * 0.6 + 300 * 0.2) / 400 = 0.3 first places for tool 0
    assert_allclose(acceptability, [[0.3, 0.7], [0.7, 0.3]])
    # tool 0: (60 (0.7, 0.3) + 60 (0.9, 0.1)) / 120; tool 1: (40 (0.2, 0.8) +
    # 240 (0.4, 0.6)) / 280 = (104, 176) / 280
    assert_allclose(central, [[0.8, 0.2], [104 / 280, 176 / 280]])


def test_merging_one_chunk_gives_it_back():
    result = smaa([[1.0, 0.0], [0.0, 1.0]], [0.5, 0.5], [1, 1], samples=500, seed=3)
    acceptability, central = merge_smaa(
        [500], [result.acceptability], [result.central_weights]
    )
    assert_allclose(acceptability, result.acceptability)
    assert_allclose(central, result.central_weights)


def test_equal_chunks_merge_to_the_plain_mean_of_their_acceptabilities():
    chunks = [
        smaa(np.eye(3), [0.5, 0.3, 0.2], [1, 1, 1], samples=400, seed=seed)
        for seed in (1, 2, 3)
    ]
    acceptability, _ = merge_smaa(
        [400] * 3,
        [chunk.acceptability for chunk in chunks],
        [chunk.central_weights for chunk in chunks],
    )
    assert_allclose(
        acceptability, np.mean([chunk.acceptability for chunk in chunks], axis=0)
    )


def test_a_tool_that_never_ranks_first_gets_zero_central_weights():
    # tool 2 sits between the others on both criteria and is never first; smaa
    # reports NaN central weights for it
    trade_off = [[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]]
    chunks = [smaa(trade_off, [0.5, 0.5], [1, 1], samples=300, seed=s) for s in (1, 2)]
    assert all(np.isnan(chunk.central_weights[2]).all() for chunk in chunks)
    _, central = merge_smaa(
        [300, 300],
        [chunk.acceptability for chunk in chunks],
        [chunk.central_weights for chunk in chunks],
    )
    assert_array_equal(central[2], [0.0, 0.0])
    assert np.isfinite(central).all()


def test_merged_chunks_match_counting_ranks_over_all_their_samples():
    rng = np.random.default_rng(4)
    matrix, directions = rng.uniform(1, 9, (6, 3)), [1, -1, 1]
    chunks = {11: 250, 12: 150}  # seed: samples
    # smaa draws its weights as default_rng(seed).dirichlet(ones(m), samples)
    drawn = np.vstack(
        [np.random.default_rng(s).dirichlet(np.ones(3), k) for s, k in chunks.items()]
    )
    ranks = evaluate(matrix, drawn, directions).ranks  # (400, 6)
    assert ((ranks == 1).sum(axis=1) == 1).all()  # no ties to share
    counted = np.stack([(ranks == r + 1).mean(axis=0) for r in range(6)], axis=1)
    first = ranks == 1
    wins = first.sum(axis=0)
    averaged = (first.T @ drawn) / np.where(wins > 0, wins, 1)[:, None]

    results = [
        smaa(matrix, [1, 1, 1], directions, samples=k, seed=s)
        for s, k in chunks.items()
    ]
    acceptability, central = merge_smaa(
        list(chunks.values()),
        [r.acceptability for r in results],
        [r.central_weights for r in results],
    )
    assert_allclose(acceptability, counted)
    assert_allclose(central, averaged)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (([[100, 300]], ACCEPTABILITY, CENTRAL_WEIGHTS), r"samples must hold one"),
        (([], ACCEPTABILITY, CENTRAL_WEIGHTS), r"samples must hold one"),
        (([100, -1], ACCEPTABILITY, CENTRAL_WEIGHTS), "samples must be finite counts"),
        (([0, 0], ACCEPTABILITY, CENTRAL_WEIGHTS), "at least one of them positive"),
        (
            ([100], ACCEPTABILITY, CENTRAL_WEIGHTS),
            r"acceptability must have shape \(c, n, n\) with c = 1 chunks, "
            r"got shape \(2, 2, 2\)",
        ),
        (
            (SAMPLES, [[[0.6, 0.4]], [[0.2, 0.8]]], CENTRAL_WEIGHTS),
            r"acceptability must have shape \(c, n, n\)",
        ),
        (
            (SAMPLES, [[[1.5, 0.4], [0.4, 0.6]]] * 2, CENTRAL_WEIGHTS),
            "acceptability must hold shares between 0 and 1",
        ),
        (
            (SAMPLES, ACCEPTABILITY, [[0.7, 0.3], [0.2, 0.8]]),
            r"central_weights must have shape \(c, n, m\) with c = 2 chunks and "
            r"n = 2 tools, got shape \(2, 2\)",
        ),
        (
            (SAMPLES, ACCEPTABILITY, [[[np.nan, np.nan], [0.2, 0.8]]] * 2),
            "central_weights of chunk 0 for tool 0 must be finite",
        ),
        ((SAMPLES, "many", CENTRAL_WEIGHTS), "acceptability must hold numbers"),
    ],
)
def test_it_refuses_chunks_of_the_wrong_shape_or_values(arguments, message):
    with pytest.raises(EngineError, match=message):
        merge_smaa(*arguments)


# Streaming: SMAAMerge folds the chunks one at a time -----------------------------------


def old_merge(samples, acceptability, central_weights):
    """The all-at-once merge before streaming (every chunk in memory at once)."""
    counts = np.asarray(samples, dtype=float)
    shares = np.asarray(acceptability, dtype=float)
    central = np.asarray(central_weights, dtype=float)
    merged = np.tensordot(counts, shares, axes=1) / counts.sum()
    firsts = counts[:, None] * shares[:, :, 0]
    won = firsts.sum(axis=0)
    central = np.where(firsts[:, :, None] > 0, central, 0.0)
    central_merged = (
        np.einsum("ct,ctm->tm", firsts, central) / np.where(won > 0, won, 1)[:, None]
    )
    return merged, central_merged


def streamed(samples, acceptability, central_weights):
    merger = SMAAMerge()
    for chunk in zip(samples, acceptability, central_weights, strict=True):
        merger.add(*chunk)
    return merger.result()


def random_chunks(seed: int, chunks: int, n: int, m: int):
    """Chunks as a batch stores them: shares rounded to 6 digits, zeros for the
    central weights of a tool never first in a chunk."""
    rng = np.random.default_rng(seed)
    samples = rng.integers(100, 5000, chunks)
    shares = np.round(rng.dirichlet(np.ones(n), (chunks, n)), 6)
    shares[:, -1, 0] = 0.0  # the last tool is never first
    central = np.round(rng.dirichlet(np.ones(m), (chunks, n)), 6)
    central[:, -1] = 0.0
    return samples.tolist(), shares.tolist(), central.tolist()


def test_streaming_merges_the_hand_computed_example_one_chunk_at_a_time():
    merger = SMAAMerge()
    merger.add(SAMPLES[0], ACCEPTABILITY[0], CENTRAL_WEIGHTS[0])
    assert_allclose(merger.result()[0], ACCEPTABILITY[0])  # one chunk: itself
    merger.add(SAMPLES[1], ACCEPTABILITY[1], CENTRAL_WEIGHTS[1])
    acceptability, central = merger.result()
    assert (merger.chunks, merger.samples) == (2, 400)
    assert_allclose(acceptability, [[0.3, 0.7], [0.7, 0.3]])
    assert_allclose(central, [[0.8, 0.2], [104 / 280, 176 / 280]])


@pytest.mark.parametrize(
    ("seed", "chunks", "n", "m"), [(1, 2, 3, 2), (2, 10, 9, 9), (3, 300, 20, 5)]
)
def test_the_streamed_merge_equals_the_merge_of_all_chunks_at_once(seed, chunks, n, m):
    data = random_chunks(seed, chunks, n, m)
    acceptability, central = streamed(*data)
    at_once = merge_smaa(*data)
    assert_array_equal(acceptability, at_once[0])  # bit for bit
    assert_array_equal(central, at_once[1])
    # The merge before streaming summed in another order (a BLAS dot product): the
    # same to the last bits, and the same once rounded as a batch stores it.
    old = old_merge(*data)
    assert_allclose(acceptability, old[0], rtol=1e-13, atol=1e-15)
    assert_allclose(central, old[1], rtol=1e-13, atol=1e-15)
    assert_array_equal(np.round(acceptability, 6), np.round(old[0], 6))
    assert_array_equal(np.round(central, 6), np.round(old[1], 6))


def test_the_merger_keeps_only_one_tools_by_ranks_table_whatever_the_chunks():
    merger = SMAAMerge()
    for chunk in zip(*random_chunks(4, 50, 6, 3), strict=True):
        merger.add(*chunk)
    held = [value for value in vars(merger).values() if isinstance(value, np.ndarray)]
    assert sorted(array.shape for array in held) == [(6,), (6, 3), (6, 6)]


@pytest.mark.parametrize(
    ("chunks", "message"),
    [
        ([(100, [[0.6, 0.4], [0.4, 0.6]], [[0.7, 0.3]])], r"chunk 0: central_weights"),
        (
            [
                (100, ACCEPTABILITY[0], CENTRAL_WEIGHTS[0]),
                (100, [[1.0]], [[1.0, 0.0]]),
            ],
            r"chunk 1: acceptability must have shape \(2, 2\) like the chunks "
            r"before it, got shape \(1, 1\)",
        ),
        (
            [
                (100, ACCEPTABILITY[0], CENTRAL_WEIGHTS[0]),
                (100, ACCEPTABILITY[1], [[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]]),
            ],
            r"chunk 1: central_weights must have shape \(2, 2\)",
        ),
        ([(-5, ACCEPTABILITY[0], CENTRAL_WEIGHTS[0])], "chunk 0: samples must be"),
        ([(100, [[1.5, 0.4], [0.4, 0.6]], CENTRAL_WEIGHTS[0])], "between 0 and 1"),
        ([(100, ACCEPTABILITY[0], [[np.nan, 0.5], [0.2, 0.8]])], "must be finite"),
    ],
)
def test_the_merger_refuses_a_chunk_that_does_not_fit(chunks, message):
    merger = SMAAMerge()
    with pytest.raises(EngineError, match=message):
        for chunk in chunks:
            merger.add(*chunk)


def test_a_merger_without_samples_has_no_result():
    merger = SMAAMerge()
    with pytest.raises(EngineError, match="no chunk with samples"):
        merger.result()
    merger.add(0, ACCEPTABILITY[0], CENTRAL_WEIGHTS[0])
    with pytest.raises(EngineError, match="no chunk with samples"):
        merger.result()

"""merge_smaa: chunks of one Monte Carlo study joined into one SMAA result."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import EngineError, evaluate, merge_smaa, smaa

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

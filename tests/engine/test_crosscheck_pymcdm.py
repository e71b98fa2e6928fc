"""Cross-check against pymcdm (a dev dependency) on random problems.

pymcdm ranks like the textbook only when configured explicitly (see
shared/NOTES.md): WSM with min-max normalisation, TOPSIS with vector
normalisation; its VIKOR and PROMETHEE II defaults match ours. Scores must agree
and ranks must be identical (random data has no ties, where pymcdm would
average the ranks).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import evaluate

pymcdm = pytest.importorskip("pymcdm")
from pymcdm import methods as pm  # noqa: E402
from pymcdm import normalizations as pn  # noqa: E402

TRIALS = range(25)


def _problem(trial):
    rng = np.random.default_rng(1000 + trial)
    n, m = int(rng.integers(3, 40)), int(rng.integers(2, 9))
    matrix = rng.uniform(1.0, 100.0, (n, m))
    weights = rng.dirichlet(np.ones(m))
    directions = rng.choice([-1, 1], size=m)
    return matrix, weights, directions


def _pymcdm_ranks(body, preferences):
    return body.rank(preferences).astype(int)


def _assert_same(method, body, trial, **options):
    matrix, weights, directions = _problem(trial)
    ours = evaluate(matrix, weights, directions, method, **options)
    theirs = body(matrix, weights, directions)
    assert_allclose(ours.scores, theirs, rtol=1e-9, atol=1e-12)
    assert_array_equal(ours.ranks, _pymcdm_ranks(body, theirs))


@pytest.mark.parametrize("trial", TRIALS)
def test_wsm_with_min_max_matches_pymcdm(trial):
    _assert_same("wsm", pm.WSM(pn.minmax_normalization), trial)


@pytest.mark.parametrize("trial", TRIALS)
def test_topsis_with_vector_normalisation_matches_pymcdm(trial):
    _assert_same("topsis", pm.TOPSIS(pn.vector_normalization), trial)


@pytest.mark.parametrize("trial", TRIALS)
def test_vikor_matches_pymcdm(trial):
    _assert_same("vikor", pm.VIKOR(), trial)


@pytest.mark.parametrize("trial", TRIALS)
def test_promethee_ii_with_the_usual_criterion_matches_pymcdm(trial):
    _assert_same("promethee2", pm.PROMETHEE_II("usual"), trial)


@pytest.mark.parametrize("trial", TRIALS[:10])
@pytest.mark.parametrize(
    ("preference", "theirs", "thresholds"),
    [
        ("ushape", "ushape", ("q",)),
        ("vshape", "vshape", ("p",)),
        ("level", "level", ("q", "p")),
        (
            "linear",
            "vshape_2",
            ("q", "p"),
        ),  # pymcdm's name for the linear function with q and p
    ],
)
def test_promethee_ii_with_thresholds_matches_pymcdm(
    trial, preference, theirs, thresholds
):
    matrix, _, _ = _problem(trial)
    rng = np.random.default_rng(trial)
    q = rng.uniform(0, 20, matrix.shape[1])
    p = q + rng.uniform(1, 30, matrix.shape[1])
    given = {"q": q, "p": p}
    options = {name: given[name] for name in thresholds}
    _assert_same(
        "promethee2",
        pm.PROMETHEE_II(theirs, **options),
        trial,
        preference=preference,
        **options,
    )


@pytest.mark.parametrize("trial", TRIALS[:10])
def test_wpm_ranks_like_pymcdm(trial):
    # pymcdm's WPM uses sum normalisation; ratio normalisations rank alike
    matrix, weights, directions = _problem(trial)
    body = pm.WPM(pn.sum_normalization)
    theirs = body(matrix, weights, directions)
    ours = evaluate(matrix, weights, directions, "wpm", normalization="sum")
    assert_allclose(ours.scores, theirs, rtol=1e-9)
    assert_array_equal(ours.ranks, _pymcdm_ranks(body, theirs))

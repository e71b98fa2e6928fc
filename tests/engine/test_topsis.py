"""TOPSIS: closeness to the ideal (Hwang & Yoon 1981)."""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

from selector.engine import evaluate

# Hwang & Yoon (1981), Multiple Attribute Decision Making: Methods and
# Applications, Springer LNEMS 186, the fighter-aircraft example worked through
# for TOPSIS (p. 133): max speed, ferry range, max payload, purchasing cost (a
# cost), reliability, manoeuvrability; weights 0.2 0.1 0.1 0.1 0.2 0.3.
AIRCRAFT = [
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
]
AIRCRAFT_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
AIRCRAFT_DIRECTIONS = [1, 1, 1, -1, 1, 1]


def test_it_reproduces_hwang_and_yoons_fighter_aircraft_closeness():
    result = evaluate(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS, method="topsis")
    # published C* to three decimals, from intermediates rounded to four:
    # A1 .643, A2 .268, A3 .613, A4 .312
    assert_allclose(result.scores, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    assert_array_equal(result.ranks, [1, 4, 2, 3])


def test_its_distances_match_the_published_separation_measures():
    details = evaluate(
        AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS, method="topsis"
    ).details
    # the book rounds the normalised matrix to 4 decimals, hence the tolerance
    assert_allclose(
        details["distance_to_ideal"], [0.0545, 0.1197, 0.0580, 0.1009], atol=2e-4
    )
    assert_allclose(
        details["distance_to_anti_ideal"], [0.0983, 0.0439, 0.0920, 0.0458], atol=2e-4
    )


def test_vector_normalisation_is_the_default():
    assert (
        evaluate(
            AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS, "topsis"
        ).normalization
        == "vector"
    )


def test_min_max_normalisation_gives_the_hand_computed_closeness():
    # Opricovic & Tzeng (2004) data. Min-max then x 0.5: A1 (0.5, 0), A2 (0.375, 0.25),
    # A3 (0, 0.5); ideal (0.5, 0.5), anti-ideal (0, 0). A2: D+ = sqrt(0.125^2 + 0.25^2),
    # D- = sqrt(0.375^2 + 0.25^2), C = 0.6171; A1 and A3 are 0.5 from both.
    result = evaluate(
        [[1, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], [-1, 1], "topsis", "minmax"
    )
    d_plus, d_minus = np.hypot(0.125, 0.25), np.hypot(0.375, 0.25)
    assert_allclose(result.scores, [0.5, d_minus / (d_plus + d_minus), 0.5])
    assert_array_equal(result.ranks, [2, 1, 2])


def test_contributions_split_the_closeness_by_distance_from_the_anti_ideal():
    result = evaluate(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_DIRECTIONS, method="topsis")
    assert_allclose(result.contributions.sum(axis=1), result.scores)
    assert (result.contributions >= 0).all()
    # A2 has the worst reliability (3): reliability moves it no further from the
    # anti-ideal
    assert result.contributions[1, 4] == 0.0


def test_tools_identical_on_every_weighted_criterion_sit_halfway():
    result = evaluate([[1.0, 2.0], [1.0, 2.0]], [0.5, 0.5], [1, -1], method="topsis")
    assert_allclose(result.scores, [0.5, 0.5])
    assert_array_equal(result.ranks, [1, 1])


def test_a_cost_criterion_counts_its_lowest_value_as_ideal():
    cheap_first = evaluate([[10.0], [20.0], [30.0]], [1.0], [-1], method="topsis")
    assert_array_equal(cheap_first.ranks, [1, 2, 3])
    assert_allclose(cheap_first.scores, [1.0, 0.5, 0.0])

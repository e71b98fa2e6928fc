"""Bad input: every case raises EngineError (a ValueError) naming what is wrong."""

from decimal import Decimal

import numpy as np
import pytest
from numpy.testing import assert_allclose

from selector.engine import EngineError, evaluate, smaa, stability

MATRIX = [[1.0, 3.0, 10.0], [2.0, 3.0, 20.0], [4.0, 3.0, 15.0]]
WEIGHTS = [0.5, 0.2, 0.3]
DIRECTIONS = [1, -1, 1]
NAMES = {
    "tool_names": ["Cursor", "Zed", "Vim"],
    "criterion_names": ["roi", "price", "speed"],
}


def test_engine_error_is_a_value_error():
    assert issubclass(EngineError, ValueError)


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (
            [[1.0, np.nan, 1.0], [2.0, 3.0, 2.0]],
            r"matrix has nan for tool 'Cursor' on criterion 'price'",
        ),
        (
            [[1.0, 2.0, 1.0], [2.0, 3.0, np.inf]],
            r"matrix has inf for tool 'Zed' on criterion 'speed'",
        ),
        ([[1.0, 2.0, 3.0]], "need at least 2 tools to rank, got 1"),
        ([1.0, 2.0, 3.0], r"matrix must be 2-D \(tools x criteria\), got shape \(3,\)"),
        ([[1.0, 2.0], [3.0]], "matrix must be an array of numbers"),
        ([["1", "2", "3"], ["4", "5", "6"]], "matrix must hold numbers"),
        (
            [[1.0, None, 2.0], [1.0, 2.0, 3.0]],
            r"matrix has nan for tool 'Cursor' on criterion 'price'",
        ),
        ([[1 + 2j, 1, 1], [1, 1, 1]], "matrix must hold numbers"),
        ("not a matrix", "matrix must hold numbers"),
        (None, r"matrix must be 2-D \(tools x criteria\), got shape \(\)"),
    ],
)
def test_it_refuses_a_matrix_it_cannot_read(matrix, message):
    with pytest.raises(EngineError, match=message):
        evaluate(
            matrix,
            WEIGHTS,
            DIRECTIONS,
            tool_names=["Cursor", "Zed"],
            criterion_names=NAMES["criterion_names"],
        )


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0.5, -0.2, 0.7], r"weight for criterion 'price' is negative \(-0\.2\)"),
        ([0.5, np.nan, 0.5], "weight for criterion 'price' is nan"),
        (
            [0.0, 0.0, 0.0],
            "all weights are zero; give at least one criterion a positive weight",
        ),
        ([[0.5, 0.5, 0.0], [0.0, 0.0, 0.0]], "weight vector 1 is zero"),
        (
            [[0.5, 0.5, 0.0], [0.1, -1.0, 0.0]],
            r"weight for criterion 'price' in weight vector 1 is negative",
        ),
        (
            [0.5, 0.5],
            r"weights must have one entry per criterion, shape \(3,\) or \(k, 3\), "
            r"got shape \(2,\)",
        ),
        ("heavy", "weights must hold numbers"),
    ],
)
def test_it_refuses_weights_it_cannot_use(weights, message):
    with pytest.raises(EngineError, match=message):
        evaluate(MATRIX, weights, DIRECTIONS, criterion_names=NAMES["criterion_names"])


@pytest.mark.parametrize(
    ("directions", "message"),
    [
        (
            [1, 0, 1],
            r"direction for criterion 'price' must be \+1 \(benefit\) or -1 "
            r"\(cost\), got 0\.0",
        ),
        ([1, 2, 1], r"got 2\.0"),
        (
            [1, -1],
            r"directions must have one entry per criterion, shape \(3,\), "
            r"got shape \(2,\)",
        ),
        (["up", "down", "up"], "directions must hold numbers"),
    ],
)
def test_it_refuses_directions_other_than_plus_or_minus_one(directions, message):
    with pytest.raises(EngineError, match=message):
        evaluate(MATRIX, WEIGHTS, directions, criterion_names=NAMES["criterion_names"])


def test_it_refuses_a_constant_criterion_under_min_max_and_says_what_to_do():
    with pytest.raises(
        EngineError,
        match=r"criterion 'price' has the same value \(3\.0\) for every tool, "
        r"so min-max "
        r"normalization has no range to divide by; remove it or set its weight to 0",
    ):
        evaluate(MATRIX, WEIGHTS, DIRECTIONS, **NAMES)


def test_a_constant_criterion_is_fine_where_the_method_can_use_it():
    result = evaluate(MATRIX, WEIGHTS, DIRECTIONS, method="topsis")
    assert_allclose(result.contributions[:, 1], 0.0)


def test_it_refuses_values_a_ratio_normalisation_cannot_take():
    with pytest.raises(
        EngineError,
        match=r"'max' normalization treats values as ratios.*"
        r"tool 'Zed' has -2\.0 on criterion 'roi'",
    ):
        evaluate(
            [[1.0, 1.0], [-2.0, 2.0]],
            [0.5, 0.5],
            [1, 1],
            normalization="max",
            tool_names=["Cursor", "Zed"],
            criterion_names=["roi", "speed"],
        )


def test_it_refuses_a_criterion_of_zeros_under_vector_normalisation():
    with pytest.raises(
        EngineError, match="criterion 0 is 0 for every tool, so vector normalization"
    ):
        evaluate([[0.0, 1.0], [0.0, 2.0]], [0.5, 0.5], [1, 1], method="topsis")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"method": "ahp"},
            "unknown method 'ahp'; choose one of wsm, wpm, topsis, vikor, promethee2",
        ),
        ({"method": None}, "unknown method None"),
        ({"method": ["wsm"]}, "unknown method"),
        (
            {"normalization": "zscore"},
            "normalization 'zscore' does not apply to WSM, "
            "which takes 'minmax', 'vector', 'sum', 'max'",
        ),
        ({"normalization": np.array(["max"])}, "does not apply to WSM"),
        ({"v": 0.5}, "unknown option 'v' for method 'wsm'; it takes no options"),
        ({"tool_names": ["a", "b"]}, "tool_names must have 3 names, got 2"),
        (
            {"criterion_names": "abc"},
            "criterion_names must be a list of 3 names, not one string",
        ),
    ],
)
def test_it_refuses_unknown_methods_options_and_names(kwargs, message):
    with pytest.raises(EngineError, match=message):
        evaluate(MATRIX, [0.5, 0.0, 0.5], DIRECTIONS, **kwargs)


def test_integer_lists_decimals_and_numpy_arrays_are_all_accepted():
    as_ints = evaluate([[1, 10], [2, 20], [4, 15]], [1, 1], [1, 1])
    as_decimals = evaluate(
        [[Decimal("1"), Decimal("10")], [2, 20], [4, 15]], [1, 1], [1, 1]
    )
    as_array = evaluate(
        np.array([[1.0, 10.0], [2.0, 20.0], [4.0, 15.0]], dtype=np.float32),
        np.ones(2),
        np.ones(2),
    )
    assert_allclose(as_ints.scores, as_decimals.scores)
    assert_allclose(as_ints.scores, as_array.scores)


def test_the_callers_arrays_are_left_untouched():
    matrix, weights = np.array(MATRIX), np.array([2.0, 0.0, 2.0])
    evaluate(matrix, weights, DIRECTIONS)
    assert_allclose(matrix, MATRIX)
    assert_allclose(weights, [2.0, 0.0, 2.0])


@pytest.mark.parametrize("run", [evaluate, smaa, stability])
@pytest.mark.parametrize(
    "arguments",
    [
        (None, None, None),
        ({"a": 1}, WEIGHTS, DIRECTIONS),
        (MATRIX, {"roi": 1}, DIRECTIONS),
        (MATRIX, WEIGHTS, {"roi": 1}),
        (MATRIX, object(), DIRECTIONS),
        ([[[1.0]]], WEIGHTS, DIRECTIONS),
        ([], WEIGHTS, DIRECTIONS),
        ([[]], WEIGHTS, DIRECTIONS),
        (MATRIX, [[[0.5]]], DIRECTIONS),
        (MATRIX, WEIGHTS, [[1, 1, 1]]),
        ([[1e400, 1, 1], [1, 1, 1]], WEIGHTS, DIRECTIONS),
        ([[10**400, 1, 1], [1, 1, 1]], WEIGHTS, DIRECTIONS),
    ],
)
def test_nothing_but_engine_error_escapes_from_bad_input(run, arguments):
    with pytest.raises(EngineError):
        run(*arguments)


@pytest.mark.parametrize("run", [evaluate, smaa, stability])
def test_every_entry_point_checks_the_same_way(run):
    with pytest.raises(EngineError, match="weight for criterion 0 is negative"):
        run(MATRIX, [-1.0, 1.0, 1.0], DIRECTIONS)

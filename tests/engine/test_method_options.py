"""What each method accepts: its options, PROMETHEE II's preference functions,
checking options before a run, and the normalisation used when none is chosen."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from selector.engine import (
    METHOD_OPTIONS,
    PREFERENCES,
    EngineError,
    check_method_options,
    default_normalization,
    evaluate,
)

MATRIX = [[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]]
KEYS = ["price", "speed"]
THRESHOLDS = {"usual": {}, "ushape": {"q": 1.0}, "vshape": {"p": 2.0}}


def test_it_lists_the_options_each_method_takes():
    assert METHOD_OPTIONS == {
        "wsm": (),
        "wpm": (),
        "topsis": (),
        "vikor": ("v",),
        "promethee2": ("preference", "q", "p"),
    }


def test_it_names_the_five_promethee_preference_functions():
    assert PREFERENCES == ("usual", "ushape", "vshape", "level", "linear")


@pytest.mark.parametrize("preference", PREFERENCES)
def test_every_listed_preference_function_is_one_evaluate_takes(preference):
    options = {"preference": preference, **THRESHOLDS.get(preference, {"q": 1, "p": 2})}
    result = evaluate(MATRIX, [0.5, 0.5], [-1, 1], "promethee2", **options)
    assert result.options["preference"] == preference


@pytest.mark.parametrize("method", ["wsm", "wpm", "topsis", "vikor", "promethee2"])
def test_evaluate_refuses_any_option_not_listed_for_its_method(method):
    with pytest.raises(
        EngineError, match=f"unknown option 'weight' for method '{method}'"
    ):
        evaluate(MATRIX, [0.5, 0.5], [1, 1], method, weight=1.0)


def test_it_fills_in_the_defaults_of_the_options_left_out():
    assert check_method_options("wsm", {}, KEYS) == {}
    assert check_method_options("vikor", {}, KEYS) == {"v": 0.5}
    checked = check_method_options("promethee2", {"preference": "vshape", "p": 2}, KEYS)
    assert checked["preference"] == "vshape"
    assert_allclose(checked["q"], [0.0, 0.0])
    assert_allclose(checked["p"], [2.0, 2.0])


def test_it_returns_the_options_evaluate_reports():
    options = {"preference": "linear", "q": [0.5, 1.0], "p": [1.0, 5.0]}
    checked = check_method_options("promethee2", options, KEYS)
    used = evaluate(MATRIX, [0.5, 0.5], [-1, 1], "promethee2", **options).options
    assert checked.keys() == used.keys()
    for name in ("q", "p"):
        assert_allclose(checked[name], used[name])


@pytest.mark.parametrize(
    ("method", "options", "message"),
    [
        ("ahp", {}, "unknown method 'ahp'; choose one of wsm, wpm, topsis, vikor"),
        ("wsm", {"v": 0.5}, "unknown option 'v' for method 'wsm'; it takes no options"),
        ("vikor", {"v": 1.5}, "v must be between 0 and 1"),
        ("promethee2", {"preference": "vshape"}, "'vshape' needs threshold p"),
        ("promethee2", {"preference": "gaussian"}, "preference must be one of"),
        (
            "promethee2",
            {"preference": "ushape", "q": [1.0, -1.0]},
            "q for criterion 'speed' must be a finite number >= 0",
        ),
        (
            "promethee2",
            {"preference": "ushape", "q": [1.0, 1.0, 1.0]},
            r"q must be one number or one per criterion \(2\), got shape \(3,\)",
        ),
        (
            "promethee2",
            {"preference": "linear", "q": [2.0, 1.0], "p": [1.0, 3.0]},
            "q must not exceed p, but criterion 'price' has q=2.0 and p=1.0",
        ),
    ],
)
def test_it_refuses_options_the_method_cannot_use_as_evaluate_does(
    method, options, message
):
    with pytest.raises(EngineError, match=message):
        check_method_options(method, options, KEYS)
    with pytest.raises(EngineError, match=message):
        evaluate(MATRIX, [0.5, 0.5], [1, 1], method, criterion_names=KEYS, **options)


@pytest.mark.parametrize(
    ("options", "criterion_names", "message"),
    [
        ([("v", 0.5)], KEYS, "options must map option names to values, got list"),
        ({}, "price", "criterion_names must be a list of names, not one string"),
        ({}, None, "criterion_names must be a list of names"),
        ({}, [], "need at least 1 criterion, got 0"),
    ],
)
def test_it_refuses_options_or_criterion_names_it_cannot_read(
    options, criterion_names, message
):
    with pytest.raises(EngineError, match=message):
        check_method_options("vikor", options, criterion_names)


@pytest.mark.parametrize(
    ("method", "normalization"),
    [
        ("wsm", "minmax"),
        ("wpm", "max"),
        ("topsis", "vector"),
        ("vikor", "minmax"),
        ("promethee2", ""),
    ],
)
def test_it_names_the_normalisation_each_method_uses_by_default(method, normalization):
    assert default_normalization(method) == normalization
    used = evaluate(np.add(MATRIX, 1.0), [0.5, 0.5], [-1, 1], method).normalization
    assert (used or "") == normalization


def test_it_refuses_a_default_normalisation_for_an_unknown_method():
    with pytest.raises(EngineError, match="unknown method 'electre'"):
        default_normalization("electre")

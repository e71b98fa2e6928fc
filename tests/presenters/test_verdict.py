"""The verdict and "what it would take", read from a run's stored robustness; the
robust-winner rule checked on hand-made cases on both sides of its two limits."""

import numpy as np
import pytest

from selector import engine
from selector.models import RunResult
from selector.presenters.verdict import run_verdict, shown_value, what_it_takes_rows
from selector.services import computation, snapshots
from tests.factories import EvaluationFactory

INPUTS = {
    "tools": [{"id": 1, "name": "Claude"}, {"id": 2, "name": "Cursor"}],
    "criteria": [
        {"key": "roi", "name": "Measurable ROI", "direction": "benefit"},
        {"key": "price", "name": "Price", "direction": "cost"},
    ],
}
RESULTS = [RunResult(tool_name="Claude", rank=1), RunResult(tool_name="Cursor", rank=2)]


def robustness(first_share: float, roi_weight: float, roi_top: list[float]) -> dict:
    """Claude first in `first_share` of the draws; ROI's weight and Claude's top
    interval on it (price's weight takes the rest and never changes the winner)."""
    return {
        "acceptability": [
            [first_share, 1 - first_share],
            [1 - first_share, first_share],
        ],
        "stability": [
            {
                "criterion": "roi",
                "weight": roi_weight,
                "top": roi_top,
                "takes_over": [
                    None if roi_top[0] == 0 else "Cursor",
                    None if roi_top[1] == 1 else "Cursor",
                ],
            },
            {
                "criterion": "price",
                "weight": 1 - roi_weight,
                "top": [0.0, 1.0],
                "takes_over": [None, None],
            },
        ],
    }


def verdict(stored: dict) -> dict:
    return run_verdict(INPUTS, stored, RESULTS)


def test_first_in_half_the_draws_or_more_is_robust():
    found = verdict(robustness(0.5, 0.3, [0.0, 0.7]))
    assert found["robust_winner"] is True
    assert found["sentence"] == (
        "Claude is the robust choice: first in 50% of weight draws; Cursor would "
        "win only if Measurable ROI weighed more than 70%."
    )


def test_first_in_fewer_than_half_the_draws_is_fragile_and_names_the_runner_up():
    found = verdict(robustness(0.49, 0.3, [0.0, 0.7]))
    assert found["robust_winner"] is False
    assert found["sentence"] == (
        "Claude ranks first, but the lead is fragile: it is first in only 49% of "
        "weight draws; the runner-up is Cursor."
    )


def test_a_weight_6_points_from_a_change_is_robust():
    # ROI at 30%, Cursor first below 24%: 6 percentage points away.
    assert verdict(robustness(0.9, 0.3, [0.24, 1.0]))["robust_winner"] is True


def test_a_weight_4_points_from_a_change_is_fragile():
    # ROI at 30%, Cursor first below 26%: 4 percentage points away.
    found = verdict(robustness(0.9, 0.3, [0.26, 1.0]))
    assert found["robust_winner"] is False
    assert found["sentence"] == (
        "Claude ranks first, but the lead is fragile: Cursor would win if "
        "Measurable ROI weighed less than 26% (now 30%)."
    )


def test_a_fragile_lead_names_the_runner_up_when_another_tool_would_take_over():
    """Cursor is second, but moving ROI's weight puts Copilot first."""
    inputs = {
        **INPUTS,
        "tools": [*INPUTS["tools"], {"id": 3, "name": "Copilot"}],
    }
    stored = robustness(0.9, 0.3, [0.26, 1.0])
    stored["acceptability"] = [[0.9, 0.1, 0.0], [0.0, 0.6, 0.4], [0.1, 0.3, 0.6]]
    stored["stability"][0]["takes_over"] = ["Copilot", None]
    results = [*RESULTS, RunResult(tool_name="Copilot", rank=3)]
    assert run_verdict(inputs, stored, results)["sentence"] == (
        "Claude ranks first, but the lead is fragile: Copilot would win if "
        "Measurable ROI weighed less than 26% (now 30%). The runner-up is Cursor."
    )


def test_both_rules_failing_say_both():
    found = verdict(robustness(0.3, 0.3, [0.0, 0.33]))
    assert found["robust_winner"] is False
    assert (
        "only 30% of weight draws, and Cursor would win if Measurable ROI "
        in (found["sentence"])
    )


def test_an_interval_end_at_0_or_100_percent_does_not_count():
    # ROI at 2% and 97%: 2 and 3 points from the ends, where nothing changes.
    for weight in (0.02, 0.97):
        found = verdict(robustness(0.9, weight, [0.0, 1.0]))
        assert found["robust_winner"] is True
        assert "no single weight" in found["sentence"]


def test_a_tie_for_first_names_both_and_is_not_robust():
    tied = [
        RunResult(tool_name="Claude", rank=1),
        RunResult(tool_name="Cursor", rank=1),
    ]
    found = run_verdict(INPUTS, robustness(0.5, 0.3, [0.3, 0.3]), tied)
    assert found == {
        "sentence": "Claude and Cursor tie for first place: neither is a robust "
        "choice over the other.",
        "robust_winner": False,
    }


def test_runs_stored_before_takes_over_name_the_runner_up():
    stored = robustness(0.9, 0.3, [0.26, 1.0])
    for row in stored["stability"]:
        del row["takes_over"]
    assert (
        "Cursor would win if Measurable ROI weighed less than 26%"
        in (verdict(stored)["sentence"])
    )


def test_runs_without_robustness_have_no_verdict():
    assert run_verdict(INPUTS, None, RESULTS) is None


def test_the_5_point_rule_on_intervals_the_engine_computes():
    # A = w0, B = 1 - w0, C = 0.6 (min-max leaves the columns as they are): A is
    # first while w0 >= 0.6, then C. At w0 = .66 that is 6 points away, at .64 four.
    matrix = [[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]]
    inputs = {
        "tools": [{"id": i, "name": name} for i, name in enumerate("ABC")],
        "criteria": [
            {"key": "x", "name": "X", "direction": "benefit"},
            {"key": "y", "name": "Y", "direction": "benefit"},
        ],
    }
    results = [RunResult(tool_name="A", rank=1), RunResult(tool_name="C", rank=2)]
    for w0, robust in ((0.66, True), (0.64, False)):
        weights = np.array([w0, 1 - w0])
        stable = engine.stability(matrix, weights, [1, 1])
        rows = computation.stability_rows(stable, weights, ["x", "y"], ["A", "B", "C"])
        assert rows[0]["takes_over"] == ["C", None]
        stored = {"acceptability": [[0.9, 0.1, 0], [0, 0.5, 0.5], [0.1, 0.4, 0.5]]}
        found = run_verdict(inputs, {**stored, "stability": rows}, results)
        assert found["robust_winner"] is robust, w0


def test_shown_values_are_rounded_the_way_they_moved():
    assert shown_value(4.5333, 0.5, 4.0) == "4.6"
    assert shown_value(4.5333, -0.5, 4.0) == "4.5"
    assert shown_value(148.2, 20, 240.0) == "149"
    assert shown_value(4.0, 0.0, 4.0) == "4"
    assert shown_value(4.1000004, 1.1, 4.0) == "4.1"  # the search's overshoot


@pytest.mark.django_db
def test_what_it_takes_rows_say_the_smallest_change_first(three_tools):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    inputs = snapshots.snapshot_inputs(evaluation)
    rows, stored = computation.compute(inputs)
    results = [RunResult(tool_name=r["tool_name"], rank=r["rank"]) for r in rows]
    found = what_it_takes_rows(inputs, stored, results)
    changes = [row["change"] for row in found]
    assert changes == sorted(changes)
    by_tool = {row["tool"]: row for row in found}
    # B ties C with ROI 4.1 (30 * .1 + 27 = 30; tests/services/test_what_it_takes.py),
    # a point of the search grid: a 1.1 / 4 change, its smallest one.
    assert by_tool["B"]["criterion"] == "Measurable ROI"
    assert by_tool["B"]["sentence"] == (
        "B would tie for first with Measurable ROI 4.1 instead of 3."
    )
    # C, first, loses to A with ROI below 4.457 (rounded down to 4.4).
    assert by_tool["C"]["sentence"] == (
        "C would lose first place to A with Measurable ROI 4.4 instead of 5."
    )

"""Snapshots of evaluations and the ranking/robustness computed from them."""

import pytest
from django.core.exceptions import ValidationError

from selector.models import Evaluation
from selector.services import computation, snapshots
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db


def test_the_snapshot_freezes_tools_criteria_weights_and_sources(three_tools):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    inputs = snapshots.snapshot_inputs(evaluation)
    assert [t["name"] for t in inputs["tools"]] == ["A", "B", "C"]
    assert [c["key"] for c in inputs["criteria"]] == [
        "roi",
        "industry_customization",
        "price",
    ]
    assert inputs["weights"] == [30, 26, 1]
    assert inputs["matrix"] == [[4, 3, 30], [3, 5, 20], [5, 2, 60]]
    roi = inputs["weight_sources"][0]["benchmark"]
    assert (roi["survey"], roi["category"], roi["key"], roi["value"]) == (
        "menlo-2024",
        "app_selection_criteria",
        "roi",
        30,
    )


def test_survey_weights_get_the_surveys_sampling_concentration(three_tools):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    assert snapshots.snapshot_inputs(evaluation)["concentration"] > 100
    evaluation.weight_overrides = {"roi": 10}
    assert snapshots.snapshot_inputs(evaluation)["concentration"] is None


def test_the_ranking_matches_a_hand_computed_weighted_sum(three_tools):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    rows, robustness = computation.compute(snapshots.snapshot_inputs(evaluation))
    assert [(r["tool_name"], r["rank"]) for r in rows] == [("C", 1), ("B", 2), ("A", 3)]
    a = rows[2]
    # A: ROI (4-3)/(5-3)=0.5, customisation (3-2)/(5-2)=1/3, price (60-30)/(60-20)=0.75.
    assert a["contributions"] == pytest.approx(
        {
            "roi": 30 * 0.5 / 57,
            "industry_customization": 26 / 3 / 57,
            "price": 0.75 / 57,
        }
    )
    assert sum(a["contributions"].values()) == pytest.approx(a["score"])
    acceptability = robustness["acceptability"]
    assert [sum(row) for row in acceptability] == pytest.approx([1, 1, 1])
    assert {row["criterion"] for row in robustness["stability"]} == {
        "roi",
        "industry_customization",
        "price",
    }


def test_missing_scores_block_by_default_naming_tool_and_criterion(member, three_tools):
    lonely = scored_tool(member[1], "D", roi=2)
    evaluation = EvaluationFactory(workspace=member[1], tools=[*three_tools, lonely])
    with pytest.raises(ValidationError, match=r"D \(Industry customization, Price\)"):
        snapshots.snapshot_inputs(evaluation)


def test_missing_scores_can_take_the_worst_value_of_each_criterion(member, three_tools):
    lonely = scored_tool(member[1], "D", roi=2)
    evaluation = EvaluationFactory(
        workspace=member[1],
        tools=[*three_tools, lonely],
        missing_scores=Evaluation.MissingScores.WORST,
    )
    inputs = snapshots.snapshot_inputs(evaluation)
    assert inputs["matrix"][3] == [2, 2, 60]  # lowest customisation, highest price
    assert [cell["criterion"] for cell in inputs["filled_as_worst"]] == [
        "industry_customization",
        "price",
    ]


def test_a_criterion_nobody_scored_cannot_be_filled(member):
    tools = [scored_tool(member[1], name, roi=3, price=10) for name in "XY"]
    evaluation = EvaluationFactory(
        workspace=member[1], tools=tools, missing_scores=Evaluation.MissingScores.WORST
    )
    with pytest.raises(
        ValidationError, match="No tool has a score for Industry customization"
    ):
        snapshots.snapshot_inputs(evaluation)

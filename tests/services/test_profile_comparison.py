"""Comparing two weight profiles on an evaluation: weights side by side and both
rankings, computed without storing a run."""

import pytest

from selector.models import Evaluation, Run, WeightProfile
from selector.services.ranking import compare_profiles
from tests.factories import EvaluationFactory, cheap_and_strong_tools, scored_tool

pytestmark = pytest.mark.django_db


def test_comparing_shows_weights_side_by_side_and_both_rankings(member):
    _, workspace = member
    tools = cheap_and_strong_tools(workspace)
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    a = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    b = WeightProfile.objects.get(slug="menlo-2024-llm-switching")
    runs = Run.objects.count()
    comparison = compare_profiles(a=a, b=b, evaluation=evaluation)
    by_key = {row["criterion"].key: row for row in comparison.weights}
    assert by_key["roi"]["share_a"] == pytest.approx(30 / 57)
    assert by_key["roi"]["share_b"] == 0
    assert by_key["price"]["share_b"] == pytest.approx(44 / 173)
    ranks = {t["tool_name"]: (t["rank_a"], t["rank_b"]) for t in comparison.tools}
    assert ranks["Strong"][0] == 1
    assert set(ranks) == {"Cheap", "Strong"}
    assert Run.objects.count() == runs  # nothing stored


def test_comparing_reports_when_a_profile_cannot_rank_the_evaluation(member):
    _, workspace = member
    tools = [
        scored_tool(workspace, "A", roi=3, industry_customization=4, price=9),
        scored_tool(workspace, "B", roi=4, industry_customization=3, price=19),
    ]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    a = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    b = WeightProfile.objects.get(slug="menlo-2024-pilot-risks")
    comparison = compare_profiles(a=a, b=b, evaluation=evaluation)
    assert comparison.rankings[0].error == ""
    assert "Missing scores" in comparison.rankings[1].error
    assert Evaluation.objects.get(pk=evaluation.pk).profile == a

"""A run's page shows the run's own snapshot (issue 13 item 5): the method, options,
normalisation, weights, profile, tools and scores it used, never the evaluation's
current ones."""

import pytest

from selector.models import Criterion, Run, Score, Weight, WeightProfile
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db


def _run(client, evaluation, capture) -> Run:
    with capture(execute=True):
        client.post(f"/evaluations/{evaluation.pk}/run/")
    return Run.objects.filter(evaluation=evaluation).latest("id")


def _other_profile() -> WeightProfile:
    profile = WeightProfile.objects.create(slug="later-profile", name="Later profile")
    for key, value in (("roi", 1), ("industry_customization", 1), ("price", 8)):
        Weight.objects.create(
            profile=profile, criterion=Criterion.objects.get(key=key), value=value
        )
    return profile


def test_an_old_run_page_shows_its_snapshot_not_the_evaluation_now(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=member[1], tools=three_tools, normalization="minmax"
    )
    old = _run(member_client, evaluation, django_capture_on_commit_callbacks)
    old_profile = evaluation.profile.name
    evaluation.method, evaluation.normalization = "topsis", "vector"
    evaluation.profile = _other_profile()
    evaluation.weight_overrides = {"roi": 97}
    evaluation.save()
    evaluation.tools.add(scored_tool(member[1], "Newcomer", roi=1, price=9))
    Score.objects.filter(tool=three_tools[0], criterion__key="roi").update(value=1.5)

    response = member_client.get(f"/runs/{old.pk}/")
    page = response.content.decode()

    summary = page.split('id="run-summary"')[1].split("</p>")[0]
    assert "Weighted sum" in summary and "Min-max" in summary
    assert old_profile in summary and "(adjusted)" not in summary
    assert "TOPSIS" not in page and "Vector" not in page
    assert "Later profile" not in page and "adjusted" not in page
    assert [w["value"] for w in response.context["weights"]] == old.inputs["weights"]
    assert "Newcomer" not in page
    roi = old.inputs["weights"][[c["key"] for c in old.inputs["criteria"]].index("roi")]
    assert f'name="w-roi" value="{roi}"' in page  # the what-if starts at its weights
    snapshot = page.split('id="snapshot"')[1].split("</section>")[0]
    assert "<td>4</td>" in snapshot and "1.5" not in snapshot
    assert all(f"<th>{name}</th>" in snapshot for name in "ABC")


def test_an_old_run_page_shows_its_own_method_options(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=member[1],
        tools=three_tools,
        method="vikor",
        method_options={"v": 0.3},
    )
    old = _run(member_client, evaluation, django_capture_on_commit_callbacks)
    evaluation.method_options = {"v": 0.7}
    evaluation.save()

    page = member_client.get(f"/runs/{old.pk}/").content.decode()

    assert "VIKOR (v = 0.3)" in page.split('id="run-summary"')[1].split("</p>")[0]
    assert "0.7" not in page

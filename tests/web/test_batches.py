"""Batch pages: starting one from an evaluation, its progress and the winner of each
run, and no other workspace's batch."""

import html
import re

import pytest

from selector.models import Criterion, Weight, WeightProfile
from selector.services.batches import start_batch
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db


def test_a_profiles_batch_shows_its_progress_and_the_winner_per_profile(
    member_client, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            f"/evaluations/{evaluation.pk}/batch/", {"kind": "profiles"}
        )
    page = member_client.get(response.url)
    batch = page.context["batch"]
    assert (
        page.context["progress"]["finished"]
        == page.context["progress"]["total"]
        == batch.total
    )
    html = page.content.decode()
    assert "Winner under each weighting" in html
    assert (
        "Menlo 2024: how buyers select AI applications "
        '<code class="key">menlo-2024-app-selection</code>'
    ) in html


def test_a_rerank_batch_names_the_evaluations_it_reran(
    member_client, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools, name="Pick a copilot"
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(
            user=evaluation.created_by, evaluation=evaluation, kind="rerank"
        )
    html = member_client.get(f"/batches/{batch.pk}/").content.decode()
    assert "Winner of each re-ranked evaluation" in html
    assert "<td>Pick a copilot</td>" in html


def test_an_unknown_batch_kind_is_explained(member_client, three_tools):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    response = member_client.post(
        f"/evaluations/{evaluation.pk}/batch/", {"kind": "bogus"}, follow=True
    )
    assert "Unknown batch kind" in response.content.decode()


def test_another_workspaces_batch_is_a_404(
    member_client, foreign_evaluation, django_capture_on_commit_callbacks
):
    other_user, evaluation = foreign_evaluation
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(user=other_user, evaluation=evaluation, kind="profiles")
    assert member_client.get(f"/batches/{batch.pk}/").status_code == 404
    assert member_client.get(f"/batches/{batch.pk}/progress/").status_code == 404
    assert member_client.post(f"/batches/{batch.pk}/cancel/").status_code == 404


def _cells(table: str) -> list[list[str]]:
    """A table's body rows as the text of their cells."""
    body = table.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_a_profiles_batch_shows_which_weights_each_run_used(
    member_client, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace,
        tools=three_tools,
        weight_overrides={"price": 90},
    )
    own = evaluation.profile
    other = WeightProfile.objects.create(slug="price-first", name="Price first")
    for key, value in (("roi", 1), ("industry_customization", 1), ("price", 8)):
        Weight.objects.create(
            profile=other, criterion=Criterion.objects.get(key=key), value=value
        )
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(
            user=evaluation.created_by,
            evaluation=evaluation,
            kind="profiles",
            profiles=[own.slug, other.slug],
        )
    page = member_client.get(f"/batches/{batch.pk}/").content.decode()
    winners = _cells(page.split('id="batch-winners"')[1].split("</table>")[0])
    used = sorted((row[1], row[2]) for row in winners)
    assert used == sorted(
        [
            (f"{own.name} {own.slug}", "the profile's own weights"),
            (f"{own.name} {own.slug}", "the evaluation's adjusted weights"),
            (f"{other.name} {other.slug}", "the profile's own weights"),
        ]
    )
    runs = _cells(page.split('id="batch-runs"')[1].split("</table>")[0])
    assert sorted(row[2] for row in runs) == sorted(
        [
            f"{own.name} the profile's own weights",
            f"{own.name} the evaluation's adjusted weights",
            f"{other.name} the profile's own weights",
        ]
    )
    # Each run's page says the same: the adjusted run used the override.
    for run in batch.runs.all():
        summary = (
            member_client.get(f"/runs/{run.pk}/")
            .content.decode()
            .split('id="run-summary"')[1]
            .split("</p>")[0]
        )
        adjusted = (
            dict(
                zip(
                    [c["key"] for c in run.inputs["criteria"]],
                    run.inputs["weights"],
                    strict=True,
                )
            )["price"]
            == 90
        )
        expected = "adjusted weights" if adjusted else "the profile&#x27;s own weights"
        assert expected in summary


def test_a_tie_for_first_names_every_tied_tool_on_the_batch_page(
    member_client, member, django_capture_on_commit_callbacks
):
    values = {"roi": 4, "industry_customization": 3, "price": 10}
    tools = [
        scored_tool(member[1], "Twin B", **values),
        scored_tool(member[1], "Twin A", **values),
        scored_tool(member[1], "Weak", roi=1, industry_customization=1, price=50),
    ]
    evaluation = EvaluationFactory(workspace=member[1], tools=tools)
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(
            user=member[0],
            evaluation=evaluation,
            kind="profiles",
            profiles=[evaluation.profile.slug],
        )
    page = member_client.get(f"/batches/{batch.pk}/").content.decode()
    [winner] = _cells(page.split('id="batch-winners"')[1].split("</table>")[0])
    assert winner[3] == "Twin A, Twin B (tied for first)"
    [run] = _cells(page.split('id="batch-runs"')[1].split("</table>")[0])
    assert run[4] == "Twin A, Twin B (tied for first)"

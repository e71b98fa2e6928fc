"""Batch pages: starting one from an evaluation, its progress and the winner of each
run, and no other workspace's batch."""

import pytest

from selector.services.batches import start_batch
from tests.factories import EvaluationFactory

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

"""The result pages say when the evaluation changed after the run they show, what
changed, and offer to run it again."""

import pytest
from django.test import Client

from selector.models import Run, Score
from selector.presenters.stale import CHANGE_LABELS
from selector.services.staleness import CHANGES
from tests.factories import EvaluationFactory, WorkspaceFactory, member, scored_tool

pytestmark = pytest.mark.django_db


def _run(client, evaluation, capture) -> Run:
    with capture(execute=True):
        client.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.filter(evaluation=evaluation).latest("id")
    assert run.status == Run.Status.DONE, run.error
    return run


def _changes(page: str) -> list[str]:
    if 'id="stale-result"' not in page:
        return []
    listing = page.split('id="stale-changes"')[1].split("</ul>")[0]
    return [part.split('"')[0] for part in listing.split('data-change="')[1:]]


def test_every_change_has_a_label():
    assert list(CHANGE_LABELS) == list(CHANGES)


def test_a_fresh_ranking_has_no_notice(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(workspace=member[1], tools=three_tools)
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)
    for url in (f"/evaluations/{evaluation.pk}/", f"/runs/{run.pk}/"):
        page = member_client.get(url).content.decode()
        assert 'id="stale-result"' not in page and "Run again" not in page


def test_both_pages_list_what_changed_with_a_run_again_button(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(workspace=member[1], tools=three_tools)
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)
    Score.objects.filter(tool=three_tools[0], criterion__key="roi").update(value=1)
    evaluation.method, evaluation.normalization = "topsis", "vector"
    evaluation.save()

    for url in (f"/evaluations/{evaluation.pk}/", f"/runs/{run.pk}/"):
        page = member_client.get(url).content.decode()
        assert _changes(page) == ["scores", "method", "normalization"]
        notice = page.split('id="stale-result"')[1].split("</div>")[0]
        assert f"What differs now from run #{run.pk}:" in notice
        assert "A tool&#x27;s score, or its low and high bounds." in notice
        assert "The ranking method." in notice
        assert f'action="/evaluations/{evaluation.pk}/run/"' in notice
        assert 'id="run-again"' in notice and "Run again" in notice


def test_running_again_clears_the_notice(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(workspace=member[1], tools=three_tools)
    _run(member_client, evaluation, django_capture_on_commit_callbacks)
    evaluation.tools.remove(three_tools[2])
    page = member_client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    assert _changes(page) == ["tools"]
    _run(member_client, evaluation, django_capture_on_commit_callbacks)
    page = member_client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    assert _changes(page) == []


def test_another_workspaces_evaluation_is_still_a_404(
    member_client, django_capture_on_commit_callbacks
):
    theirs = WorkspaceFactory()
    other = member(theirs)
    tools = [
        scored_tool(theirs, name, roi=roi, industry_customization=roi, price=9 - roi)
        for name, roi in [("X", 1), ("Y", 2)]
    ]
    evaluation = EvaluationFactory(workspace=theirs, tools=tools, created_by=other)
    with django_capture_on_commit_callbacks(execute=True):
        member_of_theirs = Client()
        member_of_theirs.force_login(other)
        member_of_theirs.post(f"/evaluations/{evaluation.pk}/run/")
    from_other = Run.objects.get(evaluation=evaluation)
    assert from_other.status == Run.Status.DONE, from_other.error
    Score.objects.filter(tool=tools[0], criterion__key="roi").update(value=5)
    assert (
        "stale-result"
        in member_of_theirs.get(f"/evaluations/{evaluation.pk}/").content.decode()
    )
    assert member_client.get(f"/evaluations/{evaluation.pk}/").status_code == 404
    assert member_client.get(f"/runs/{from_other.pk}/").status_code == 404

"""Runs API: start a run (202), follow it to done, read results and the ranking."""

import pytest

from selector.models import Run
from selector.services.runs import start_run
from tests.factories import (
    EvaluationFactory,
    WorkspaceFactory,
    api_client,
    member,
    scored_tool,
)

pytestmark = pytest.mark.django_db

KEYS = {"roi", "industry_customization", "price"}


def evaluation_of(workspace, size=3):
    tools = [
        scored_tool(
            workspace,
            f"Tool {i:02}",
            roi=1 + i % 5,
            industry_customization=1 + (i * 3) % 5,
            price=10 + 7 * i,
        )
        for i in range(size)
    ]
    return EvaluationFactory(workspace=workspace, tools=tools)


def start(api, evaluation, capture):
    with capture(execute=True):
        response = api.post(f"/api/v1/evaluations/{evaluation.pk}/runs/")
    assert response.status_code == 202, response.json()
    return response.json()


def test_starting_a_run_answers_202_with_the_queued_run(api, workspace):
    evaluation = evaluation_of(workspace)
    response = api.post(f"/api/v1/evaluations/{evaluation.pk}/runs/")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["evaluation"] == evaluation.pk
    assert Run.objects.get(pk=body["id"]).status == Run.Status.QUEUED


def test_a_run_is_done_with_results_by_rank_contributions_and_robustness(
    api, workspace, django_capture_on_commit_callbacks
):
    evaluation = evaluation_of(workspace, size=4)
    run = start(api, evaluation, django_capture_on_commit_callbacks)

    response = api.get(f"/api/v1/runs/{run['id']}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "done", body["error"]
    assert body["error"] == ""
    ranks = [row["rank"] for row in body["results"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert len(body["results"]) == 4
    for row in body["results"]:
        assert set(row["contributions"]) == KEYS
        assert isinstance(row["tool"], int)
    scores = [row["score"] for row in body["results"]]
    assert scores == sorted(scores, reverse=True)
    robustness = body["robustness"]
    assert len(robustness["tools"]) == 4
    for tool in robustness["tools"]:
        assert sum(tool["acceptability"]) == pytest.approx(1)
    assert {row["criterion"] for row in robustness["stability"]} == KEYS
    assert set(body["weights"]) == KEYS


def test_the_ranking_is_a_clear_404_until_a_run_is_done(api, workspace):
    evaluation = evaluation_of(workspace)
    response = api.get(f"/api/v1/evaluations/{evaluation.pk}/ranking/")
    assert response.status_code == 404
    assert "no finished run" in response.json()["detail"]
    api.post(f"/api/v1/evaluations/{evaluation.pk}/runs/")  # queued, not done
    assert api.get(f"/api/v1/evaluations/{evaluation.pk}/ranking/").status_code == 404


def test_the_ranking_is_the_latest_done_runs_results(
    api, workspace, django_capture_on_commit_callbacks
):
    evaluation = evaluation_of(workspace)
    start(api, evaluation, django_capture_on_commit_callbacks)
    latest = start(api, evaluation, django_capture_on_commit_callbacks)
    body = api.get(f"/api/v1/evaluations/{evaluation.pk}/ranking/").json()
    assert body["id"] == latest["id"]
    assert [row["rank"] for row in body["results"]] == [1, 2, 3]
    assert body["robustness"]["samples"] > 0


def test_a_run_that_cannot_be_ranked_is_a_400(api, workspace):
    tools = [scored_tool(workspace, "A", roi=4), scored_tool(workspace, "B", roi=3)]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    response = api.post(f"/api/v1/evaluations/{evaluation.pk}/runs/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "tools"
    assert "Missing scores" in response.json()["errors"][0]["message"]
    assert not Run.objects.exists()


def test_the_runs_of_an_evaluation_are_listed(api, workspace):
    evaluation = evaluation_of(workspace)
    api.post(f"/api/v1/evaluations/{evaluation.pk}/runs/")
    body = api.get(f"/api/v1/evaluations/{evaluation.pk}/runs/").json()
    assert body["count"] == 1
    assert api.get(f"/api/v1/runs/?evaluation={evaluation.pk}").json()["count"] == 1
    assert api.get("/api/v1/runs/?status=done").json()["count"] == 0


def test_another_workspaces_run_is_a_404(api, django_capture_on_commit_callbacks):
    theirs = WorkspaceFactory()
    evaluation = evaluation_of(theirs)
    start(api_client(member(theirs)), evaluation, django_capture_on_commit_callbacks)
    run = Run.objects.get()
    response = api.get(f"/api/v1/runs/{run.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "No Run matches the given query."
    assert api.get("/api/v1/runs/").json()["count"] == 0
    assert api.get(f"/api/v1/runs/?evaluation={evaluation.pk}").json()["count"] == 0
    # Runs are read-only for everyone, so a write is refused before any lookup.
    assert api.delete(f"/api/v1/runs/{run.pk}/").status_code == 405
    assert Run.objects.filter(pk=run.pk).exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_run_cannot_be_changed_or_deleted_even_by_its_owner(
    api, workspace, method, django_capture_on_commit_callbacks
):
    evaluation = evaluation_of(workspace)
    run = start(api, evaluation, django_capture_on_commit_callbacks)
    url = f"/api/v1/runs/{run['id']}/"
    assert api.get(url).status_code == 200  # the owner sees it...
    response = getattr(api, method)(url, {"status": "failed"}, format="json")
    assert response.status_code == 405  # ...but may not change it
    assert Run.objects.get(pk=run["id"]).status == Run.Status.DONE


@pytest.mark.parametrize("size", [3, 30])
def test_the_ranking_takes_a_bounded_number_of_queries(
    api,
    workspace,
    size,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    evaluation = evaluation_of(workspace, size=size)
    start(api, evaluation, django_capture_on_commit_callbacks)
    # token, evaluation, latest done run's id and snapshot, the staleness check (the
    # evaluation's weights, tools, scores), then (not cached yet) the run, its results
    with django_assert_max_num_queries(8):
        response = api.get(f"/api/v1/evaluations/{evaluation.pk}/ranking/")
    assert response.status_code == 200, response.json()
    assert len(response.json()["results"]) == size
    assert [row["rank"] for row in response.json()["results"]][0] == 1
    run_id = response.json()["id"]
    # token, run, its results
    with django_assert_max_num_queries(3):
        response = api.get(f"/api/v1/runs/{run_id}/")
    assert response.status_code == 200, response.json()
    assert (response.json()["id"], response.json()["status"]) == (run_id, "done")
    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_run_list_takes_a_bounded_number_of_queries(
    api, workspace, size, django_assert_max_num_queries
):
    evaluation = evaluation_of(workspace)
    for _ in range(size):
        api.post(f"/api/v1/evaluations/{evaluation.pk}/runs/")
    # token, count, the runs (with their batch), their first places
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/runs/")
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == size
    assert {run["evaluation"] for run in response.json()["results"]} == {evaluation.pk}


def test_a_run_the_engine_refuses_fails_with_the_reason(
    api, workspace, django_capture_on_commit_callbacks
):
    evaluation = evaluation_of(workspace)
    # Two criteria whose weights cannot even be added up.
    evaluation.weight_overrides = {"roi": 1e308, "industry_customization": 1e308}
    evaluation.save()
    run = start(api, evaluation, django_capture_on_commit_callbacks)
    body = api.get(f"/api/v1/runs/{run['id']}/").json()
    assert body["status"] == "failed"
    assert "too large" in body["error"]
    assert body["results"] == []
    assert api.get(f"/api/v1/evaluations/{evaluation.pk}/ranking/").status_code == 404


def test_the_ranking_of_a_done_run_is_served_from_the_cache(
    api,
    owner,
    workspace,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    tools = [
        scored_tool(
            workspace, name, roi=roi, industry_customization=roi, price=10 - roi
        )
        for roi, name in enumerate("XYZ", start=1)
    ]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_run(user=owner, evaluation=evaluation)
    run.refresh_from_db()
    assert run.status == "done", run.error
    url = f"/api/v1/evaluations/{evaluation.pk}/ranking/"
    first = api.get(url)
    assert first.status_code == 200, first.json()
    assert [r["name"] for r in first.json()["results"]] == ["Z", "Y", "X"]
    # Token, evaluation, latest run id and snapshot, the staleness check's weights,
    # tools and scores: the run and its results come from the cache.
    with django_assert_max_num_queries(6):
        second = api.get(url)
    assert second.status_code == 200, second.json()
    assert second.json() == first.json()

"""The ranking says whether the evaluation changed since its run: ``stale`` and
``changed``, the parts of the run's snapshot that differ from the evaluation now."""

import pytest

from selector.models import Criterion, Evaluation
from selector.services.batches import start_batch
from selector.services.evaluations import save_evaluation
from selector.services.runs import start_run
from selector.services.staleness import CHANGES, evaluation_staleness
from selector.services.tools import save_tool
from tests.factories import (
    EvaluationFactory,
    WorkspaceFactory,
    api_client,
    member,
    score,
    scored_tool,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(workspace):
    tools = [
        scored_tool(workspace, name, roi=roi, industry_customization=fit, price=price)
        for name, roi, fit, price in [("A", 4, 3, 30), ("B", 5, 2, 25), ("C", 2, 5, 10)]
    ]
    return EvaluationFactory(workspace=workspace, tools=tools)


@pytest.fixture
def ran(owner, evaluation, django_capture_on_commit_callbacks):
    """Run the evaluation (done, in-process) and return it."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            done = start_run(user=owner, evaluation=evaluation)
        done.refresh_from_db()
        assert done.status == "done", done.error
        return done

    return run


def ranking(api, evaluation) -> dict:
    response = api.get(f"/api/v1/evaluations/{evaluation.pk}/ranking/")
    assert response.status_code == 200, response.json()
    return response.json()


def patch(api, evaluation, **data):
    response = api.patch(f"/api/v1/evaluations/{evaluation.pk}/", data, format="json")
    assert response.status_code == 200, response.json()


def test_the_changed_names_are_the_closed_list_in_its_order():
    assert list(CHANGES) == [
        "tools",
        "scores",
        "weights",
        "method",
        "options",
        "normalization",
        "missing_scores",
    ]


def test_without_a_done_run_nothing_is_stale(evaluation):
    staleness = evaluation_staleness(evaluation)
    assert (staleness.run_id, staleness.stale, staleness.changed) == (None, False, [])


def test_the_ranking_is_not_stale_right_after_a_run(api, evaluation, ran):
    run = ran()
    body = ranking(api, evaluation)
    assert (body["id"], body["stale"], body["changed"]) == (run.pk, False, [])


def test_a_score_patched_through_the_api_makes_it_stale(api, evaluation, ran):
    ran()
    tool = evaluation.tools.get(name="B")
    response = api.patch(f"/api/v1/tools/{tool.pk}/", {"scores": {"roi": 1}})
    assert response.status_code == 200, response.json()
    body = ranking(api, evaluation)
    assert (body["stale"], body["changed"]) == (True, ["scores"])


def test_a_score_saved_through_the_service_makes_it_stale(
    api, owner, workspace, evaluation, ran
):
    ran()
    tool = evaluation.tools.get(name="A")
    save_tool(
        user=owner,
        workspace=workspace,
        tool=tool,
        data={"name": "A"},
        scores={"price": {"value": 30, "low": 20, "high": 40}},
    )
    # Same value, new bounds: the run's uncertainty analysis used other bounds.
    assert ranking(api, evaluation)["changed"] == ["scores"]


def test_changing_a_value_back_leaves_it_fresh(api, evaluation, ran):
    ran()
    tool = evaluation.tools.get(name="B")
    api.patch(f"/api/v1/tools/{tool.pk}/", {"scores": {"roi": 1}}, format="json")
    api.patch(f"/api/v1/tools/{tool.pk}/", {"scores": {"roi": 5}}, format="json")
    assert ranking(api, evaluation)["stale"] is False


@pytest.mark.parametrize(
    "change, changed",
    [
        ({"weights": {"roi": 90}}, ["weights"]),
        ({"method": "topsis"}, ["method"]),
        ({"normalization": "vector"}, ["normalization"]),
        ({"missing_scores": "worst"}, ["missing_scores"]),
        ({"method": "topsis", "normalization": "sum"}, ["method", "normalization"]),
    ],
)
def test_an_edit_of_the_evaluation_names_what_changed(
    api, evaluation, ran, change, changed
):
    ran()
    patch(api, evaluation, **change)
    body = ranking(api, evaluation)
    assert (body["stale"], body["changed"]) == (True, changed)


def test_a_tool_left_out_changes_the_tools_not_the_scores(api, evaluation, ran):
    ran()
    kept = list(
        evaluation.tools.filter(name__in=["A", "B"]).values_list("pk", flat=True)
    )
    patch(api, evaluation, tools=kept)
    assert ranking(api, evaluation)["changed"] == ["tools"]


def test_a_tool_renamed_changes_the_tools(api, evaluation, ran):
    ran()
    tool = evaluation.tools.get(name="C")
    api.patch(f"/api/v1/tools/{tool.pk}/", {"name": "C2"}, format="json")
    assert ranking(api, evaluation)["changed"] == ["tools"]


def test_the_methods_options_are_compared(api, owner, workspace, evaluation, ran):
    save_evaluation(
        user=owner,
        workspace=workspace,
        evaluation=evaluation,
        name=evaluation.name,
        profile=evaluation.profile,
        tools=evaluation.tools.all(),
        method="vikor",
        method_options={"v": 0.5},
    )
    ran()
    assert ranking(api, evaluation)["stale"] is False
    patch(api, evaluation, options={"v": 0.25})
    assert ranking(api, evaluation)["changed"] == ["options"]


def test_a_score_filled_as_worst_then_entered_is_a_change(
    api, workspace, evaluation, ran
):
    Evaluation.objects.filter(pk=evaluation.pk).update(missing_scores="worst")
    evaluation.refresh_from_db()
    evaluation.tools.get(name="C").scores.filter(criterion__key="roi").delete()
    run = ran()
    assert [c["tool"] for c in run.inputs["filled_as_worst"]] == ["C"]
    assert ranking(api, evaluation)["stale"] is False
    score(evaluation.tools.get(name="C"), "roi", 2)
    assert ranking(api, evaluation)["changed"] == ["scores"]


def test_an_older_snapshot_without_the_policy_is_compared_by_its_fills(
    api, evaluation, ran
):
    run = ran()
    inputs = dict(run.inputs)
    del inputs["missing_scores"]  # as runs before the key was kept
    type(run).objects.filter(pk=run.pk).update(inputs=inputs)
    patch(api, evaluation, missing_scores="worst")
    # Nothing was filled, so the old policy is unknown: not reported.
    assert ranking(api, evaluation)["stale"] is False


def test_it_is_stale_when_the_evaluation_cannot_be_ranked_any_more(
    api, evaluation, ran
):
    ran()
    tool = evaluation.tools.get(name="A")
    tool.scores.filter(criterion=Criterion.objects.get(key="price")).delete()
    # Blocked now (a missing score), yet the ranking still says what changed.
    assert ranking(api, evaluation)["changed"] == ["scores"]


def test_another_workspaces_ranking_is_still_a_404(
    api, django_capture_on_commit_callbacks
):
    theirs = WorkspaceFactory()
    other = member(theirs)
    tools = [
        scored_tool(theirs, name, roi=roi, industry_customization=roi, price=9 - roi)
        for name, roi in [("X", 1), ("Y", 2)]
    ]
    evaluation = EvaluationFactory(workspace=theirs, tools=tools)
    with django_capture_on_commit_callbacks(execute=True):
        start_run(user=other, evaluation=evaluation)
    assert ranking(api_client(other), evaluation)["stale"] is False
    response = api.get(f"/api/v1/evaluations/{evaluation.pk}/ranking/")
    assert response.status_code == 404
    assert "stale" not in response.json()


def test_the_schema_documents_stale_and_changed(api):
    schema = api.get("/api/schema/?format=json").json()
    ranking_schema = schema["components"]["schemas"]["Ranking"]
    properties = ranking_schema["properties"]
    assert properties["stale"]["type"] == "boolean"
    changed = properties["changed"]["items"]
    enum = schema["components"]["schemas"][changed["$ref"].rsplit("/", 1)[1]]["enum"]
    assert enum == list(CHANGES)
    operation = schema["paths"]["/api/v1/evaluations/{id}/ranking/"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"][
        "$ref"
    ].endswith("/Ranking")


@pytest.mark.parametrize("kind", ["profiles", "smaa"])
def test_a_batchs_runs_do_not_replace_the_evaluations_own_result(
    api, owner, evaluation, ran, kind, django_capture_on_commit_callbacks
):
    """Ranking under every profile, or a Monte Carlo study, runs the evaluation under
    other weights or sample counts: its result stays the evaluation's own run, which
    is therefore not stale."""
    own = ran()
    with django_capture_on_commit_callbacks(execute=True):
        start_batch(
            user=owner,
            evaluation=evaluation,
            kind=kind,
            **({"samples": 2000} if kind == "smaa" else {}),
        )
    assert evaluation.runs.filter(status="done").count() > 1
    body = ranking(api, evaluation)
    assert body["id"] == own.pk
    assert (body["stale"], body["changed"]) == (False, [])

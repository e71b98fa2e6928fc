"""Evaluations API: create with a profile and weight overrides, edit, delete, scope."""

import numpy as np
import pytest

from selector.models import Evaluation, Membership, Run
from tests.factories import (
    EvaluationFactory,
    WorkspaceFactory,
    api_client,
    member,
    scored_tool,
)

pytestmark = pytest.mark.django_db

PROFILE = "menlo-2024-app-selection"


@pytest.fixture
def tools(workspace):
    return [
        scored_tool(workspace, "Copilot", roi=4, industry_customization=3, price=30),
        scored_tool(workspace, "Claude", roi=5, industry_customization=2, price=25),
    ]


def new_evaluation(workspace, tools, **extra):
    return {
        "workspace": workspace.pk,
        "name": "Coding assistant 2025",
        "tools": [tool.pk for tool in tools],
        "profile": PROFILE,
        "method": "wsm",
        **extra,
    }


def test_it_creates_an_evaluation_with_weight_overrides(api, workspace, tools):
    data = new_evaluation(workspace, tools, weights={"price": 10})
    response = api.post("/api/v1/evaluations/", data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["profile"] == PROFILE
    assert sorted(body["tools"]) == sorted(t.pk for t in tools)
    assert body["weights"] == {"price": 10}
    assert body["method"] == "wsm"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"weights": {"price": -1}}, "weights.price"),
        ({"weights": {"security_safety": 3}}, "weights.security_safety"),
        ({"weights": {"roi": 0, "industry_customization": 0, "price": 0}}, "weights"),
        ({"weights": {"roi": "lots"}}, "weights.roi"),
        ({"profile": "no-such-profile"}, "profile"),
        ({"profile": "nul\x00byte"}, "profile"),  # PostgreSQL refuses NUL in text
        ({"method": "magic"}, "method"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, workspace, tools, extra, field):
    response = api.post(
        "/api/v1/evaluations/", new_evaluation(workspace, tools, **extra)
    )
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert not Evaluation.objects.exists()


def test_it_needs_two_tools(api, workspace, tools):
    response = api.post("/api/v1/evaluations/", new_evaluation(workspace, tools[:1]))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "tools"


def test_another_workspaces_tools_cannot_be_evaluated(api, workspace, tools):
    stranger = scored_tool(WorkspaceFactory(), "Secret", roi=3)
    response = api.post(
        "/api/v1/evaluations/", new_evaluation(workspace, [*tools, stranger])
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "tools"


def test_it_edits_and_deletes_an_evaluation(api, workspace, tools):
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    url = f"/api/v1/evaluations/{evaluation.pk}/"
    response = api.patch(url, {"method": "topsis", "weights": {"roi": 50}})
    assert response.status_code == 200, response.json()
    assert response.json()["method"] == "topsis"
    assert response.json()["weights"] == {"roi": 50}
    assert response.json()["name"] == evaluation.name
    assert api.delete(url).status_code == 204
    assert not Evaluation.objects.exists()


def test_another_workspaces_evaluation_is_a_404_for_every_method(api):
    theirs = WorkspaceFactory()
    evaluation = EvaluationFactory(
        workspace=theirs,
        tools=[scored_tool(theirs, "A", roi=1), scored_tool(theirs, "B", roi=2)],
    )
    base = f"/api/v1/evaluations/{evaluation.pk}/"
    assert api.get(base).status_code == 404
    assert api.patch(base, {"name": "x"}).status_code == 404
    assert api.delete(base).status_code == 404
    assert api.get(base + "runs/").status_code == 404
    assert api.post(base + "runs/").status_code == 404
    assert api.get(base + "ranking/").status_code == 404
    assert api.get("/api/v1/evaluations/").json()["count"] == 0
    assert Evaluation.objects.filter(pk=evaluation.pk).exists()


def test_a_viewer_cannot_change_an_evaluation(workspace, tools):
    viewer = api_client(member(workspace, role=Membership.Role.VIEWER))
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    url = f"/api/v1/evaluations/{evaluation.pk}/"
    assert viewer.get(url).status_code == 200
    assert (
        viewer.post(
            "/api/v1/evaluations/", new_evaluation(workspace, tools)
        ).status_code
        == 403
    )
    assert viewer.patch(url, {"name": "x"}).status_code == 403
    assert viewer.delete(url).status_code == 403
    assert viewer.post(url + "runs/").status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_takes_a_bounded_number_of_queries(
    api, workspace, size, django_assert_max_num_queries
):
    tools = [scored_tool(workspace, f"Tool {i}", roi=3) for i in range(4)]
    for _ in range(size):
        EvaluationFactory(workspace=workspace, tools=tools)
    # token, count, page, tool ids
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/evaluations/")
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == size
    assert len(response.json()["results"][0]["tools"]) == 4


# The method's own options.

THRESHOLDS = {
    "preference": "linear",
    "q": {"roi": 0.5, "industry_customization": 0.5, "price": 2},
    "p": {"roi": 2, "industry_customization": 2, "price": 15},
}


def test_an_evaluation_keeps_its_methods_options_and_its_runs_use_them(
    api, workspace, tools, django_capture_on_commit_callbacks
):
    methods = pytest.importorskip("pymcdm.methods")  # an independent implementation
    tools.append(
        scored_tool(workspace, "Gemini", roi=3, industry_customization=5, price=20)
    )
    data = new_evaluation(workspace, tools, method="promethee2", options=THRESHOLDS)
    response = api.post("/api/v1/evaluations/", data)
    assert response.status_code == 201, response.json()
    assert response.json()["options"] == THRESHOLDS
    evaluation_id = response.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        run_id = api.post(f"/api/v1/evaluations/{evaluation_id}/runs/").json()["id"]
    run = api.get(f"/api/v1/runs/{run_id}/").json()
    assert run["status"] == "done", run
    run_inputs = Run.objects.get(pk=run_id).inputs
    keys = [c["key"] for c in run_inputs["criteria"]]
    assert run_inputs["method_options"] == {
        "preference": "linear",
        "q": [THRESHOLDS["q"][k] for k in keys],
        "p": [THRESHOLDS["p"][k] for k in keys],
    }
    matrix = np.array(run_inputs["matrix"])
    weights = np.array(run_inputs["weights"]) / sum(run_inputs["weights"])
    signs = [1 if c["direction"] == "benefit" else -1 for c in run_inputs["criteria"]]
    theirs = methods.PROMETHEE_II(
        "vshape_2",  # pymcdm's name for the linear function with q and p
        q=np.array(run_inputs["method_options"]["q"], float),
        p=np.array(run_inputs["method_options"]["p"], float),
    )(matrix, weights, np.array(signs))
    expected = dict(zip([t["name"] for t in run_inputs["tools"]], theirs, strict=True))
    for row in run["results"]:
        assert row["score"] == pytest.approx(expected[row["name"]])


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"method": "wsm", "options": {"v": 0.3}}, "options.v"),
        ({"method": "vikor", "options": {"v": 2}}, "options.v"),
        (
            {"method": "promethee2", "options": {**THRESHOLDS, "q": {"roi": 1}}},
            "options.q.price",
        ),
        (
            {"method": "promethee2", "options": {"preference": "linear", "q": 1}},
            "options",
        ),
    ],
)
def test_options_the_method_cannot_use_are_a_400_naming_them(
    api, workspace, tools, extra, field
):
    response = api.post(
        "/api/v1/evaluations/", new_evaluation(workspace, tools, **extra)
    )
    assert response.status_code == 400, response.json()
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert not Evaluation.objects.exists()


def test_options_stay_while_the_method_does_and_go_when_it_changes(
    api, workspace, tools
):
    data = new_evaluation(workspace, tools, method="vikor", options={"v": 0.3})
    evaluation_id = api.post("/api/v1/evaluations/", data).json()["id"]
    url = f"/api/v1/evaluations/{evaluation_id}/"
    renamed = api.patch(url, {"name": "Renamed"}).json()
    assert renamed["options"] == {"v": 0.3}
    moved = api.patch(url, {"method": "topsis"}).json()
    assert (moved["method"], moved["options"]) == ("topsis", {})

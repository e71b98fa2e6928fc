"""Tools API: create with scores by criterion key, read, edit, delete, filter, scope."""

import pytest

from selector.models import Membership, Tool
from tests.factories import (
    MembershipFactory,
    ToolFactory,
    WorkspaceFactory,
    api_client,
    member,
    scored_tool,
)

pytestmark = pytest.mark.django_db


def new_tool(workspace, **extra):
    return {
        "workspace": workspace.pk,
        "name": "Copilot",
        "vendor": "GitHub",
        "scores": {"roi": 4, "industry_customization": 3, "price": 30},
        **extra,
    }


def test_it_creates_a_tool_with_scores_by_criterion_key(api, workspace):
    response = api.post("/api/v1/tools/", new_tool(workspace))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["workspace"] == workspace.pk
    assert {key: s["value"] for key, s in body["scores"].items()} == {
        "roi": 4,
        "industry_customization": 3,
        "price": 30,
    }
    assert Tool.objects.get(pk=body["id"]).scores.count() == 3


def test_a_score_can_carry_bounds_and_evidence(api, workspace):
    data = new_tool(
        workspace,
        scores={"roi": {"value": 4, "low": 3, "high": 5, "evidence": "pilot"}},
    )
    body = api.post("/api/v1/tools/", data).json()
    assert body["scores"]["roi"] == {
        "value": 4,
        "low": 3,
        "high": 5,
        "evidence": "pilot",
    }


def test_an_out_of_scale_score_is_a_400_naming_the_field(api, workspace):
    response = api.post("/api/v1/tools/", new_tool(workspace, scores={"roi": 9}))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == "scores.roi"
    assert "at most 5" in errors[0]["message"]
    assert not Tool.objects.exists()  # nothing half-written


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"nope": 3}, "scores"),
        ({"roi": "four"}, "scores.roi"),
        ({"roi": True}, "scores.roi"),
        ({"roi": [4]}, "scores.roi"),
        ({"bad key!": 4}, "scores.bad key!"),
        ({"price": 10**400}, "scores.price"),
        ({"roi": {"value": 3, "low": 10**400}}, "scores.roi"),
    ],
)
def test_bad_scores_are_400s_with_the_field_path(api, workspace, scores, field):
    response = api.post("/api/v1/tools/", new_tool(workspace, scores=scores))
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_duplicate_name_is_a_400(api, workspace):
    ToolFactory(workspace=workspace, name="Copilot")
    response = api.post("/api/v1/tools/", new_tool(workspace, name="copilot"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"


def test_it_reads_edits_and_deletes_a_tool(api, workspace):
    tool = scored_tool(workspace, "Claude", roi=4, price=25)
    url = f"/api/v1/tools/{tool.pk}/"
    assert api.get(url).json()["name"] == "Claude"

    response = api.patch(
        url, {"vendor": "Anthropic", "scores": {"roi": 5, "price": None}}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["vendor"] == "Anthropic"
    assert body["name"] == "Claude"
    assert set(body["scores"]) == {"roi"}
    assert body["scores"]["roi"]["value"] == 5

    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_the_list_filters_by_workspace_name_and_category(api, owner, workspace):
    other = WorkspaceFactory()
    MembershipFactory(workspace=other, user=owner, role=Membership.Role.EDITOR)
    ToolFactory(
        workspace=workspace, name="Copilot", category=Tool.Category.CODE_COPILOT
    )
    ToolFactory(
        workspace=workspace, name="Glean", category=Tool.Category.ENTERPRISE_SEARCH
    )
    ToolFactory(workspace=other, name="Cursor", category=Tool.Category.CODE_COPILOT)

    def names(query):
        response = api.get(f"/api/v1/tools/?{query}")
        assert response.status_code == 200
        return sorted(t["name"] for t in response.json()["results"])

    assert names("") == ["Copilot", "Cursor", "Glean"]
    assert names(f"workspace={workspace.pk}") == ["Copilot", "Glean"]
    assert names("name=copilot") == ["Copilot"]
    assert names("category=code_copilot") == ["Copilot", "Cursor"]
    assert names("search=ean") == ["Glean"]
    assert api.get("/api/v1/tools/?category=nothing").status_code == 400
    assert api.get("/api/v1/tools/?workspace=abc").status_code == 400


def test_lists_are_paginated(api, workspace):
    for i in range(3):
        ToolFactory(workspace=workspace, name=f"T{i}")
    body = api.get("/api/v1/tools/").json()
    assert body["count"] == 3
    assert {"next", "previous", "results"} <= set(body)


def test_another_workspaces_tool_is_a_404_for_every_method(api):
    stranger = scored_tool(WorkspaceFactory(), "Secret", roi=3)
    url = f"/api/v1/tools/{stranger.pk}/"
    assert api.get(url).status_code == 404
    assert api.patch(url, {"name": "Mine"}).status_code == 404
    assert api.delete(url).status_code == 404
    assert Tool.objects.get(pk=stranger.pk).name == "Secret"
    assert api.get("/api/v1/tools/").json()["count"] == 0


def test_creating_a_tool_in_another_workspace_is_refused(api):
    response = api.post("/api/v1/tools/", new_tool(WorkspaceFactory()))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "workspace"
    assert not Tool.objects.exists()


def test_a_viewer_reads_but_cannot_write(workspace):
    viewer = api_client(member(workspace, role=Membership.Role.VIEWER))
    tool = scored_tool(workspace, "Claude", roi=4)
    url = f"/api/v1/tools/{tool.pk}/"
    assert viewer.get(url).status_code == 200
    assert viewer.post("/api/v1/tools/", new_tool(workspace)).status_code == 403
    assert viewer.patch(url, {"name": "Renamed"}).status_code == 403
    assert viewer.delete(url).status_code == 403
    assert Tool.objects.filter(name="Claude").exists()


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_takes_a_bounded_number_of_queries(
    api, workspace, size, django_assert_max_num_queries
):
    for i in range(size):
        scored_tool(
            workspace, f"Tool {i:02}", roi=3, industry_customization=4, price=10 + i
        )
    # token, count, page of tools, their scores
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/tools/")
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == size
    assert len(response.json()["results"][0]["scores"]) == 3

"""Batches API: start a batch of runs (202) and follow its progress."""

import pytest

from selector.models import Batch, Membership, WeightProfile
from tests.factories import (
    EvaluationFactory,
    WorkspaceFactory,
    api_client,
    member,
    scored_tool,
)

pytestmark = pytest.mark.django_db

EVERY_CRITERION = {
    "roi": 4,
    "industry_customization": 3,
    "price": 30,
    "security_safety": 4,
    "performance": 3,
    "expanded_capabilities": 2,
    "implementation_costs": 3,
    "data_privacy_risk": 2,
    "hallucination_risk": 3,
}


def evaluation_of(workspace, size=3):
    tools = [
        scored_tool(
            workspace,
            f"Tool {i:02}",
            **{
                key: (value + i) % 5 + 1 if key != "price" else value + i
                for key, value in EVERY_CRITERION.items()
            },
        )
        for i in range(size)
    ]
    return EvaluationFactory(workspace=workspace, tools=tools)


def test_a_profiles_batch_runs_the_evaluation_under_every_profile(
    api, workspace, django_capture_on_commit_callbacks
):
    evaluation = evaluation_of(workspace)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/batches/", {"evaluation": evaluation.pk, "kind": "profiles"}
        )
    assert response.status_code == 202, response.json()
    batch_id = response.json()["id"]
    body = api.get(f"/api/v1/batches/{batch_id}/").json()
    assert body["total"] == WeightProfile.objects.count()
    assert body["done"] == body["total"]
    assert body["failed"] == 0
    assert body["status"] == "done"


def test_a_batch_can_be_limited_to_some_profiles(api, workspace):
    evaluation = evaluation_of(workspace)
    response = api.post(
        "/api/v1/batches/",
        {
            "evaluation": evaluation.pk,
            "kind": "profiles",
            "profiles": ["menlo-2024-app-selection"],
        },
    )
    assert response.status_code == 202, response.json()
    assert response.json()["total"] == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "everything"}, "kind"),
        ({"kind": "profiles", "samples": 10}, "samples"),
        ({"kind": "profiles", "profiles": ["nope"]}, "profiles"),
    ],
)
def test_bad_batch_input_is_a_400(api, workspace, extra, field):
    evaluation = evaluation_of(workspace)
    response = api.post("/api/v1/batches/", {"evaluation": evaluation.pk, **extra})
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Batch.objects.exists()


def test_another_workspaces_evaluation_and_batch_are_out_of_reach(
    api, django_capture_on_commit_callbacks
):
    theirs = WorkspaceFactory()
    evaluation = evaluation_of(theirs)
    response = api.post(
        "/api/v1/batches/", {"evaluation": evaluation.pk, "kind": "profiles"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "evaluation"
    owner = api_client(member(theirs))
    batch_id = owner.post(
        "/api/v1/batches/", {"evaluation": evaluation.pk, "kind": "profiles"}
    ).json()["id"]
    assert api.get(f"/api/v1/batches/{batch_id}/").status_code == 404
    assert api.get("/api/v1/batches/").json()["count"] == 0


def test_a_viewer_cannot_start_a_batch(workspace):
    evaluation = evaluation_of(workspace)
    viewer = api_client(member(workspace, role=Membership.Role.VIEWER))
    response = viewer.post(
        "/api/v1/batches/", {"evaluation": evaluation.pk, "kind": "profiles"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_takes_a_bounded_number_of_queries(
    api, workspace, size, django_assert_max_num_queries
):
    evaluation = evaluation_of(workspace, size=2)
    for _ in range(size):
        Batch.objects.create(
            workspace=workspace,
            evaluation=evaluation,
            kind=Batch.Kind.PROFILES,
            total=3,
        )
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/batches/")
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == size
    assert {batch["evaluation"] for batch in response.json()["results"]} == {
        evaluation.pk
    }

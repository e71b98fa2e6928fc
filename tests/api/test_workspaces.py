"""Workspaces API: create one (you become its owner); list only your own."""

import pytest

from selector.models import Membership, Workspace
from tests.factories import UserFactory, WorkspaceFactory, api_client, member

pytestmark = pytest.mark.django_db


def test_creating_a_workspace_makes_the_caller_its_owner():
    user = UserFactory()
    response = api_client(user).post("/api/v1/workspaces/", {"name": "Platform team"})
    assert response.status_code == 201
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["role"] == "owner"
    assert Membership.objects.get(workspace_id=body["id"]).user == user


def test_a_workspace_needs_a_name():
    response = api_client(UserFactory()).post("/api/v1/workspaces/", {"name": ""})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"
    assert not Workspace.objects.exists()


def test_the_list_shows_only_the_callers_workspaces():
    mine = WorkspaceFactory(name="Mine")
    user = member(mine, role=Membership.Role.VIEWER)
    WorkspaceFactory(name="Theirs")
    api = api_client(user)
    body = api.get("/api/v1/workspaces/").json()
    assert [(w["name"], w["role"]) for w in body["results"]] == [("Mine", "viewer")]
    assert api.get(f"/api/v1/workspaces/{mine.pk}/").status_code == 200
    other = Workspace.objects.get(name="Theirs")
    assert api.get(f"/api/v1/workspaces/{other.pk}/").status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_takes_a_bounded_number_of_queries(
    size, django_assert_max_num_queries
):
    user = UserFactory()
    for _ in range(size):
        Membership.objects.create(workspace=WorkspaceFactory(), user=user)
    api = api_client(user)
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/workspaces/")
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == size

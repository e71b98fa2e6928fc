"""The home page and the workspace switcher: a new user is guided, a member of several
workspaces switches between them, and only to their own."""

import pytest

from tests.factories import MembershipFactory, ToolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_guides_a_new_user(client, db):
    user = UserFactory(username="first-timer")
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "first-timer&#x27;s workspace" in page
    assert "Enter the candidate tools" in page


def test_a_member_of_two_workspaces_can_switch_between_them(client, member):
    user, first = member
    second = MembershipFactory(user=user, workspace__name="Second team").workspace
    ToolFactory(workspace=second, name="Only in second")
    client.force_login(user)
    assert "Only in second" not in client.get("/tools/").content.decode()
    response = client.post("/workspace/", {"workspace": second.pk, "next": "/tools/"})
    assert response.url == "/tools/"
    assert "Only in second" in client.get("/tools/").content.decode()


def test_switching_to_a_foreign_workspace_is_a_404(member_client):
    foreign = MembershipFactory().workspace
    assert (
        member_client.post("/workspace/", {"workspace": foreign.pk}).status_code == 404
    )


def test_switching_never_redirects_to_another_site(client, member):
    user, workspace = member
    client.force_login(user)
    response = client.post(
        "/workspace/", {"workspace": workspace.pk, "next": "https://evil.example/"}
    )
    assert response.url == "/"


@pytest.mark.parametrize("value", ["abc", "1e3", "", "-1", "99999999999999999999999"])
def test_switching_to_a_workspace_that_is_not_an_id_is_a_404(member_client, value):
    assert member_client.post("/workspace/", {"workspace": value}).status_code == 404

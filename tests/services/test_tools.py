"""Tool and score services: validation against each criterion's scale, atomic, roles."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from selector.models import Membership, Score, Tool
from selector.services.tools import delete_tool, save_tool
from selector.services.workspaces import ensure_membership
from tests.factories import MembershipFactory, ToolFactory, UserFactory


def test_it_creates_a_tool_with_its_scores(member):
    user, workspace = member
    tool = save_tool(
        user=user,
        workspace=workspace,
        data={"name": "Claude for Work", "vendor": "Anthropic", "list_price": 30},
        scores={
            "roi": 4,
            "price": 30,
            "industry_customization": {"value": 3, "low": 2, "high": 4},
        },
    )
    scores = {s.criterion.key: (s.value, s.low, s.high) for s in tool.scores.all()}
    assert scores == {
        "roi": (4, None, None),
        "price": (30, None, None),
        "industry_customization": (3, 2, 4),
    }


def test_it_rejects_a_rating_outside_its_scale_and_saves_nothing(member):
    user, workspace = member
    with pytest.raises(ValidationError) as error:
        save_tool(
            user=user,
            workspace=workspace,
            data={"name": "X"},
            scores={"roi": 7, "price": 10},
        )
    assert "must be at most 5" in str(error.value.message_dict["scores.roi"])
    assert not Tool.objects.filter(name="X").exists()
    assert not Score.objects.exists()


def test_it_rejects_a_negative_price(member):
    user, workspace = member
    with pytest.raises(ValidationError) as error:
        save_tool(
            user=user, workspace=workspace, data={"name": "X"}, scores={"price": -1}
        )
    assert "at least 0" in str(error.value.message_dict["scores.price"])


@pytest.mark.parametrize("value", ["abc", "nan", "inf", True])
def test_it_rejects_a_score_that_is_not_a_finite_number(member, value):
    user, workspace = member
    with pytest.raises(ValidationError) as error:
        save_tool(
            user=user, workspace=workspace, data={"name": "X"}, scores={"roi": value}
        )
    assert "scores.roi" in error.value.message_dict


def test_it_rejects_bounds_that_do_not_surround_the_value(member):
    user, workspace = member
    with pytest.raises(ValidationError) as error:
        save_tool(
            user=user,
            workspace=workspace,
            data={"name": "X"},
            scores={"roi": {"value": 3, "low": 4}},
        )
    assert "low bound" in str(error.value)


def test_it_rejects_an_unknown_criterion(member):
    user, workspace = member
    with pytest.raises(ValidationError, match="Unknown criterion 'speed'"):
        save_tool(
            user=user, workspace=workspace, data={"name": "X"}, scores={"speed": 3}
        )


def test_tool_names_are_unique_per_workspace_ignoring_case(member):
    user, workspace = member
    save_tool(user=user, workspace=workspace, data={"name": "Glean"})
    with pytest.raises(ValidationError, match="already exists"):
        save_tool(user=user, workspace=workspace, data={"name": "glean"})
    other = MembershipFactory(user=user).workspace
    save_tool(user=user, workspace=other, data={"name": "Glean"})


def test_an_empty_score_deletes_it(member):
    user, workspace = member
    tool = save_tool(
        user=user, workspace=workspace, data={"name": "X"}, scores={"roi": 3}
    )
    save_tool(
        user=user, workspace=tool.workspace, data={}, tool=tool, scores={"roi": None}
    )
    assert not tool.scores.exists()


def test_viewers_cannot_change_a_workspace(member):
    _, workspace = member
    viewer = MembershipFactory(workspace=workspace, role=Membership.Role.VIEWER).user
    with pytest.raises(PermissionDenied):
        save_tool(user=viewer, workspace=workspace, data={"name": "X"})
    tool = ToolFactory(workspace=workspace)
    with pytest.raises(PermissionDenied):
        delete_tool(user=viewer, tool=tool)


def test_outsiders_cannot_change_a_workspace(member):
    _, workspace = member
    with pytest.raises(PermissionDenied):
        save_tool(user=UserFactory(), workspace=workspace, data={"name": "X"})


def test_a_user_without_a_workspace_gets_one(db):
    user = UserFactory(username="newcomer")
    workspace = ensure_membership(user=user).workspace
    assert workspace.name == "newcomer's workspace"
    assert ensure_membership(user=user).workspace == workspace
    assert Membership.objects.get(user=user).role == Membership.Role.OWNER

"""Workspaces and the roles that may change them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from selector.models import Membership, Workspace
from selector.selectors import membership_for, memberships_of


def require_role(*, user, workspace: Workspace, edit: bool = True) -> Membership:
    """The user's membership of ``workspace``; PermissionDenied if they may not act."""
    membership = membership_for(user, workspace)
    if membership is None:
        raise PermissionDenied(gettext("You are not a member of this workspace."))
    if edit and not membership.can_edit:
        raise PermissionDenied(gettext("Viewers cannot change this workspace."))
    return membership


@transaction.atomic
def create_workspace(*, user, name: str) -> Workspace:
    workspace = Workspace(name=name.strip())
    workspace.full_clean()
    workspace.save()
    Membership.objects.create(
        workspace=workspace, user=user, role=Membership.Role.OWNER
    )
    return workspace


def ensure_membership(*, user) -> Membership:
    """The user's first membership, with a workspace created for them if they have none."""
    membership = memberships_of(user).first()
    if membership is None:
        create_workspace(user=user, name=f"{user.get_username()}'s workspace")
        membership = memberships_of(user).first()
    return membership


def author(user):
    """Who a new row is recorded as created by: the user, or nobody for anonymous or
    trusted code (``None``)."""
    return user if user is not None and user.is_authenticated else None

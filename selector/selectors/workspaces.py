"""Who belongs to which workspace, and what a user may see."""

from django.db.models import OuterRef, QuerySet, Subquery

from selector.models import (
    Membership,
    Workspace,
)
from selector.shipped_texts import DEMO_WORKSPACE as DEMO_WORKSPACE

# The demo workspace that ``manage.py seed_demo`` creates (its name, a shipped text
# stored in English, is selector.shipped_texts.DEMO_WORKSPACE), and its owner.
DEMO_USERNAME = "demo"


def workspaces_for(user) -> QuerySet[Workspace]:
    if not user.is_authenticated:
        return Workspace.objects.none()
    return Workspace.objects.filter(memberships__user=user)


def memberships_of(user) -> QuerySet[Membership]:
    """The user's memberships, oldest first, with their workspace."""
    return (
        Membership.objects.filter(user=user).select_related("workspace").order_by("id")
    )


def membership_for(user, workspace: Workspace) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, workspace=workspace).first()


def workspaces_with_role(user) -> QuerySet[Workspace]:
    """The user's workspaces, each annotated with ``role``: their role in it."""
    if not user.is_authenticated:
        return Workspace.objects.none()
    role = Membership.objects.filter(workspace=OuterRef("pk"), user=user).values(
        "role"
    )[:1]
    return workspaces_for(user).annotate(role=Subquery(role))


def visible(queryset: QuerySet, user, *, through: str = "workspace") -> QuerySet:
    """Only the rows of ``queryset`` that belong to one of the user's workspaces."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{f"{through}__memberships__user": user})

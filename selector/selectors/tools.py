"""Tools and evaluations a user may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from selector.models import (
    Evaluation,
    Score,
    Tool,
    Workspace,
)
from selector.selectors.workspaces import visible


def tool_search(search: str) -> Q:
    """Tools whose name, vendor or model provider contains ``search`` (any case)."""
    return (
        Q(name__icontains=search)
        | Q(vendor__icontains=search)
        | Q(model_provider__icontains=search)
    )


def tools_for(
    user, *, workspace: Workspace | None = None, search: str = "", category: str = ""
) -> QuerySet[Tool]:
    tools = visible(Tool.objects.all(), user).select_related("workspace")
    if workspace is not None:
        tools = tools.filter(workspace=workspace)
    if search:
        tools = tools.filter(tool_search(search))
    if category:
        tools = tools.filter(category=category)
    return tools.prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion"))
    )


def evaluations_for(
    user, *, workspace: Workspace | None = None
) -> QuerySet[Evaluation]:
    evaluations = visible(Evaluation.objects.all(), user).select_related(
        "workspace", "profile"
    )
    if workspace is not None:
        evaluations = evaluations.filter(workspace=workspace)
    return evaluations.annotate(tool_count=Count("tools", distinct=True))


def comparable_evaluations(user, workspace: Workspace) -> list[Evaluation]:
    """The evaluations of the user's current workspace (newest first, at most 50): the
    ones a profile comparison may rank. Another workspace's, the demo's included, are
    never offered."""
    return list(evaluations_for(user, workspace=workspace)[:50])

"""Reads of the decision domain, scoped to what a user may see, with their joins done."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from selector.models import (
    Batch,
    Criterion,
    Evaluation,
    Membership,
    Run,
    RunResult,
    Score,
    Tool,
    Weight,
    WeightProfile,
    Workspace,
)


def workspaces_for(user) -> QuerySet[Workspace]:
    if not user.is_authenticated:
        return Workspace.objects.none()
    return Workspace.objects.filter(memberships__user=user)


def membership_for(user, workspace: Workspace) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, workspace=workspace).first()


def visible(queryset: QuerySet, user, *, through: str = "workspace") -> QuerySet:
    """Only the rows of ``queryset`` that belong to one of the user's workspaces."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{f"{through}__memberships__user": user})


def get_visible(queryset: QuerySet, user, *, through: str = "workspace", **lookup):
    """One row the user may see, or 404 (never 403: that would confirm it exists)."""
    row = visible(queryset, user, through=through).filter(**lookup).first()
    if row is None:
        raise Http404("No such object in your workspaces.")
    return row


def criteria() -> QuerySet[Criterion]:
    return Criterion.objects.select_related("benchmark__survey")


def profiles() -> QuerySet[WeightProfile]:
    return WeightProfile.objects.select_related("survey").prefetch_related(
        Prefetch(
            "weights",
            queryset=Weight.objects.select_related("criterion", "benchmark__survey"),
        )
    )


def profile_criteria(profile: WeightProfile) -> list[Criterion]:
    """The profile's criteria, heaviest weight first."""
    return [weight.criterion for weight in profile.weights.all()]


def tools_for(
    user, *, workspace: Workspace | None = None, search: str = "", category: str = ""
) -> QuerySet[Tool]:
    tools = visible(Tool.objects.all(), user).select_related("workspace")
    if workspace is not None:
        tools = tools.filter(workspace=workspace)
    if search:
        tools = tools.filter(
            Q(name__icontains=search)
            | Q(vendor__icontains=search)
            | Q(model_provider__icontains=search)
        )
    if category:
        tools = tools.filter(category=category)
    return tools.prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion"))
    )


def evaluations_using(criterion: Criterion) -> QuerySet[Evaluation]:
    """Every workspace's evaluations that weigh ``criterion`` (profile or override)."""
    return (
        Evaluation.objects.filter(
            Q(profile__weights__criterion=criterion)
            | Q(weight_overrides__has_key=criterion.key)
        )
        .select_related("workspace", "profile")
        .distinct()
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


def runs_for(user) -> QuerySet[Run]:
    return visible(
        Run.objects.all(), user, through="evaluation__workspace"
    ).select_related("evaluation__workspace", "evaluation__profile")


def run_with_results(run_id: int, user) -> Run:
    run = get_visible(
        runs_for(user).prefetch_related(
            Prefetch(
                "results", queryset=RunResult.objects.order_by("rank", "tool_name")
            )
        ),
        user,
        through="evaluation__workspace",
        pk=run_id,
    )
    return run


def latest_done_run_id(evaluation: Evaluation) -> int | None:
    return (
        evaluation.runs.filter(status=Run.Status.DONE)
        .order_by("-finished_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )


def latest_done_run(evaluation: Evaluation) -> Run | None:
    return (
        evaluation.runs.filter(status=Run.Status.DONE)
        .order_by("-finished_at", "-id")
        .prefetch_related(
            Prefetch(
                "results", queryset=RunResult.objects.order_by("rank", "tool_name")
            )
        )
        .first()
    )


def batches_for(user) -> QuerySet[Batch]:
    return visible(Batch.objects.all(), user).select_related("evaluation", "profile")


def batch_progress(batch: Batch) -> dict[str, int]:
    """Counts of the batch's runs by status, read from the database (one query)."""
    counts = dict(
        batch.runs.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    done = counts.get(Run.Status.DONE, 0)
    failed = counts.get(Run.Status.FAILED, 0)
    return {
        "total": batch.total,
        "done": done,
        "failed": failed,
        "queued": counts.get(Run.Status.QUEUED, 0),
        "running": counts.get(Run.Status.RUNNING, 0),
        "finished": done + failed,
    }


def workspaces_with_role(user) -> QuerySet[Workspace]:
    """The user's workspaces, each annotated with ``role``: their role in it."""
    from django.db.models import OuterRef, Subquery

    if not user.is_authenticated:
        return Workspace.objects.none()
    role = Membership.objects.filter(workspace=OuterRef("pk"), user=user).values(
        "role"
    )[:1]
    return workspaces_for(user).annotate(role=Subquery(role))


def batches_with_progress(user) -> QuerySet[Batch]:
    """The user's batches with their runs counted by status in the same query."""

    def count(status):
        return Count("runs", filter=Q(runs__status=status))

    return batches_for(user).annotate(
        done_count=count(Run.Status.DONE),
        failed_count=count(Run.Status.FAILED),
        queued_count=count(Run.Status.QUEUED),
        running_count=count(Run.Status.RUNNING),
    )

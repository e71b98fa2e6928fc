"""Reads of the decision domain, scoped to what a user may see, with their joins done.

Selectors never raise ``Http404``: a row the user may not see is ``None`` (or absent
from a queryset), and the views and the API decide what that means for them.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform, KeyTransform

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
from survey.models import Benchmark

# The demo workspace that ``manage.py seed_demo`` creates, and its owner.
DEMO_USERNAME = "demo"
DEMO_WORKSPACE = "Demo: choosing an enterprise AI assistant"

# Workspaces and what a user may see ----------------------------------------------------


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


# Catalogue: criteria and weight profiles -----------------------------------------------


def criteria() -> QuerySet[Criterion]:
    return Criterion.objects.select_related("benchmark__survey")


def profiles() -> QuerySet[WeightProfile]:
    return WeightProfile.objects.select_related("survey").prefetch_related(
        Prefetch(
            "weights",
            queryset=Weight.objects.select_related("criterion", "benchmark__survey"),
        )
    )


def profile_index() -> QuerySet[WeightProfile]:
    """Every weight profile for the index page: built-ins first, then by name."""
    return (
        WeightProfile.objects.select_related("survey")
        .annotate(criterion_count=Count("weights", distinct=True))
        .order_by("-builtin", "name")
    )


def profile_criteria(profile: WeightProfile) -> list[Criterion]:
    """The profile's criteria, heaviest weight first."""
    return [weight.criterion for weight in profile.weights.all()]


@dataclass(frozen=True)
class WeightRow:
    """One weight of a profile, its normalised share and the survey figure it is from."""

    criterion: Criterion
    value: float
    share: float  # normalised, 0..1
    benchmark: Benchmark | None

    @property
    def percent(self) -> float:
        return 100 * self.share

    @property
    def edited(self) -> bool:
        return self.benchmark is not None and self.benchmark.value != self.value


def weight_rows(profile: WeightProfile) -> list[WeightRow]:
    """The profile's weights, heaviest first, with their normalised share and source."""
    weights = list(
        profile.weights.select_related("criterion", "benchmark__survey").order_by(
            "-value", "criterion__name"
        )
    )
    total = sum(w.value for w in weights)
    return [
        WeightRow(w.criterion, w.value, w.value / total if total else 0.0, w.benchmark)
        for w in weights
    ]


@dataclass(frozen=True)
class WeightLine:
    """One criterion's weight in an evaluation, and where that weight comes from."""

    criterion: Criterion
    value: float
    profile_value: float
    benchmark: Benchmark | None

    @property
    def overridden(self) -> bool:
        return self.value != self.profile_value


def weight_lines(
    evaluation: Evaluation, weights=None, *, profile=None
) -> list[WeightLine]:
    """The profile's weights with the evaluation's overrides (or ``weights``) applied.

    ``profile`` replaces the evaluation's own profile (a batch under every profile).
    """
    overrides = evaluation.weight_overrides if weights is None else weights
    rows = (
        Weight.objects.filter(
            profile_id=evaluation.profile_id if profile is None else profile.pk
        )
        .select_related("criterion", "benchmark__survey")
        .order_by("-value", "criterion__name")
    )
    return [
        WeightLine(
            criterion=row.criterion,
            value=float(overrides.get(row.criterion.key, row.value)),
            profile_value=row.value,
            benchmark=row.benchmark,
        )
        for row in rows
    ]


def missing_scores(evaluation: Evaluation, lines=None) -> dict[str, list[str]]:
    """Tool name -> names of the profile's criteria it has no score for."""
    lines = lines if lines is not None else weight_lines(evaluation)
    keys = {line.criterion.pk: line.criterion.name for line in lines}
    missing = {}
    for tool in evaluation.tools.prefetch_related("scores"):
        scored = {score.criterion_id for score in tool.scores.all()}
        absent = [name for pk, name in keys.items() if pk not in scored]
        if absent:
            missing[tool.name] = absent
    return missing


def compared_tools(evaluation: Evaluation) -> tuple[list[Tool], list[Criterion]]:
    """The evaluation's tools (by name) with their scores, and the criteria any of them
    has a score on: the profile's first, heaviest weight first, then the rest by name.
    Three queries whatever the number of tools."""
    tools = list(
        evaluation.tools.order_by("name", "id").prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        )
    )
    scored = {s.criterion.pk: s.criterion for t in tools for s in t.scores.all()}
    weighted = Weight.objects.filter(profile_id=evaluation.profile_id).order_by(
        "-value", "criterion__name"
    )
    order = list(weighted.values_list("criterion_id", flat=True))
    first = [scored.pop(pk) for pk in order if pk in scored]
    rest = sorted(scored.values(), key=lambda criterion: (criterion.name, criterion.pk))
    return tools, first + rest


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


def criterion_usage(criterion: Criterion) -> dict:
    """The evaluations, profiles and scores that use a criterion."""
    evaluations = evaluations_using(criterion).order_by("workspace__name", "name", "pk")
    return {
        "evaluations": list(evaluations),
        "profiles": list(
            WeightProfile.objects.filter(weights__criterion=criterion).distinct()
        ),
        "scores": Score.objects.filter(criterion=criterion).count(),
    }


# Tools and evaluations -----------------------------------------------------------------


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


# Runs and batches ----------------------------------------------------------------------

RESULTS_BY_RANK = Prefetch(
    "results", queryset=RunResult.objects.order_by("rank", "tool_name")
)
# A run's first places as ``run.first_places``: every tool tied for first, by name.
FIRST_PLACES = Prefetch(
    "results",
    queryset=RunResult.objects.filter(rank=1).order_by("tool_name"),
    to_attr="first_places",
)


def runs_for(user) -> QuerySet[Run]:
    return visible(
        Run.objects.all(), user, through="evaluation__workspace"
    ).select_related("evaluation__workspace", "evaluation__profile", "batch")


def run_list_for(user) -> QuerySet[Run]:
    """The user's runs for a list: each with its batch and its first places."""
    return runs_for(user).prefetch_related(FIRST_PLACES)


def runs_with_results(user) -> QuerySet[Run]:
    """The user's runs with their results, by rank."""
    return runs_for(user).prefetch_related(RESULTS_BY_RANK)


def has_finished_run(workspace: Workspace) -> bool:
    """Whether any evaluation of ``workspace`` has a ranking (a done run)."""
    return Run.objects.filter(
        evaluation__workspace=workspace, status=Run.Status.DONE
    ).exists()


def latest_done_snapshot(evaluation: Evaluation) -> tuple[int, dict] | None:
    """The latest done run's id and snapshot of its inputs, without its results."""
    return (
        evaluation.runs.filter(status=Run.Status.DONE)
        .order_by("-finished_at", "-id")
        .values_list("pk", "inputs")
        .first()
    )


def latest_done_run(evaluation: Evaluation) -> Run | None:
    return (
        evaluation.runs.filter(status=Run.Status.DONE)
        .select_related("batch")
        .order_by("-finished_at", "-id")
        .prefetch_related(RESULTS_BY_RANK)
        .first()
    )


# Which weights a run used, read from its snapshot alone: its profile's name and, per
# criterion, whether the evaluation's weight replaced the profile's.
WEIGHTS_USED = {
    "profile_name": KeyTextTransform("name", KeyTransform("profile", "inputs")),
    "weight_sources": KeyTransform("weight_sources", "inputs"),
}


def run_history(evaluation: Evaluation, limit: int = 20) -> list[Run]:
    """The evaluation's latest runs for its run list, in two queries: each with its
    batch, ``method``, ``engine``, the weights it used (``profile_name`` and
    ``weight_sources``) and ``first_places`` (every tool tied for first), the rest of
    the snapshot left unloaded. Monte Carlo chunks are left out: their batch stands for
    them (``evaluation_batches``)."""
    return list(
        evaluation.runs.exclude(batch__kind=Batch.Kind.SMAA)
        .select_related("batch")
        .defer("inputs", "robustness")
        .annotate(
            method=KeyTextTransform("method", "inputs"),
            engine=KeyTextTransform("engine_version", "inputs"),
            **WEIGHTS_USED,
        )
        .prefetch_related(FIRST_PLACES)
        .order_by("-created_at", "-id")[:limit]
    )


def evaluation_batches(evaluation: Evaluation) -> QuerySet[Batch]:
    """The batches that ran the evaluation: its own, and re-ranks that included it."""
    return (
        Batch.objects.filter(Q(evaluation=evaluation) | Q(runs__evaluation=evaluation))
        .distinct()
        .order_by("-created_at", "-id")
    )


def batch_runs(batch: Batch) -> list[Run]:
    """The batch's runs with their evaluation's name, the weights they used and their
    first places, in two queries."""
    return list(
        batch.runs.select_related("evaluation")
        .defer("inputs", "robustness")
        .annotate(**WEIGHTS_USED)
        .prefetch_related(FIRST_PLACES)
        .order_by("id")
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

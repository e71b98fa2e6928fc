"""Runs and batches: lists, history, latest results and progress."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform

from selector.models import (
    Batch,
    Evaluation,
    Run,
    RunResult,
    Workspace,
)
from selector.selectors.workspaces import visible

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


def report_runs(user) -> QuerySet[Run]:
    """The user's runs as their report shows them: results by rank, who started them."""
    return runs_with_results(user).select_related("created_by")


def has_finished_run(workspace: Workspace) -> bool:
    """Whether any evaluation of ``workspace`` has a ranking (a done run)."""
    return Run.objects.filter(
        evaluation__workspace=workspace, status=Run.Status.DONE
    ).exists()


def own_done_runs(evaluation: Evaluation) -> QuerySet[Run]:
    """The evaluation's done runs of its own settings, latest first: its manual runs
    and re-runs after a profile edit. A batch under every profile or a Monte Carlo
    study's chunks rank it under other weights or samples; they are not its result."""
    return (
        evaluation.runs.filter(status=Run.Status.DONE)
        .filter(Q(batch__isnull=True) | Q(batch__kind=Batch.Kind.RERANK))
        .order_by("-finished_at", "-id")
    )


def latest_done_snapshot(evaluation: Evaluation) -> tuple[int, dict] | None:
    """The latest own done run's id and snapshot of its inputs, without its results."""
    return own_done_runs(evaluation).values_list("pk", "inputs").first()


def latest_done_run(evaluation: Evaluation) -> Run | None:
    """The evaluation's current result: its latest own done run (own_done_runs)."""
    return (
        own_done_runs(evaluation)
        .select_related("batch")
        .prefetch_related(RESULTS_BY_RANK)
        .first()
    )


# Which weights a run used, read from its snapshot alone: its profile's name and, per
# criterion, whether the evaluation's weight replaced the profile's.
WEIGHTS_USED = {
    "profile_name": KeyTextTransform("name", KeyTransform("profile", "inputs")),
    "profile_name_fr": KeyTextTransform("name_fr", KeyTransform("profile", "inputs")),
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

"""Runs: start (snapshot + enqueue after commit), claim, execute.

The life of a run: ``start_run`` writes it ``queued`` and enqueues it once the
transaction commits. A worker claims it with a conditional UPDATE (queued -> running)
that also sets a lease (``deadline_at``); only the holder of that claim writes results,
in one transaction, so a run delivered twice is computed and stored once. It ends
``done``, or ``failed`` with a readable reason.

Nothing is lost when something breaks:
- broker down: the run stays ``queued`` in the database, ``queue.BrokerUnavailable``
  tells the caller, and ``sweeps.sweep_runs`` enqueues it again later;
- worker killed: Redis redelivers the message after its visibility timeout, and a
  new claim succeeds once the dead worker's lease has expired (at most ``MAX_ATTEMPTS``
  claims, then the run fails); a run still ``running`` once its deadline has passed
  (the lease plus the time a redelivery takes) is failed with a reason by
  ``sweeps.sweep_runs``;
- database or broker blip inside a task: the claim is released and the task retries
  with backoff (``selector.tasks``).
"""

import logging
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from selector import engine
from selector.messages import Message, from_engine
from selector.models import Evaluation, Run, RunResult, Tool
from selector.queue import enqueue_after_commit
from selector.services import computation, snapshots
from selector.services.workspaces import author, require_role

logger = logging.getLogger(__name__)

# A run is claimed at most this many times (first delivery, redeliveries after a lost
# worker, retries after a database blip); then it fails instead of looping forever.
MAX_ATTEMPTS = 3
# Errors worth retrying: the database or the broker was briefly unreachable.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


class RunBusy(Exception):
    """Another worker holds a live claim on the run; try again when it expires."""

    def __init__(self, retry_in: float):
        self.retry_in = retry_in
        super().__init__(f"The run is claimed by another worker for {retry_in:.0f} s.")


# Starting ------------------------------------------------------------------------------


def queue_run(
    *,
    user,
    evaluation: Evaluation,
    batch=None,
    weights=None,
    profile=None,
    extra=None,
    inputs=None,
) -> Run:
    """Snapshot the evaluation into a new queued run, without enqueueing it.

    ``weights`` overrides weights by criterion key, ``profile`` snapshots the evaluation
    under another weight profile, ``inputs`` is a snapshot taken already (shared by
    the chunks of a Monte Carlo batch), ``extra`` updates the snapshot (e.g. SMAA
    samples and seed of one chunk). Raises ValidationError (naming tools and
    criteria) when the inputs cannot be ranked.
    """
    if inputs is None:
        inputs = snapshots.snapshot_inputs(evaluation, weights=weights, profile=profile)
    inputs = {**inputs, **(extra or {})}
    return Run.objects.create(
        evaluation=evaluation,
        batch=batch,
        inputs=inputs,
        created_by=author(user),
    )


@transaction.atomic
def start_run(*, user, evaluation: Evaluation, batch=None, weights=None) -> Run:
    """Snapshot the evaluation's inputs into a queued run and enqueue it after commit.

    Raises ValidationError when the inputs cannot be ranked, WorkTooLarge when the run
    is more than a request may compute (no broker), and BrokerUnavailable (after the
    commit: the run is saved, queued) when the workers cannot be reached.
    """
    if user is not None:
        require_role(user=user, workspace=evaluation.workspace)
    run = queue_run(user=user, evaluation=evaluation, batch=batch, weights=weights)
    enqueue_after_commit([run])
    return run


# Claiming ------------------------------------------------------------------------------


def lease_seconds(time_limit: float | None = None) -> float:
    """How long a claim lasts: past the hard time limit, the holder is surely gone."""
    limit = time_limit or settings.CELERY_TASK_TIME_LIMIT
    return limit + min(30, limit)


def claim_run(*, run_id: int, time_limit: float | None = None) -> datetime | None:
    """Take a queued run, or one whose claim expired; its claim time, or None.

    A conditional UPDATE, so two workers delivered the same run never both compute it.
    The claim time identifies this claim in later writes (``started_at``); the claim
    lasts for the task's hard ``time_limit`` plus a margin.
    """
    now = timezone.now()
    claimed = (
        Run.objects.filter(pk=run_id, attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(status=Run.Status.QUEUED)
            | Q(status=Run.Status.RUNNING, deadline_at__lt=now)
        )
        .update(
            status=Run.Status.RUNNING,
            started_at=now,
            deadline_at=now + timedelta(seconds=lease_seconds(time_limit)),
            attempts=F("attempts") + 1,
        )
    )
    return now if claimed else None


def release_run(*, run_id: int, claimed_at: datetime) -> bool:
    """Give a claim back (queued again), e.g. before a retry after a database blip."""
    return bool(
        Run.objects.filter(
            pk=run_id, status=Run.Status.RUNNING, started_at=claimed_at
        ).update(status=Run.Status.QUEUED, deadline_at=None)
    )


def fail_run(
    *, run_id: int, reason: str | Message, claimed_at: datetime | None = None
) -> bool:
    """Mark a queued or running run failed with a readable reason: English text in
    ``error`` and, for a ``Message``, its template and parameters in
    ``error_message`` (translated when read, ``Run.shown_error``).

    With ``claimed_at``, only while that claim still holds the run.
    """
    runs = Run.objects.filter(pk=run_id)
    if claimed_at is None:
        runs = runs.filter(status__in=[Run.Status.QUEUED, Run.Status.RUNNING])
    else:
        runs = runs.filter(status=Run.Status.RUNNING, started_at=claimed_at)
    failed = runs.update(
        status=Run.Status.FAILED,
        error=str(reason),
        error_message=reason.stored() if isinstance(reason, Message) else None,
        finished_at=timezone.now(),
        deadline_at=None,
    )
    return bool(failed)


# Executing -----------------------------------------------------------------------------


def execute_run(
    *,
    run_id: int,
    time_limit: float | None = None,
    soft_time_limit: float | None = None,
) -> Run | None:
    """Claim the run, compute it from its snapshot and store the results exactly once.

    Returns the finished run, or None when it is gone or already finished (a second
    delivery does nothing); settling its batch is the caller's (the task's) job. Raises RunBusy when another worker holds a live claim, and
    the transient database errors (after giving the claim back) for the task to retry.
    ``time_limit`` and ``soft_time_limit`` are the task's (they travel in the message,
    set by the sender), defaulting to the settings.
    """
    claimed_at = claim_run(run_id=run_id, time_limit=time_limit)
    if claimed_at is None:
        return _unclaimable(run_id)
    return _compute(run_id, claimed_at, soft_time_limit)


def _compute(run_id: int, claimed_at: datetime, soft_time_limit) -> Run | None:
    """Compute a claimed run and store its results; a refused run ends failed."""
    try:
        run = Run.objects.filter(pk=run_id).first()
        if run is None:
            return None
        rows, robustness = computation.compute(run.inputs)
        finished = _store_results(run, claimed_at, rows, robustness)
    except TRANSIENT_DB_ERRORS:
        _release_quietly(run_id, claimed_at)
        raise
    except engine.EngineError as error:
        fail_run(
            run_id=run_id,
            claimed_at=claimed_at,
            reason=Message(
                gettext_noop("The engine refused the data: %(reason)s"),
                {"reason": from_engine(error)},
            ),
        )
        finished = Run.objects.filter(pk=run_id).first()
    except SoftTimeLimitExceeded:
        fail_run(
            run_id=run_id,
            claimed_at=claimed_at,
            reason=Message(
                gettext_noop(
                    "Stopped: the run took longer than the time limit of %(seconds)s s."
                ),
                {
                    "seconds": format(
                        soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT, "g"
                    )
                },
            ),
        )
        finished = Run.objects.filter(pk=run_id).first()
    except Exception as error:
        logger.exception("Run %s failed unexpectedly", run_id)
        fail_run(
            run_id=run_id,
            claimed_at=claimed_at,
            reason=Message(
                gettext_noop("Unexpected error (%(kind)s): %(error)s"),
                {"kind": type(error).__name__, "error": str(error)},
            ),
        )
        finished = Run.objects.filter(pk=run_id).first()
    return finished


def _store_results(run: Run, claimed_at: datetime, rows, robustness) -> Run | None:
    """Write the results and mark the run done, in one transaction, if the claim holds.

    The conditional UPDATE comes first: it locks the row until the commit, so only the
    holder of this claim writes results, once.
    """
    finished_at = timezone.now()
    with transaction.atomic():
        held = Run.objects.filter(
            pk=run.pk, status=Run.Status.RUNNING, started_at=claimed_at
        ).update(
            status=Run.Status.DONE,
            robustness=robustness,
            finished_at=finished_at,
            deadline_at=None,
            error="",
        )
        if not held:
            return None  # the claim expired and another worker took the run over
        known_tools = set(
            Tool.objects.filter(pk__in=[row["tool_id"] for row in rows]).values_list(
                "pk", flat=True
            )
        )
        RunResult.objects.filter(run_id=run.pk).delete()
        RunResult.objects.bulk_create(
            RunResult(
                run_id=run.pk,
                tool_id=row["tool_id"] if row["tool_id"] in known_tools else None,
                tool_name=row["tool_name"],
                rank=row["rank"],
                score=row["score"],
                contributions=row["contributions"],
            )
            for row in rows
        )
    run.status, run.robustness, run.error = Run.Status.DONE, robustness, ""
    run.started_at, run.finished_at, run.deadline_at = claimed_at, finished_at, None
    return run


def _unclaimable(run_id: int) -> Run | None:
    """Why a claim failed: finished or gone (None), busy (RunBusy), or out of attempts."""
    run = Run.objects.filter(pk=run_id).first()
    if run is None or run.status in (Run.Status.DONE, Run.Status.FAILED):
        return None
    now = timezone.now()
    if run.status == Run.Status.RUNNING and run.deadline_at and run.deadline_at >= now:
        raise RunBusy(retry_in=(run.deadline_at - now).total_seconds() + 1)
    if run.attempts >= MAX_ATTEMPTS and fail_run(
        run_id=run_id, reason=_gave_up_reason(run.attempts)
    ):
        return Run.objects.filter(pk=run_id).first()
    return None


def _gave_up_reason(attempts: int) -> Message:
    return Message(
        gettext_noop(
            "Gave up after %(attempts)s attempts: the worker running it stopped each "
            "time (crashed, was killed, or hit the hard time limit) or the database "
            "was unreachable."
        ),
        {"attempts": attempts},
    )


def _release_quietly(run_id: int, claimed_at: datetime) -> None:
    try:
        release_run(run_id=run_id, claimed_at=claimed_at)
    except TRANSIENT_DB_ERRORS:
        # The database is still away: the lease expires and the claim is taken over.
        logger.warning("Could not release run %s; its lease will expire", run_id)

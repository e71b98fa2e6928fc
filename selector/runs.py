"""Runs: start (snapshot + enqueue after commit), claim, execute, sweep.

The life of a run: ``start_run`` writes it ``queued`` and enqueues it once the
transaction commits. A worker claims it with a conditional UPDATE (queued -> running)
that also sets a lease (``deadline_at``); only the holder of that claim writes results,
in one transaction, so a run delivered twice is computed and stored once. It ends
``done``, or ``failed`` with a readable reason.

Nothing is lost when something breaks:
- broker down: the run stays ``queued`` in the database, ``BrokerUnavailable`` tells
  the caller, and ``sweep_runs`` enqueues it again later;
- worker killed: Redis redelivers the message after its visibility timeout, and a
  new claim succeeds once the dead worker's lease has expired (at most ``MAX_ATTEMPTS``
  claims, then the run fails); a run still ``running`` once its deadline has passed
  (the lease plus the time a redelivery takes) is failed with a reason by
  ``sweep_runs``;
- database or broker blip inside a task: the claim is released and the task retries
  with backoff (``selector.tasks``).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from selector import computation, engine
from selector.models import Batch, Evaluation, Run, RunResult, Tool
from selector.services import require_role

logger = logging.getLogger(__name__)

# A run is claimed at most this many times (first delivery, redeliveries after a lost
# worker, retries after a database blip); then it fails instead of looping forever.
MAX_ATTEMPTS = 3
# The sweeper sends a queued run again when it has waited this long, and at most once
# per this interval (the run's deadline_at holds the next resend time while queued).
REQUEUE_AFTER_SECONDS = 120
# A run's deadline: its lease plus the time Redis takes to redeliver a dead worker's
# message (visibility timeout) and a minute for the new worker's claim. A run still
# running then is failed by the sweeper: no run stays running forever.
TAKEOVER_MARGIN = timedelta(seconds=60)
# A run nobody could pick up for this long fails: no run stays queued forever.
QUEUED_EXPIRY = timedelta(days=1)
# Runs handled per sweep, so one sweep stays short however large the backlog.
SWEEP_LIMIT = 2000

# Errors worth retrying: the database or the broker was briefly unreachable.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


class BrokerUnavailable(Exception):
    """The runs are saved (``queued``) but could not be handed to the workers.

    Views answer with a message and the API with 503; the sweeper enqueues the runs
    once the broker is back, so nothing is lost.
    """

    def __init__(self, *, run_ids, batch_id=None, reason: str = ""):
        self.run_ids = list(run_ids)
        self.batch_id = batch_id
        self.reason = reason
        what = f"batch #{batch_id}" if batch_id else f"{len(self.run_ids)} run(s)"
        super().__init__(
            f"The task queue is unavailable; {what} saved as queued and will start "
            f"when it is back. ({reason})"
        )


class RunBusy(Exception):
    """Another worker holds a live claim on the run; try again when it expires."""

    def __init__(self, retry_in: float):
        self.retry_in = retry_in
        super().__init__(f"The run is claimed by another worker for {retry_in:.0f} s.")


# Starting ------------------------------------------------------------------------------


def queue_run(
    *, user, evaluation: Evaluation, batch=None, weights=None, profile=None, extra=None
) -> Run:
    """Snapshot the evaluation into a new queued run, without enqueueing it.

    ``weights`` overrides weights by criterion key, ``profile`` snapshots the evaluation
    under another weight profile, ``extra`` updates the snapshot (e.g. SMAA samples and
    seed of one chunk of a Monte Carlo batch). Raises ValidationError (naming tools and
    criteria) when the inputs cannot be ranked.
    """
    inputs = computation.snapshot_inputs(evaluation, weights=weights, profile=profile)
    inputs.update(extra or {})
    return Run.objects.create(
        evaluation=evaluation,
        batch=batch,
        inputs=inputs,
        created_by=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def start_run(*, user, evaluation: Evaluation, batch=None, weights=None) -> Run:
    """Snapshot the evaluation's inputs into a queued run and enqueue it after commit.

    Raises ValidationError when the inputs cannot be ranked, and BrokerUnavailable
    (after the commit: the run is saved, queued) when the workers cannot be reached.
    """
    if user is not None:
        require_role(user=user, workspace=evaluation.workspace)
    run = queue_run(user=user, evaluation=evaluation, batch=batch, weights=weights)
    enqueue_after_commit([run.pk])
    return run


def enqueue_after_commit(run_ids, *, batch_id=None, quiet: bool = False) -> None:
    """Hand the runs to the workers once the current transaction commits.

    The enqueue raises BrokerUnavailable from the commit (the outermost atomic block),
    unless ``quiet``: then it only logs, and the sweeper sends the runs later.
    """
    from selector.tasks import enqueue_runs

    run_ids = list(run_ids)

    def enqueue() -> None:
        try:
            enqueue_runs(run_ids, batch_id=batch_id)
        except BrokerUnavailable as error:
            if not quiet:
                raise
            logger.warning("%s", error)

    if run_ids:
        transaction.on_commit(enqueue)


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


def fail_run(*, run_id: int, reason: str, claimed_at: datetime | None = None) -> bool:
    """Mark a queued or running run failed with a readable reason.

    With ``claimed_at``, only while that claim still holds the run.
    """
    runs = Run.objects.filter(pk=run_id)
    if claimed_at is None:
        runs = runs.filter(status__in=[Run.Status.QUEUED, Run.Status.RUNNING])
    else:
        runs = runs.filter(status=Run.Status.RUNNING, started_at=claimed_at)
    failed = runs.update(
        status=Run.Status.FAILED,
        error=reason,
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
    delivery does nothing). Raises RunBusy when another worker holds a live claim, and
    the transient database errors (after giving the claim back) for the task to retry.
    ``time_limit`` and ``soft_time_limit`` are the task's (they travel in the message,
    set by the sender), defaulting to the settings.
    """
    claimed_at = claim_run(run_id=run_id, time_limit=time_limit)
    if claimed_at is None:
        finished = _unclaimable(run_id)
    else:
        finished = _compute(run_id, claimed_at, soft_time_limit)
    if finished is not None and finished.batch_id is not None:
        from selector.batches import finish_batch_if_complete

        finish_batch_if_complete(batch_id=finished.batch_id)
    return finished


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
            reason=f"The engine refused the data: {error}",
        )
        finished = Run.objects.filter(pk=run_id).first()
    except SoftTimeLimitExceeded:
        fail_run(
            run_id=run_id,
            claimed_at=claimed_at,
            reason=(
                "Stopped: the run took longer than the time limit of "
                f"{soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT:g} s."
            ),
        )
        finished = Run.objects.filter(pk=run_id).first()
    except Exception as error:
        logger.exception("Run %s failed unexpectedly", run_id)
        fail_run(
            run_id=run_id,
            claimed_at=claimed_at,
            reason=f"Unexpected error ({type(error).__name__}): {error}",
        )
        finished = Run.objects.filter(pk=run_id).first()
    return finished


def _store_results(run: Run, claimed_at: datetime, rows, robustness) -> Run | None:
    """Write the results and mark the run done, in one transaction, if the claim holds.

    The conditional UPDATE comes first: it locks the row until the commit, so only the
    holder of this claim writes results, once.
    """
    finished_at = timezone.now()
    engine_version = run.inputs.get("engine_version", "")
    with transaction.atomic():
        held = Run.objects.filter(
            pk=run.pk, status=Run.Status.RUNNING, started_at=claimed_at
        ).update(
            status=Run.Status.DONE,
            robustness=robustness,
            engine_version=engine_version,
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
    run.status, run.robustness, run.engine_version = (
        Run.Status.DONE,
        robustness,
        engine_version,
    )
    run.started_at, run.finished_at, run.deadline_at, run.error = (
        claimed_at,
        finished_at,
        None,
        "",
    )
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


def _gave_up_reason(attempts: int) -> str:
    return (
        f"Gave up after {attempts} attempts: the worker running it stopped each time "
        "(crashed, was killed, or hit the hard time limit) or the database was "
        "unreachable."
    )


def _release_quietly(run_id: int, claimed_at: datetime) -> None:
    try:
        release_run(run_id=run_id, claimed_at=claimed_at)
    except TRANSIENT_DB_ERRORS:
        # The database is still away: the lease expires and the claim is taken over.
        logger.warning("Could not release run %s; its lease will expire", run_id)


# Sweeping ------------------------------------------------------------------------------


@dataclass
class SweepReport:
    """What one sweep did (counts of runs and batches)."""

    resent: int = 0
    failed: int = 0
    batches_finished: int = 0
    broker_error: str = ""
    failed_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"Sent {self.resent} waiting queued run(s) again, failed {self.failed} "
            f"run(s) past their deadline, finished {self.batches_finished} batch(es)."
        )
        if self.broker_error:
            text += f" The task queue is unavailable: {self.broker_error}"
        return text


def takeover_window() -> timedelta:
    """How long after a lease expires a redelivered message may still take a run over."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    return timedelta(seconds=visibility) + TAKEOVER_MARGIN


def sweep_runs(*, queued_for: float = REQUEUE_AFTER_SECONDS, now=None) -> SweepReport:
    """Make sure no run stays queued or running forever.

    - runs ``running`` past their deadline (their lease, plus the time Redis takes to
      hand a dead worker's message to another worker, which then takes the run over):
      failed with a reason;
    - runs ``queued`` for more than ``queued_for`` seconds (e.g. started while the broker
      was down, or whose message was lost with a killed worker): sent again, at most
      once per ``queued_for``; after a day, failed;
    - batches whose runs have all finished: marked done.

    Sending a run twice is harmless: the claim lets only one delivery compute it.
    """
    from selector.batches import finish_batch_if_complete

    now = now or timezone.now()
    report = SweepReport()
    resend_at = now + timedelta(seconds=queued_for)

    window = takeover_window()
    overdue = Run.objects.filter(
        status=Run.Status.RUNNING, deadline_at__lt=now - window
    )
    overdue_ids = list(overdue.values_list("pk", flat=True)[:SWEEP_LIMIT])
    overdue.filter(pk__in=overdue_ids).update(
        status=Run.Status.FAILED,
        error=(
            "Stopped: its worker was lost (crashed, was killed, or passed the hard time "
            f"limit) and no other worker took it over within {window.total_seconds():.0f}"
            " s. Start it again."
        ),
        finished_at=now,
        deadline_at=None,
    )
    report.failed_ids += overdue_ids
    if overdue_ids:
        logger.warning("Runs %s: past their deadline; failed", overdue_ids)

    stale = Run.objects.filter(
        status=Run.Status.QUEUED, created_at__lt=now - QUEUED_EXPIRY
    )
    stale_ids = list(stale.values_list("pk", flat=True)[:SWEEP_LIMIT])
    stale.filter(pk__in=stale_ids).update(
        status=Run.Status.FAILED,
        error=f"No worker picked it up within {QUEUED_EXPIRY.days} day(s).",
        finished_at=now,
        deadline_at=None,
    )
    report.failed_ids += stale_ids
    report.failed = len(report.failed_ids)

    waiting = Run.objects.filter(
        Q(deadline_at__isnull=True) | Q(deadline_at__lte=now),
        status=Run.Status.QUEUED,
        created_at__lte=now - timedelta(seconds=queued_for),
    )
    waiting_ids = list(waiting.values_list("pk", flat=True)[:SWEEP_LIMIT])
    waiting.filter(pk__in=waiting_ids).update(deadline_at=resend_at)

    from selector.tasks import enqueue_runs

    try:
        enqueue_runs(waiting_ids)
        report.resent = len(waiting_ids)
    except BrokerUnavailable as error:
        # They stay queued; the next sweep after ``queued_for`` sends them again.
        report.broker_error = error.reason

    # Batches whose last runs were failed here, or whose finishing step was lost.
    batch_ids = (
        Batch.objects.filter(status=Batch.Status.RUNNING)
        .exclude(runs__status__in=[Run.Status.QUEUED, Run.Status.RUNNING])
        .values_list("pk", flat=True)
    )
    for batch_id in list(batch_ids):
        report.batches_finished += finish_batch_if_complete(batch_id=batch_id)
    return report

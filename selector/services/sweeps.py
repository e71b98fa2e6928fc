"""What no worker will do: make sure no run stays queued or running forever.

Run once a minute by Celery beat (``tasks.sweep_runs_task``) or by hand
(``manage.py sweep_runs``). Sending a run twice is harmless: the claim lets only one
delivery compute it (``services.runs``).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from selector.messages import Message
from selector.models import Batch, Run
from selector.queue import BrokerUnavailable, enqueue_runs
from selector.services.batches import settle_batch

logger = logging.getLogger(__name__)

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
    """Make sure no run stays queued or running forever, and every batch finishes.

    - runs ``running`` past their deadline (their lease, plus the time Redis takes to
      hand a dead worker's message to another worker, which then takes the run over):
      failed with a reason;
    - runs ``queued`` for more than ``queued_for`` seconds (e.g. started while the broker
      was down, or whose message was lost with a killed worker): sent again, at most
      once per ``queued_for``; after a day, failed;
    - batches whose runs have all finished: settled.
    """
    now = now or timezone.now()
    report = SweepReport()
    report.failed_ids = fail_overdue_runs(now) + fail_stale_runs(now)
    report.failed = len(report.failed_ids)
    report.resent, report.broker_error = resend_waiting_runs(now, queued_for)
    report.batches_finished = settle_finished_batches()
    return report


def _fail(runs, *, reason: Message, now: datetime) -> list[int]:
    """Fail at most SWEEP_LIMIT of ``runs`` with ``reason`` (English in ``error``,
    translated when read from ``error_message``); their ids."""
    ids = list(runs.values_list("pk", flat=True)[:SWEEP_LIMIT])
    runs.filter(pk__in=ids).update(
        status=Run.Status.FAILED,
        error=str(reason),
        error_message=reason.stored(),
        finished_at=now,
        deadline_at=None,
    )
    return ids


def fail_overdue_runs(now: datetime) -> list[int]:
    """Fail the runs still running after their deadline and the takeover window."""
    window = takeover_window()
    ids = _fail(
        Run.objects.filter(status=Run.Status.RUNNING, deadline_at__lt=now - window),
        reason=Message(
            gettext_noop(
                "Stopped: its worker was lost (crashed, was killed, or passed the hard "
                "time limit) and no other worker took it over within %(seconds)s s. "
                "Start it again."
            ),
            {"seconds": f"{window.total_seconds():.0f}"},
        ),
        now=now,
    )
    if ids:
        logger.warning("Runs %s: past their deadline; failed", ids)
    return ids


def fail_stale_runs(now: datetime) -> list[int]:
    """Fail the runs that no worker picked up within QUEUED_EXPIRY."""
    return _fail(
        Run.objects.filter(
            status=Run.Status.QUEUED, created_at__lt=now - QUEUED_EXPIRY
        ),
        reason=Message(
            gettext_noop("No worker picked it up within %(days)s day(s)."),
            {"days": QUEUED_EXPIRY.days},
        ),
        now=now,
    )


def resend_waiting_runs(now: datetime, queued_for: float) -> tuple[int, str]:
    """Send again the runs queued longer than ``queued_for`` s: (count, broker error).

    Each is sent at most once per ``queued_for``: its ``deadline_at`` holds the time of
    its next resend. When the broker is down they stay queued for the next sweep.
    """
    waiting = Run.objects.filter(
        Q(deadline_at__isnull=True) | Q(deadline_at__lte=now),
        status=Run.Status.QUEUED,
        created_at__lte=now - timedelta(seconds=queued_for),
    )
    ids = list(waiting.values_list("pk", flat=True)[:SWEEP_LIMIT])
    waiting.filter(pk__in=ids).update(deadline_at=now + timedelta(seconds=queued_for))
    try:
        enqueue_runs(ids)
    except BrokerUnavailable as error:
        return 0, error.reason
    return len(ids), ""


def settle_finished_batches() -> int:
    """Settle the running batches none of whose runs is pending (their last runs were
    failed here, or their settling was lost); how many finished."""
    batch_ids = (
        Batch.objects.filter(status=Batch.Status.RUNNING)
        .exclude(runs__status__in=[Run.Status.QUEUED, Run.Status.RUNNING])
        .values_list("pk", flat=True)
    )
    return sum(settle_batch(batch_id=batch_id) for batch_id in list(batch_ids))

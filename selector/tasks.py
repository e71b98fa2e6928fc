"""Celery tasks: thin wrappers that take ids and call the run services.

Delivery is at least once (``acks_late`` + ``reject_on_worker_lost``: a message taken by
a worker that dies goes back to the queue); ``selector.runs`` makes the second delivery
harmless. Only transient errors (database or broker connection) are retried, with
exponential backoff and full jitter; everything else ends the run ``failed``.
With no broker (the embedded default) tasks run eagerly in the web process.
"""

import logging
import random
import time
from collections.abc import Sequence

import kombu.exceptions
import redis.exceptions
from celery import group, shared_task

from selector import runs

logger = logging.getLogger(__name__)

BROKER_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)
TRANSIENT_ERRORS = runs.TRANSIENT_DB_ERRORS + BROKER_ERRORS

# Publishing while the broker is down: try briefly, then tell the caller (a web request
# should answer in about a second, not hang on the default retries).
PUBLISH_OPTIONS = {
    "retry": True,
    "retry_policy": {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.25,
        "interval_max": 0.5,
    },
}


# Retries of transient errors: exponential backoff with full jitter (0 to 2 * 2**n s,
# capped at a minute), so workers hit by the same outage do not return in step.
MAX_RETRIES = 5
BACKOFF_BASE_SECONDS = 2
BACKOFF_MAX_SECONDS = 60
# In eager mode (no broker) a blip is retried in the web process, briefly.
EAGER_ATTEMPTS = 3


def retry_delay(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: full jitter over an exponential cap."""
    return random.uniform(
        0, min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2**retries)
    )


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES
)
def execute_run_task(self, run_id: int) -> str:
    """Compute one run; returns its final status, or "skipped" for a repeat delivery."""
    if self.request.is_eager:
        return _execute_eagerly(run_id)
    # The limits in force are the message's (set by the sender), else this worker's.
    hard, soft = self.request.timelimit or (None, None)
    limits = {
        "time_limit": hard or self.time_limit,
        "soft_time_limit": soft or self.soft_time_limit,
    }
    try:
        return _status(runs.execute_run(run_id=run_id, **limits))
    except runs.RunBusy as busy:
        # A redelivery while the previous holder's lease is still live (its worker was
        # killed): come back when the lease has expired, without using up retries.
        raise self.retry(
            countdown=busy.retry_in, max_retries=self.request.retries + 1
        ) from None
    except TRANSIENT_ERRORS as error:
        logger.warning("Run %s: %s; retrying", run_id, error)
        # After MAX_RETRIES the error is raised: the run is queued again (or its lease
        # expires) and the sweeper sends it later.
        raise self.retry(
            exc=error, countdown=retry_delay(self.request.retries)
        ) from error


def _execute_eagerly(run_id: int) -> str:
    for attempt in range(EAGER_ATTEMPTS):
        try:
            return _status(runs.execute_run(run_id=run_id))
        except runs.RunBusy:
            return "busy"  # the sweeper takes it over when the other claim expires
        except TRANSIENT_ERRORS as error:
            logger.warning("Run %s: %s (attempt %s)", run_id, error, attempt + 1)
            time.sleep(0.1 * 2**attempt)
    return "queued"  # given back to the queue for `manage.py sweep_runs`


def _status(run) -> str:
    return "skipped" if run is None else run.status


@shared_task(acks_late=True, ignore_result=True)
def sweep_runs_task() -> str:
    """Periodic (Celery beat): re-enqueue forgotten runs, take back lost ones."""
    report = runs.sweep_runs()
    logger.info("Sweep: %s", report)
    return str(report)


def enqueue_runs(run_ids: Sequence[int], *, batch_id: int | None = None) -> None:
    """Send runs to the workers as one group (or run them now when tasks are eager).

    Raises ``runs.BrokerUnavailable`` when the broker cannot be reached; the runs stay
    queued in the database and the sweeper sends them later.
    """
    run_ids = list(run_ids)
    if not run_ids:
        return
    signatures = [execute_run_task.si(run_id) for run_id in run_ids]
    try:
        if len(signatures) == 1:
            signatures[0].apply_async(**PUBLISH_OPTIONS)
        else:
            group(signatures).apply_async(**PUBLISH_OPTIONS)
    except BROKER_ERRORS as error:
        raise runs.BrokerUnavailable(
            run_ids=run_ids,
            batch_id=batch_id,
            reason=str(error) or type(error).__name__,
        ) from error


def enqueue_run(run_id: int) -> None:
    """Send one run to the workers (kept for callers of the first version)."""
    enqueue_runs([run_id])

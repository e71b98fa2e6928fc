"""Celery tasks: thin wrappers that take ids and call the run services.

Delivery is at least once (``acks_late`` + ``reject_on_worker_lost``: a message taken by
a worker that dies goes back to the queue); ``selector.runs`` makes the second delivery
harmless. Only transient errors (database or broker connection) are retried, with
exponential backoff and full jitter; everything else ends the run ``failed``.
With no broker (the embedded default) tasks run eagerly in the web process.
"""

import logging
import math
import random
import time
from collections.abc import Sequence

import kombu.exceptions
import redis.exceptions
from celery import group, shared_task
from django.conf import settings

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

# Several runs per message share its cost (publishing, delivery, acknowledgement: about
# 2 ms of CPU and a wait, against about 7 ms for a small run; benchmarks/batch.py).
# A batch is still split in at least this many messages, so it spreads over the worker
# processes; see enqueue_runs.
SPREAD_OVER = 32
# A message's runs start within a tenth of the soft time limit (at most 30 s) of the
# message's start; the others go back to the queue (see execute_runs_task).
START_WITHIN_MAX_SECONDS = 30


def retry_delay(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: full jitter over an exponential cap."""
    return random.uniform(
        0, min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2**retries)
    )


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES
)
def execute_runs_task(self, run_ids: list[int], start_within: float = 0) -> list[str]:
    """Compute runs one after another; returns each run's final status, in order.

    A message carries several runs when a batch is large (see ``enqueue_runs``), so the
    cost of a message is shared. Each run still gets the whole per-run soft time limit:
    the message's limits are the per-run ones plus ``start_within``, and a run is only
    started within that many seconds of the message's start; the runs left over go back
    to the queue in a new message. "skipped": a repeat delivery of a finished run;
    "resent": handed on in a new message; "busy": held by another worker's live claim,
    retried once that claim expires.
    """
    if self.request.is_eager:
        return [_execute_eagerly(run_id) for run_id in run_ids]
    # The limits in force are the message's (set by the sender), else this worker's.
    hard, soft = self.request.timelimit or (None, None)
    hard, soft = hard or self.time_limit, soft or self.soft_time_limit
    limits = {
        "time_limit": hard,
        "soft_time_limit": soft - start_within if soft else None,
    }
    started = time.monotonic()
    outcome, busy = [], {}
    for index, run_id in enumerate(run_ids):
        if index and time.monotonic() - started > start_within:
            rest = run_ids[index:]
            _hand_on(rest)
            outcome += ["resent"] * len(rest)
            break
        try:
            outcome.append(_status(runs.execute_run(run_id=run_id, **limits)))
        except runs.RunBusy as held:
            # A redelivery while the previous holder's lease is still live (its
            # worker was killed): come back when the lease has expired.
            busy[run_id] = held.retry_in
            outcome.append("busy")
        except TRANSIENT_ERRORS as error:
            logger.warning("Run %s: %s; retrying", run_id, error)
            # After MAX_RETRIES the error is raised: the run is queued again (or its
            # lease expires) and the sweeper sends it later.
            raise self.retry(
                args=[run_ids[index:]],
                kwargs={"start_within": start_within},
                exc=error,
                countdown=retry_delay(self.request.retries),
            ) from error
    if busy:
        # Waiting for a lease does not use up the retries kept for transient errors.
        raise self.retry(
            args=[list(busy)],
            kwargs={"start_within": start_within},
            countdown=max(busy.values()),
            max_retries=self.request.retries + 1,
        )
    return outcome


def _hand_on(run_ids: list[int]) -> None:
    """Send the runs a message had no time left to start; the sweeper if that fails."""
    try:
        enqueue_runs(run_ids)
    except runs.BrokerUnavailable as error:
        logger.warning("%s", error)


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

    A few runs go one per message, so they spread over every worker process; a large
    batch goes ``RUNS_PER_MESSAGE`` runs per message at most, still in at least
    ``SPREAD_OVER`` messages. Raises ``runs.BrokerUnavailable`` when the broker cannot
    be reached; the runs stay queued in the database and the sweeper sends them later.
    """
    run_ids = list(run_ids)
    if not run_ids:
        return
    signatures = [_signature(message) for message in split_in_messages(run_ids)]
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


def split_in_messages(run_ids: list[int]) -> list[list[int]]:
    """The runs of each message: one each for a few, RUNS_PER_MESSAGE at most."""
    size = max(1, min(settings.RUNS_PER_MESSAGE, math.ceil(len(run_ids) / SPREAD_OVER)))
    return [run_ids[start : start + size] for start in range(0, len(run_ids), size)]


def _signature(run_ids: list[int]):
    """One message: the runs, with time limits that give each run the per-run limits."""
    if len(run_ids) == 1:
        return execute_runs_task.si(run_ids)
    task, config = execute_runs_task, execute_runs_task.app.conf
    soft = task.soft_time_limit or config.task_soft_time_limit
    hard = task.time_limit or config.task_time_limit
    start_within = start_window(soft)
    return execute_runs_task.si(run_ids, start_within=start_within).set(
        soft_time_limit=soft + start_within, time_limit=hard + start_within
    )


def start_window(soft_time_limit: float) -> float:
    """Seconds after a message's start within which its runs may still start."""
    return min(START_WITHIN_MAX_SECONDS, soft_time_limit / 10)

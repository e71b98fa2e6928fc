"""Celery tasks: thin wrappers that take ids and call the run services.

Delivery is at least once (``acks_late`` + ``reject_on_worker_lost``: a message taken by
a worker that dies goes back to the queue); ``services.runs`` makes the second delivery
harmless. After each run the task settles the run's batch (``services.batches``), also
when a repeated delivery finds the run finished (the first may have been killed while
settling). Only transient errors (database or broker connection) are retried, with
exponential backoff and full jitter; everything else ends the run ``failed``.
With no broker (the embedded default) tasks run eagerly in the web process.
"""

import logging
import random
import time

from celery import shared_task

from selector.queue import BROKER_ERRORS, BrokerUnavailable, enqueue_runs
from selector.services import runs
from selector.services.batches import settle_batch, settle_batch_of_run
from selector.services.sweeps import sweep_runs

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = runs.TRANSIENT_DB_ERRORS + BROKER_ERRORS


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
def execute_runs_task(self, run_ids: list[int], start_within: float = 0) -> list[str]:
    """Compute runs one after another; returns each run's final status, in order.

    A message carries several runs when a batch is large (see ``queue.enqueue_runs``), so the
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
            outcome.append(_finish(run_id, runs.execute_run(run_id=run_id, **limits)))
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
    except BrokerUnavailable as error:
        logger.warning("%s", error)


def _execute_eagerly(run_id: int) -> str:
    for attempt in range(EAGER_ATTEMPTS):
        try:
            return _finish(run_id, runs.execute_run(run_id=run_id))
        except runs.RunBusy:
            return "busy"  # the sweeper takes it over when the other claim expires
        except TRANSIENT_ERRORS as error:
            logger.warning("Run %s: %s (attempt %s)", run_id, error, attempt + 1)
            time.sleep(0.1 * 2**attempt)
    return "queued"  # given back to the queue for `manage.py sweep_runs`


def _finish(run_id: int, run) -> str:
    """Settle the finished run's batch; the run's status ("skipped": already done)."""
    if run is None:
        settle_batch_of_run(run_id=run_id)
        return "skipped"
    if run.batch_id is not None:
        settle_batch(batch_id=run.batch_id)
    return run.status


@shared_task(acks_late=True, ignore_result=True)
def sweep_runs_task() -> str:
    """Periodic (Celery beat): re-enqueue forgotten runs, take back lost ones."""
    report = sweep_runs()
    logger.info("Sweep: %s", report)
    return str(report)

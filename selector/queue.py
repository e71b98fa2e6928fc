"""The transport between the web process and the workers: runs handed over by id.

Runs are sent after their transaction commits, by task name (this module imports no
service and no task), in messages of one or several runs. With no broker (the embedded
default) Celery runs the tasks eagerly, in the sending process: inside the web request
that starts them, so ``enqueue_after_commit`` first bounds their work
(``check_inline_work``, ``EAGER_MAX_WORK``). When the broker cannot be reached,
``BrokerUnavailable`` says so; the runs stay queued in the database and the sweeper
sends them later, so nothing is lost.
"""

import logging
import math
from collections.abc import Iterable, Mapping, Sequence

import kombu.exceptions
import redis.exceptions
from celery import current_app, group, signature
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext

logger = logging.getLogger(__name__)

EXECUTE_RUNS_TASK = "selector.tasks.execute_runs_task"

BROKER_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)

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

# Several runs per message share its cost (publishing, delivery, acknowledgement: about
# 2 ms of CPU and a wait, against about 7 ms for a small run; benchmarks/batch.py).
# A batch is still split in at least this many messages, so it spreads over the worker
# processes; see enqueue_runs.
SPREAD_OVER = 32
# A message's runs start within a tenth of the soft time limit (at most 30 s) of the
# message's start; the others go back to the queue (see tasks.execute_runs_task).
START_WITHIN_MAX_SECONDS = 30


class BrokerUnavailable(Exception):
    """The runs are saved (``queued``) but could not be handed to the workers.

    Views answer with a message and the API with 503; the sweeper enqueues the runs
    once the broker is back, so nothing is lost.
    """

    def __init__(self, *, run_ids, batch_id=None, reason: str = ""):
        self.run_ids = list(run_ids)
        self.batch_id = batch_id
        self.reason = reason
        # In the language of the request that started the runs (Python's reason
        # stays English).
        if batch_id:
            message = gettext(
                "The task queue is unavailable; batch #%(batch)s saved as queued and "
                "will start when it is back. (%(reason)s)"
            ) % {"batch": batch_id, "reason": reason}
        else:
            message = ngettext(
                "The task queue is unavailable; %(count)s run(s) saved as queued and "
                "will start when it is back. (%(reason)s)",
                "The task queue is unavailable; %(count)s run(s) saved as queued and "
                "will start when it is back. (%(reason)s)",
                len(self.run_ids),
            ) % {"count": len(self.run_ids), "reason": reason}
        super().__init__(message)


class WorkTooLarge(ValidationError):
    """More work than one web request may do while runs are computed inside it (no
    broker): refused before the transaction that saved the runs commits."""


def run_work(inputs: Mapping) -> int:
    """What computing a run costs, in cells, from its snapshot: tools x (weight samples
    + tools + criteria), for the ranks it samples, the tools x ranks table it stores
    and its scores and contributions."""
    tools = len(inputs["tools"])
    samples = int(inputs.get("smaa_samples") or 0)
    return tools * (samples + tools + len(inputs["criteria"]))


def runs_inline() -> bool:
    """Whether tasks run in the process that sends them (no broker: the default)."""
    return bool(current_app.conf.task_always_eager)


def check_inline_work(snapshots: Iterable[Mapping]) -> None:
    """The one bound on the work a request does: while runs are computed in the
    request, refuse (WorkTooLarge) runs whose work adds up to more than
    ``EAGER_MAX_WORK``. With workers, it allows anything."""
    if not runs_inline():
        return
    snapshots = list(snapshots)
    work = sum(run_work(inputs) for inputs in snapshots)
    limit = settings.EAGER_MAX_WORK
    if work > limit:
        raise WorkTooLarge(
            f"Too much to compute inside one web request: {len(snapshots):,} run(s) "
            f"of {work:,} cells of work in all (tools x (samples + tools + criteria) "
            f"per run), beyond the limit of {limit:,} (EAGER_MAX_WORK). Without a task "
            "broker, runs are computed inside the request that starts them: configure "
            "workers (set CELERY_BROKER_URL and start a worker, see the README), or "
            "ask for less (fewer tools, samples or weight profiles)."
        )


def enqueue_after_commit(runs, *, batch_id=None, quiet: bool = False) -> None:
    """Hand the runs (saved, in the current transaction) to the workers once it
    commits.

    While runs are computed inside the request (no broker), more work than
    ``EAGER_MAX_WORK`` raises WorkTooLarge now, so the transaction saves nothing.
    The enqueue raises BrokerUnavailable from the commit (the outermost atomic block),
    unless ``quiet``: then it only logs, and the sweeper sends the runs later.
    """
    runs = list(runs)
    check_inline_work(run.inputs for run in runs)
    run_ids = [run.pk for run in runs]

    def enqueue() -> None:
        try:
            enqueue_runs(run_ids, batch_id=batch_id)
        except BrokerUnavailable as error:
            if not quiet:
                raise
            logger.warning("%s", error)

    if run_ids:
        transaction.on_commit(enqueue)


def enqueue_runs(run_ids: Sequence[int], *, batch_id: int | None = None) -> None:
    """Send runs to the workers as one group (or run them now when tasks are eager).

    A few runs go one per message, so they spread over every worker process; a large
    batch goes ``RUNS_PER_MESSAGE`` runs per message at most, still in at least
    ``SPREAD_OVER`` messages. Raises ``BrokerUnavailable`` when the broker cannot be
    reached; the runs stay queued in the database and the sweeper sends them later.
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
        raise BrokerUnavailable(
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
        return signature(EXECUTE_RUNS_TASK, args=(run_ids,), immutable=True)
    # The task as registered (selector.apps imports selector.tasks at start-up).
    task, config = current_app.tasks[EXECUTE_RUNS_TASK], current_app.conf
    soft = task.soft_time_limit or config.task_soft_time_limit
    hard = task.time_limit or config.task_time_limit
    start_within = start_window(soft)
    return signature(
        EXECUTE_RUNS_TASK,
        args=(run_ids,),
        kwargs={"start_within": start_within},
        immutable=True,
        soft_time_limit=soft + start_within,
        time_limit=hard + start_within,
    )


def start_window(soft_time_limit: float) -> float:
    """Seconds after a message's start within which its runs may still start."""
    return min(START_WITHIN_MAX_SECONDS, soft_time_limit / 10)

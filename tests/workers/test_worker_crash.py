"""A worker killed mid-batch (SIGKILL): another worker finishes the batch, and no run
is lost or stored twice."""

import signal
import time

import pytest

from selector.models import Batch, Run, RunResult
from selector.services import batches, sweeps
from tests.factories import scored_evaluation
from tests.workers.worker import results_per_run, statuses, wait_for

pytestmark = pytest.mark.services("redis")


def test_killing_the_worker_mid_batch_loses_and_repeats_nothing(
    start_worker, sending, settings
):
    # Short limits, so that the dead worker's messages and claims come back in seconds:
    # Redis redelivers after 6 s, the claims (lease = 4 + 4 s) expire after 8 s.
    limits = (3, 4, 6)  # soft and hard time limits, visibility timeout
    settings.SMAA_MAX_TOOL_SAMPLES = 20 * 200 * 4000  # above the default, with workers
    first = start_worker(limits=limits)
    evaluation = scored_evaluation(tools=20)
    batch = batches.start_batch(
        user=evaluation.created_by,
        evaluation=evaluation,
        kind="smaa",
        samples=200 * 4000,
        chunk_size=4000,
    )
    running = batch.runs.filter(status=Run.Status.RUNNING)
    orphans = set()
    for _ in range(5):
        wait_for(
            lambda: (
                batch.runs.filter(status=Run.Status.DONE).count() >= 20
                and running.exists()
            ),
            60,
            "the first worker to be in the middle of the batch",
            first,
        )
        # Freeze the worker, let in-flight statements settle, then see what it was
        # computing: those runs are the ones the kill interrupts.
        first.signal(signal.SIGSTOP)
        time.sleep(0.5)
        orphans = set(running.values_list("pk", flat=True))
        if orphans:
            break
        first.signal(signal.SIGCONT)  # caught between two runs: try again
    first.kill()
    killed_at = time.monotonic()
    done_before = batch.runs.filter(status=Run.Status.DONE).count()
    assert orphans, "the worker was never caught in the middle of a run"
    assert done_before < 200

    second = start_worker(limits=limits)
    progress = {"done": -1, "since": time.monotonic()}

    def finished() -> bool:
        # Redis can lose a message the killed worker had popped but not yet recorded
        # as unacknowledged; such a run stays queued until the sweeper re-sends it.
        # Beat runs the sweeper every minute; here it runs when progress stalls.
        done = batch.runs.filter(status=Run.Status.DONE).count()
        if done != progress["done"]:
            progress.update(done=done, since=time.monotonic())
        elif time.monotonic() - progress["since"] > 10:
            sweeps.sweep_runs(queued_for=10)
            progress["since"] = time.monotonic()
        return Batch.objects.get(pk=batch.pk).status == Batch.Status.DONE

    wait_for(
        finished,
        90,
        lambda: (
            f"the second worker to finish batch #{batch.pk} ({statuses(batch.runs)})"
        ),
        second,
    )
    recovered_in = time.monotonic() - killed_at
    print(
        f"\nSIGKILL with {done_before}/200 runs done and {len(orphans)} running; "
        f"all 200 done {recovered_in:.1f} s after the kill"
    )
    assert statuses(batch.runs) == {Run.Status.DONE: 200}
    assert results_per_run(batch) == {20}
    assert RunResult.objects.filter(run__batch=batch).count() == 200 * 20
    # Claimed twice: the interrupted runs (dead worker, then the new one); once: the rest.
    attempts = dict(batch.runs.values_list("pk", "attempts"))
    assert {pk for pk, n in attempts.items() if n == 2} == orphans
    assert {n for pk, n in attempts.items() if pk not in orphans} == {1}

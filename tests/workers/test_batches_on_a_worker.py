"""A large batch on a real worker: every run done once, several runs per message."""

import pytest

from selector import queue
from selector.models import Batch, Run, RunResult
from selector.services import batches
from tests.factories import scored_evaluation
from tests.workers.worker import results_per_run, statuses, wait_for

pytestmark = pytest.mark.services("redis")


def test_a_batch_of_200_runs_completes_with_exactly_one_result_set_per_run(
    start_worker, sending
):
    worker = start_worker()
    evaluation = scored_evaluation(tools=5)
    batch = batches.start_batch(
        user=evaluation.created_by,
        evaluation=evaluation,
        kind="smaa",
        samples=200 * 100,
        chunk_size=100,
    )
    assert batch.total == 200
    wait_for(
        lambda: Batch.objects.get(pk=batch.pk).status == Batch.Status.DONE,
        90,
        lambda: f"the 200 runs of batch #{batch.pk} (now {statuses(batch.runs)})",
        worker,
    )
    batch.refresh_from_db()
    assert statuses(batch.runs) == {Run.Status.DONE: 200}
    assert set(batch.runs.values_list("attempts", flat=True)) == {1}
    assert RunResult.objects.filter(run__batch=batch).count() == 200 * 5
    assert results_per_run(batch) == {5}
    assert batch.result["samples"] == 20_000 and batch.result["chunks"] == 200
    # Several runs per message: 29 messages of up to 7 runs, not 200 messages.
    assert worker.output().count(" succeeded in ") == len(
        queue.split_in_messages(list(range(200)))
    )

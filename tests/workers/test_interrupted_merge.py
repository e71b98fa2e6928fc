"""A worker killed (SIGKILL) while merging a Monte Carlo batch: the merge writes nothing,
its message comes back to another worker, and the batch is settled with the merge of
every chunk, not left running."""

import signal
import time

import numpy as np
import pytest
import redis
from django.test import Client

from selector import engine, queue
from selector.models import Batch, Run
from selector.services import batches, computation
from tests.factories import scored_evaluation
from tests.workers.worker import statuses, wait_for

pytestmark = pytest.mark.services("redis")

CHUNKS = 600  # of 100 samples on 100 tools: a merge reads 600 tools x ranks tables
SETTLING = "runs finished; settling it"  # what settle_batch logs as it starts merging


def study_waiting_for_its_last_chunk(broker_url: str) -> tuple[Batch, Run]:
    """A study whose chunks are all done but the last, which alone is sent to the
    workers: the worker that computes it then merges the whole study."""
    evaluation = scored_evaluation(tools=100)
    batch = batches.start_batch(
        user=evaluation.created_by,
        evaluation=evaluation,
        kind="smaa",
        samples=CHUNKS * 100,
        chunk_size=100,
    )
    redis.Redis.from_url(broker_url).flushdb()  # unsend them all
    *first, last = batch.runs.order_by("pk")
    # Three real chunk results, stored for all but the last chunk (cheaper than
    # computing 599 chunks; the merge reads them all the same).
    for variant in range(3):
        _, robustness = computation.compute(first[variant].inputs)
        Run.objects.filter(pk__in=[run.pk for run in first[variant::3]]).update(
            status=Run.Status.DONE, robustness=robustness
        )
    queue.enqueue_runs([last.pk])
    return batch, last


def caught_merging(worker, batch: Batch, last: Run) -> None:
    """Freeze ``worker`` in the middle of the merge. A merge that finished before the
    freeze is undone and the last chunk sent again: the repeated delivery merges anew."""
    for attempt in range(1, 4):
        wait_for(
            lambda n=attempt: worker.output().count(SETTLING) >= n,
            90,
            "the worker to start merging",
            worker,
        )
        worker.signal(signal.SIGSTOP)
        time.sleep(0.3)  # let a statement in flight settle
        if Batch.objects.get(pk=batch.pk).status == Batch.Status.RUNNING:
            return
        worker.signal(signal.SIGCONT)
        Batch.objects.filter(pk=batch.pk).update(
            status=Batch.Status.RUNNING, result=None, finished_at=None
        )
        queue.enqueue_runs([last.pk])
    pytest.fail("the worker was never caught merging", pytrace=False)


def expected_result(batch: Batch) -> dict:
    """The merge of every chunk, all at once, as the batch stores it."""
    chunks = list(batch.runs.order_by("pk").values_list("robustness", flat=True))
    acceptability, central = engine.merge_smaa(
        [chunk["samples"] for chunk in chunks],
        [chunk["acceptability"] for chunk in chunks],
        [chunk["central_weights"] for chunk in chunks],
    )
    return {
        "acceptability": np.round(acceptability, 6).tolist(),
        "central_weights": np.round(central, 6).tolist(),
    }


def test_a_merge_killed_midway_is_redone_from_the_redelivered_message(
    start_worker, sending, broker_url
):
    # Redis hands the dead worker's message to another worker after 6 s.
    limits = (3, 4, 6)  # soft and hard time limits, visibility timeout
    batch, last = study_waiting_for_its_last_chunk(broker_url)
    first = start_worker(limits=limits)
    caught_merging(first, batch, last)
    first.kill()
    killed_at = time.monotonic()
    # Every run finished, the batch still running with no result: what the kill left.
    assert statuses(batch.runs) == {Run.Status.DONE: CHUNKS}
    batch.refresh_from_db()
    assert batch.status == Batch.Status.RUNNING and batch.result is None

    second = start_worker(limits=limits)
    wait_for(
        lambda: Batch.objects.get(pk=batch.pk).status == Batch.Status.DONE,
        90,
        f"the redelivered message to settle batch #{batch.pk}",
        second,
    )
    settled_in = time.monotonic() - killed_at
    print(f"\nSIGKILL mid-merge; batch settled {settled_in:.1f} s after the kill")
    assert "['skipped']" in second.output()  # the last run was not computed again
    batch.refresh_from_db()
    assert batch.result["chunks"] == CHUNKS and batch.result["failed_chunks"] == 0
    assert batch.result["samples"] == CHUNKS * 100
    expected = expected_result(batch)
    assert batch.result["acceptability"] == expected["acceptability"]
    assert batch.result["central_weights"] == expected["central_weights"]
    assert set(batch.runs.values_list("attempts", flat=True)) == {0, 1}
    # Settling again (the page, the sweeper) changes nothing.
    client = Client()
    client.force_login(batch.evaluation.created_by)
    page = client.get(f"/batches/{batch.pk}/")
    assert f"over {CHUNKS * 100:,} weight draws" in page.content.decode()
    assert not batches.settle_batch(batch_id=batch.pk)
    assert Batch.objects.get(pk=batch.pk).result == batch.result

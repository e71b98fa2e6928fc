"""A run past its time limit on a real worker: stopped, failed with the reason, and the
worker goes on serving."""

import pytest

from selector import queue
from selector.models import Evaluation, Run
from selector.services import runs
from tests.factories import scored_evaluation
from tests.workers.worker import statuses, wait_for

pytestmark = pytest.mark.services("redis")


def test_a_run_past_its_time_limit_ends_failed_with_the_reason(start_worker, sending):
    worker = start_worker(limits=(1, 3, 10))
    # 50 million Monte Carlo samples of 20 tools: about a minute of work.
    endless = scored_evaluation(tools=20)
    quick = scored_evaluation(tools=3)
    slow_run = runs.queue_run(
        user=endless.created_by,
        evaluation=endless,
        extra={"smaa_samples": 50_000_000},
    )
    queue.enqueue_runs([slow_run.pk])
    wait_for(
        lambda: Run.objects.get(pk=slow_run.pk).status in ("done", "failed"),
        20,
        lambda: (
            f"run #{slow_run.pk} to stop ({statuses(Run.objects.filter(pk=slow_run.pk))})"
        ),
        worker,
    )
    slow_run.refresh_from_db()
    assert slow_run.status == Run.Status.FAILED
    assert slow_run.error == "Stopped: the run took longer than the time limit of 1 s."
    assert not slow_run.results.exists()
    # The worker is still serving.
    next_run = runs.start_run(user=quick.created_by, evaluation=quick)
    wait_for(
        lambda: Run.objects.get(pk=next_run.pk).status == Run.Status.DONE,
        20,
        f"run #{next_run.pk} after the stopped one",
        worker,
    )
    assert Evaluation.objects.get(pk=quick.pk).runs.get().results.count() == 3

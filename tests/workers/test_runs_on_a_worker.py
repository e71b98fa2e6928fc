"""A run started in the web process completes on a real worker."""

import pytest

from selector.models import Run
from selector.services import runs
from tests.factories import scored_evaluation
from tests.workers.worker import wait_for

pytestmark = pytest.mark.services("redis")


def test_a_run_completes_end_to_end_on_a_worker(start_worker, sending):
    worker = start_worker()
    evaluation = scored_evaluation(tools=5)
    run = runs.start_run(user=evaluation.created_by, evaluation=evaluation)
    wait_for(
        lambda: Run.objects.get(pk=run.pk).status in ("done", "failed"),
        30,
        f"run #{run.pk} to finish",
        worker,
    )
    run.refresh_from_db()
    assert (run.status, run.error) == (Run.Status.DONE, "")
    assert run.attempts == 1
    assert run.results.count() == 5
    assert len(run.robustness["acceptability"]) == 5

"""The run services in eager mode (no broker): start, claim, results, failures.

Retries are in ``test_run_retries.py``, several runs per message in
``test_run_messages.py``, and the same code on a real worker with Redis in
``tests/workers/``.
"""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from selector import engine, queue, tasks
from selector.models import Run, RunResult
from selector.services import computation, runs
from tests.factories import refuse_broker, scored_evaluation
from tests.services.delivering import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return scored_evaluation(tools=4)


def test_a_started_run_stays_queued_until_its_transaction_commits(
    evaluation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = runs.start_run(user=evaluation.created_by, evaluation=evaluation)
        assert Run.objects.get(pk=run.pk).status == Run.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    assert Run.objects.get(pk=run.pk).status == Run.Status.DONE


def test_a_rolled_back_start_enqueues_nothing(
    evaluation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            runs.start_run(user=evaluation.created_by, evaluation=evaluation)
            raise RuntimeError("the request failed after starting the run")
    assert callbacks == []
    assert not Run.objects.exists()


def test_a_run_ends_done_with_one_result_per_tool(
    evaluation, django_capture_on_commit_callbacks
):
    run = start(evaluation, django_capture_on_commit_callbacks)
    assert run.status == Run.Status.DONE
    assert run.attempts == 1
    assert run.finished_at >= run.started_at
    assert run.deadline_at is None
    assert run.results.count() == 4
    assert sorted(run.results.values_list("rank", flat=True))[0] == 1
    assert len(run.robustness["acceptability"]) == 4


def test_a_second_delivery_of_a_done_run_does_nothing(
    evaluation, django_capture_on_commit_callbacks
):
    run = start(evaluation, django_capture_on_commit_callbacks)
    first_ids = set(run.results.values_list("pk", flat=True))
    assert tasks.execute_runs_task.apply(args=[[run.pk]]).get() == ["skipped"]
    run.refresh_from_db()
    assert run.attempts == 1
    assert set(run.results.values_list("pk", flat=True)) == first_ids


def test_results_are_not_written_by_a_claim_that_was_taken_over(
    evaluation, django_capture_on_commit_callbacks
):
    run = start(evaluation, django_capture_on_commit_callbacks, execute=False)
    stale_claim = runs.claim_run(run_id=run.pk)
    # The first worker is presumed dead: its lease expires, another worker finishes.
    Run.objects.filter(pk=run.pk).update(
        deadline_at=timezone.now() - timedelta(seconds=1)
    )
    assert runs.execute_run(run_id=run.pk).status == Run.Status.DONE
    rows, robustness = computation.compute(run.inputs)
    assert runs._store_results(run, stale_claim, rows, robustness) is None
    assert RunResult.objects.filter(run=run).count() == 4
    assert Run.objects.get(pk=run.pk).attempts == 2


def test_a_run_the_engine_refuses_ends_failed_with_the_reason(
    evaluation, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(inputs):
        raise engine.EngineError("criterion 'roi' has the same value for every tool")

    monkeypatch.setattr(computation, "compute", refuse)
    run = start(evaluation, django_capture_on_commit_callbacks)
    assert run.status == Run.Status.FAILED
    assert run.error == (
        "The engine refused the data: criterion 'roi' has the same value for every tool"
    )
    assert not run.results.exists()


def test_an_unexpected_error_fails_the_run_naming_the_error(
    evaluation, django_capture_on_commit_callbacks, monkeypatch
):
    def crash(inputs):
        raise KeyError("matrix")

    monkeypatch.setattr(computation, "compute", crash)
    run = start(evaluation, django_capture_on_commit_callbacks)
    assert run.status == Run.Status.FAILED
    assert run.error == "Unexpected error (KeyError): 'matrix'"


def test_a_run_past_its_soft_time_limit_ends_failed_with_the_reason(
    evaluation, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 300

    def too_slow(inputs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(computation, "compute", too_slow)
    run = start(evaluation, django_capture_on_commit_callbacks)
    assert run.status == Run.Status.FAILED
    assert run.error == "Stopped: the run took longer than the time limit of 300 s."


def test_a_redelivery_while_another_claim_is_live_waits_for_the_lease(
    evaluation, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_TIME_LIMIT = 360
    run = start(evaluation, django_capture_on_commit_callbacks, execute=False)
    assert runs.claim_run(run_id=run.pk) is not None
    with pytest.raises(runs.RunBusy) as busy:
        runs.execute_run(run_id=run.pk)
    assert 385 <= busy.value.retry_in <= 391  # the lease: hard limit + 30 s, plus 1 s
    assert Run.objects.get(pk=run.pk).attempts == 1


def test_a_run_claimed_too_many_times_fails_instead_of_looping(
    evaluation, django_capture_on_commit_callbacks
):
    run = start(evaluation, django_capture_on_commit_callbacks, execute=False)
    Run.objects.filter(pk=run.pk).update(
        status=Run.Status.RUNNING,
        attempts=runs.MAX_ATTEMPTS,
        deadline_at=timezone.now() - timedelta(seconds=1),
    )
    finished = runs.execute_run(run_id=run.pk)
    assert finished.status == Run.Status.FAILED
    assert finished.error.startswith(f"Gave up after {runs.MAX_ATTEMPTS} attempts")


def test_a_run_deleted_before_its_delivery_is_skipped_quietly(
    evaluation, django_capture_on_commit_callbacks
):
    run = start(evaluation, django_capture_on_commit_callbacks, execute=False)
    run.delete()
    assert tasks.execute_runs_task.apply(args=[[run.pk]]).get() == ["skipped"]


def test_broker_down_raises_broker_unavailable_and_keeps_the_run_queued(
    evaluation, django_capture_on_commit_callbacks, monkeypatch
):
    refuse_broker(monkeypatch)
    with pytest.raises(queue.BrokerUnavailable) as unavailable:
        with django_capture_on_commit_callbacks(execute=True):
            runs.start_run(user=evaluation.created_by, evaluation=evaluation)
    run = Run.objects.get()
    assert unavailable.value.run_ids == [run.pk]
    assert "unavailable" in str(unavailable.value)
    assert run.status == Run.Status.QUEUED
    assert run.inputs["tools"]

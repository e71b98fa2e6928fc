"""Runs as Celery tasks, in eager mode (no broker): claim, results, failures, retries.

The same code on a real worker with Redis is in ``test_tasks_workers.py``.
"""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError, transaction
from django.utils import timezone

from selector import engine, queue, tasks
from selector.models import Run, RunResult
from selector.services import computation, runs
from tests.factories import refuse_broker, scored_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return scored_evaluation(tools=4)


def start(evaluation, django_capture_on_commit_callbacks, execute=True) -> Run:
    with django_capture_on_commit_callbacks(execute=execute):
        run = runs.start_run(user=evaluation.created_by, evaluation=evaluation)
    run.refresh_from_db()
    return run


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


def blip_on_call(number: int, monkeypatch) -> list:
    """Make the ``number``-th computation lose its database connection; the calls."""
    real_compute = computation.compute
    calls = []

    def flaky(inputs):
        calls.append(inputs)
        if len(calls) == number:
            raise OperationalError("server closed the connection unexpectedly")
        return real_compute(inputs)

    monkeypatch.setattr(computation, "compute", flaky)
    return calls


def test_a_database_blip_gives_the_claim_back_and_the_retry_completes_the_run(
    evaluation, django_capture_on_commit_callbacks, monkeypatch
):
    calls = blip_on_call(1, monkeypatch)
    run = start(evaluation, django_capture_on_commit_callbacks)
    assert len(calls) == 2
    assert run.status == Run.Status.DONE
    assert run.attempts == 2
    assert run.results.count() == 4


class Retried(Exception):
    pass


@pytest.fixture
def on_a_worker(monkeypatch):
    """Call the task as a worker would (not eager), recording what it retries."""
    retries = []

    def retry(**options):
        retries.append(options)
        return Retried()

    monkeypatch.setattr(tasks.execute_runs_task, "retry", retry)
    tasks.execute_runs_task.push_request(is_eager=False, retries=1)
    yield retries
    tasks.execute_runs_task.pop_request()


def test_on_a_worker_a_database_blip_is_retried_with_a_jittered_backoff(
    evaluation, django_capture_on_commit_callbacks, monkeypatch, on_a_worker
):
    def blip(inputs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(computation, "compute", blip)
    run = start(evaluation, django_capture_on_commit_callbacks, execute=False)
    with pytest.raises(Retried):
        tasks.execute_runs_task.run([run.pk])
    [retry] = on_a_worker
    assert isinstance(retry["exc"], OperationalError)
    assert 0 <= retry["countdown"] <= 4  # second try: up to 2 * 2**1 s
    assert (
        Run.objects.get(pk=run.pk).status == Run.Status.QUEUED
    )  # the claim was given back


def test_on_a_worker_an_engine_error_is_not_retried(
    evaluation, django_capture_on_commit_callbacks, monkeypatch, on_a_worker
):
    def refuse(inputs):
        raise engine.EngineError("all weights are zero")

    monkeypatch.setattr(computation, "compute", refuse)
    run = start(evaluation, django_capture_on_commit_callbacks, execute=False)
    assert tasks.execute_runs_task.run([run.pk]) == [Run.Status.FAILED]
    assert on_a_worker == []


def test_retry_delays_grow_exponentially_with_full_jitter_up_to_a_minute():
    for retries, cap in [(0, 2), (1, 4), (2, 8), (4, 32), (5, 60), (9, 60)]:
        delays = [tasks.retry_delay(retries) for _ in range(200)]
        assert all(0 <= delay <= cap for delay in delays)
        assert max(delays) > cap / 2 and min(delays) < cap / 2


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


# Several runs per message --------------------------------------------------------------


def queued_runs(evaluation, count: int) -> list[int]:
    return [
        runs.queue_run(user=evaluation.created_by, evaluation=evaluation).pk
        for _ in range(count)
    ]


def test_a_few_runs_go_one_per_message_and_a_large_batch_shares_messages(settings):
    settings.RUNS_PER_MESSAGE = 20
    assert queue.split_in_messages([1, 2, 3]) == [[1], [2], [3]]
    ids = list(range(1, 201))
    messages = queue.split_in_messages(ids)
    assert {len(message) for message in messages[:-1]} == {7}  # 200 / 32 per message
    assert len(messages) == 29
    assert [run_id for message in messages for run_id in message] == ids
    messages = queue.split_in_messages(list(range(1, 1001)))
    assert [len(message) for message in messages] == [20] * 50
    settings.RUNS_PER_MESSAGE = 1
    assert queue.split_in_messages([1, 2, 3, 4]) == [[1], [2], [3], [4]]


def test_a_message_of_several_runs_gives_each_run_the_per_run_time_limits(
    monkeypatch,
):
    monkeypatch.setattr(tasks.execute_runs_task, "soft_time_limit", 300)
    monkeypatch.setattr(tasks.execute_runs_task, "time_limit", 360)
    single = queue._signature([7])
    assert single.args == ([7],) and "soft_time_limit" not in single.options
    several = queue._signature([7, 8, 9])
    assert several.kwargs == {"start_within": 30}  # a tenth of 300 s, at most 30 s
    assert (several.options["soft_time_limit"], several.options["time_limit"]) == (
        330,
        390,
    )

    seen = []

    def record(**limits):
        seen.append(limits)
        return None

    monkeypatch.setattr(runs, "execute_run", record)
    tasks.execute_runs_task.push_request(
        is_eager=False, retries=0, timelimit=(390, 330)
    )
    try:
        assert tasks.execute_runs_task.run([7, 8], start_within=30) == ["skipped"] * 2
    finally:
        tasks.execute_runs_task.pop_request()
    assert seen == [
        {"run_id": 7, "time_limit": 390, "soft_time_limit": 300},
        {"run_id": 8, "time_limit": 390, "soft_time_limit": 300},
    ]


def test_a_message_computes_each_of_its_runs_once(evaluation, on_a_worker):
    ids = queued_runs(evaluation, 3)
    outcome = tasks.execute_runs_task.run(ids, start_within=60)
    assert outcome == [Run.Status.DONE] * 3
    assert on_a_worker == []
    assert {(r.status, r.attempts) for r in Run.objects.filter(pk__in=ids)} == {
        (Run.Status.DONE, 1)
    }
    assert RunResult.objects.filter(run_id__in=ids).count() == 3 * 4
    # A repeat delivery of the whole message stores nothing again.
    assert tasks.execute_runs_task.run(ids, start_within=60) == ["skipped"] * 3
    assert RunResult.objects.filter(run_id__in=ids).count() == 3 * 4


def test_runs_a_message_had_no_time_to_start_are_sent_on_in_a_new_message(
    evaluation, on_a_worker, monkeypatch
):
    ids = queued_runs(evaluation, 3)
    sent = []
    monkeypatch.setattr(tasks, "enqueue_runs", sent.append)
    outcome = tasks.execute_runs_task.run(ids, start_within=0)
    assert outcome == [Run.Status.DONE, "resent", "resent"]
    assert sent == [ids[1:]]
    assert list(
        Run.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)
    ) == [Run.Status.DONE, Run.Status.QUEUED, Run.Status.QUEUED]


def test_a_run_held_by_another_worker_does_not_hold_up_the_rest_of_its_message(
    evaluation, on_a_worker, settings
):
    settings.CELERY_TASK_TIME_LIMIT = 360
    held, free = queued_runs(evaluation, 2)
    assert runs.claim_run(run_id=held) is not None  # a worker that was killed
    with pytest.raises(Retried):
        tasks.execute_runs_task.run([held, free], start_within=60)
    [retry] = on_a_worker
    assert retry["args"] == [[held]]
    assert retry["kwargs"] == {"start_within": 60}
    assert 385 <= retry["countdown"] <= 391  # when the held claim's lease expires
    assert retry["max_retries"] == 2  # waiting does not use up a retry
    assert Run.objects.get(pk=free).status == Run.Status.DONE
    assert Run.objects.get(pk=held).attempts == 1


def test_a_database_blip_mid_message_retries_only_the_runs_not_yet_done(
    evaluation, on_a_worker, monkeypatch
):
    first, second, third = queued_runs(evaluation, 3)
    blip_on_call(2, monkeypatch)
    with pytest.raises(Retried):
        tasks.execute_runs_task.run([first, second, third], start_within=60)
    [retry] = on_a_worker
    assert retry["args"] == [[second, third]]
    assert isinstance(retry["exc"], OperationalError)
    statuses = dict(Run.objects.values_list("pk", "status"))
    assert statuses == {
        first: Run.Status.DONE,
        second: Run.Status.QUEUED,  # the claim was given back
        third: Run.Status.QUEUED,
    }

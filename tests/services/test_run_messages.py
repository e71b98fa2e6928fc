"""Several runs per message: how runs are split in messages, the time limits a message
carries, and how the task treats each run of a message (called as a worker would)."""

import pytest
from django.db import OperationalError

from selector import queue, tasks
from selector.models import Run, RunResult
from selector.services import runs
from tests.factories import scored_evaluation
from tests.services.delivering import Retried, blip_on_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return scored_evaluation(tools=4)


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

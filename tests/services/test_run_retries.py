"""Retries of a run, eagerly and as a worker calls the task: a database blip gives the
claim back and is retried with a jittered backoff; an engine error is not retried."""

import pytest
from django.db import OperationalError

from selector import engine, tasks
from selector.models import Run
from selector.services import computation
from tests.factories import scored_evaluation
from tests.services.delivering import Retried, blip_on_call, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return scored_evaluation(tools=4)


def test_a_database_blip_gives_the_claim_back_and_the_retry_completes_the_run(
    evaluation, django_capture_on_commit_callbacks, monkeypatch
):
    calls = blip_on_call(1, monkeypatch)
    run = start(evaluation, django_capture_on_commit_callbacks)
    assert len(calls) == 2
    assert run.status == Run.Status.DONE
    assert run.attempts == 2
    assert run.results.count() == 4


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

"""The broker down: starting a run answers at once, the run waits queued, and the
sweeper sends it once the broker is back; nothing is lost."""

import time

import pytest
from django.core.management import call_command

from selector import queue
from selector.models import Run, RunResult
from selector.services import runs
from tests.factories import api_client, scored_evaluation
from tests.workers.worker import (
    REDIS_DB,
    closed_port,
    publishing_to,
    send_through,
    wait_for,
)

pytestmark = pytest.mark.services("redis")


def test_with_the_broker_unreachable_the_run_waits_queued_until_the_sweeper(
    start_worker, sending
):
    worker = start_worker()
    evaluation = scored_evaluation(tools=4)
    send_through(f"redis://127.0.0.1:{closed_port()}/{REDIS_DB}")
    started = time.monotonic()
    with pytest.raises(queue.BrokerUnavailable) as unavailable:
        runs.start_run(user=evaluation.created_by, evaluation=evaluation)
    assert time.monotonic() - started < 5, "the start request hung on the dead broker"
    run = Run.objects.get(evaluation=evaluation)
    assert unavailable.value.run_ids == [run.pk]
    time.sleep(1)
    assert Run.objects.get(pk=run.pk).status == Run.Status.QUEUED

    send_through(sending)  # Redis is back
    call_command("sweep_runs", "--queued-for", "0")
    wait_for(
        lambda: Run.objects.get(pk=run.pk).status == Run.Status.DONE,
        30,
        f"run #{run.pk} to complete after the sweep",
        worker,
    )
    assert Run.objects.get(pk=run.pk).results.count() == 4


def test_a_broker_stopped_and_restarted_loses_no_run_counted_through_the_api(
    own_redis, start_worker
):
    own_redis.start()
    with publishing_to(own_redis.url):
        worker = start_worker(broker=own_redis.url)
        evaluation = scored_evaluation(tools=4)
        api = api_client(evaluation.created_by)
        runs_url = f"/api/v1/evaluations/{evaluation.pk}/runs/"

        def status_of(run_id: int) -> str:
            return api.get(f"/api/v1/runs/{run_id}/").json()["status"]

        before = api.post(runs_url, format="json")
        assert before.status_code == 202, before.content
        wait_for(
            lambda: status_of(before.json()["id"]) == "done",
            30,
            "the run started while the broker was up",
            worker,
        )

        own_redis.stop()
        started = time.monotonic()
        refused = api.post(runs_url, format="json")
        assert time.monotonic() - started < 5, "the request hung on the stopped broker"
        assert refused.status_code == 503
        assert "task queue is unavailable" in refused.json()["detail"]
        listed = api.get(runs_url).json()["results"]
        assert [run["status"] for run in listed] == ["queued", "done"]  # newest first
        waiting = listed[0]["id"]

        own_redis.start()  # same port, empty: the worker reconnects by itself
        call_command("sweep_runs", "--queued-for", "0")
        wait_for(
            lambda: status_of(waiting) == "done",
            90,
            lambda: f"run #{waiting} after the broker came back ({status_of(waiting)})",
            worker,
        )
        listed = api.get(runs_url).json()["results"]
        assert [run["status"] for run in listed] == ["done", "done"]
        for run in listed:
            detail = api.get(f"/api/v1/runs/{run['id']}/").json()
            assert len(detail["results"]) == 4
        assert RunResult.objects.filter(run__evaluation=evaluation).count() == 2 * 4

"""The sweeper (``sweep_runs``): no run stays queued or running forever."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from selector.models import Batch, Run
from selector.services import batches, runs, sweeps
from tests.factories import refuse_broker, scored_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return scored_evaluation(tools=3)


def queued_run(evaluation, capture, *, age: float = 0, **fields) -> Run:
    """A run saved as queued whose message never reached a worker, ``age`` s ago."""
    with capture(execute=False):
        run = runs.start_run(user=evaluation.created_by, evaluation=evaluation)
    Run.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(seconds=age), **fields
    )
    return run


def test_a_run_left_queued_is_sent_again_and_completes(
    evaluation, django_capture_on_commit_callbacks
):
    run = queued_run(evaluation, django_capture_on_commit_callbacks, age=300)
    report = sweeps.sweep_runs(queued_for=60)
    assert report.resent == 1
    run.refresh_from_db()
    assert run.status == Run.Status.DONE
    assert run.results.count() == 3


def test_a_recently_queued_run_is_left_alone(
    evaluation, django_capture_on_commit_callbacks
):
    run = queued_run(evaluation, django_capture_on_commit_callbacks, age=10)
    assert sweeps.sweep_runs(queued_for=60).resent == 0
    assert Run.objects.get(pk=run.pk).status == Run.Status.QUEUED


def test_with_the_broker_still_down_the_run_stays_queued_and_is_retried_later(
    evaluation, django_capture_on_commit_callbacks, monkeypatch
):
    run = queued_run(evaluation, django_capture_on_commit_callbacks, age=300)
    refuse_broker(monkeypatch)
    report = sweeps.sweep_runs(queued_for=60)
    assert report.resent == 0
    assert "Connection refused" in report.broker_error
    assert Run.objects.get(pk=run.pk).status == Run.Status.QUEUED
    # At most one resend per interval: the next minute's sweep leaves it alone...
    monkeypatch.undo()
    assert sweeps.sweep_runs(queued_for=60).resent == 0
    # ...and the one after the interval sends it.
    later = timezone.now() + timedelta(seconds=61)
    assert sweeps.sweep_runs(queued_for=60, now=later).resent == 1
    assert Run.objects.get(pk=run.pk).status == Run.Status.DONE


def test_a_run_whose_lease_just_expired_is_left_for_its_redelivered_message(
    evaluation, django_capture_on_commit_callbacks
):
    run = queued_run(
        evaluation,
        django_capture_on_commit_callbacks,
        status=Run.Status.RUNNING,
        attempts=1,
        deadline_at=timezone.now() - timedelta(seconds=1),
    )
    report = sweeps.sweep_runs()
    assert (report.resent, report.failed) == (0, 0)
    assert Run.objects.get(pk=run.pk).status == Run.Status.RUNNING
    # Redis hands the dead worker's message to another worker, which takes it over.
    finished = runs.execute_run(run_id=run.pk)
    assert (finished.status, finished.attempts) == (Run.Status.DONE, 2)


def test_a_run_still_running_past_its_deadline_fails_with_a_reason(
    evaluation, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 420}
    window = timedelta(seconds=420 + 60)  # redelivery, then a minute to claim
    lease_end = timezone.now() - timedelta(seconds=10)
    run = queued_run(
        evaluation,
        django_capture_on_commit_callbacks,
        status=Run.Status.RUNNING,
        attempts=1,
        deadline_at=lease_end,
    )
    assert sweeps.sweep_runs(now=lease_end + window - timedelta(seconds=1)).failed == 0
    report = sweeps.sweep_runs(now=lease_end + window + timedelta(seconds=1))
    assert (report.failed, report.failed_ids) == (1, [run.pk])
    run.refresh_from_db()
    assert run.status == Run.Status.FAILED
    assert run.error == (
        "Stopped: its worker was lost (crashed, was killed, or passed the hard time "
        "limit) and no other worker took it over within 480 s. Start it again."
    )
    assert run.finished_at is not None and run.deadline_at is None
    # Its message, redelivered after all, finds it finished and stores nothing.
    assert runs.execute_run(run_id=run.pk) is None
    assert not run.results.exists()


def test_a_running_run_within_its_lease_is_left_alone(
    evaluation, django_capture_on_commit_callbacks
):
    run = queued_run(
        evaluation,
        django_capture_on_commit_callbacks,
        age=3600,
        status=Run.Status.RUNNING,
        attempts=1,
        deadline_at=timezone.now() + timedelta(seconds=30),
    )
    report = sweeps.sweep_runs()
    assert (report.resent, report.failed) == (0, 0)
    assert Run.objects.get(pk=run.pk).status == Run.Status.RUNNING


def test_a_run_nobody_picked_up_for_a_day_fails(
    evaluation, django_capture_on_commit_callbacks
):
    run = queued_run(evaluation, django_capture_on_commit_callbacks, age=86400 + 60)
    assert sweeps.sweep_runs().failed == 1
    run.refresh_from_db()
    assert run.status == Run.Status.FAILED
    assert run.error == "No worker picked it up within 1 day(s)."


def test_the_sweeper_finishes_a_batch_whose_last_run_it_failed(
    evaluation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        batch = batches.start_batch(
            user=evaluation.created_by,
            evaluation=evaluation,
            kind="smaa",
            samples=400,
            chunk_size=200,
        )
    first, last = batch.runs.order_by("pk")
    runs.execute_run(run_id=first.pk)
    Run.objects.filter(pk=last.pk).update(
        status=Run.Status.RUNNING,
        attempts=1,
        deadline_at=timezone.now() - sweeps.takeover_window() - timedelta(seconds=1),
    )
    assert sweeps.sweep_runs().batches_finished == 1
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE
    assert batch.result["chunks"] == 1 and batch.result["failed_chunks"] == 1


def test_the_command_prints_what_it_did(
    evaluation, django_capture_on_commit_callbacks, capsys
):
    queued_run(evaluation, django_capture_on_commit_callbacks, age=30)
    call_command("sweep_runs", "--queued-for", "0")
    out = capsys.readouterr().out
    assert out.startswith("Sent 1 waiting queued run(s) again")
    assert Run.objects.get().status == Run.Status.DONE


def test_the_command_fails_clearly_while_the_broker_is_down(
    evaluation, django_capture_on_commit_callbacks, monkeypatch
):
    queued_run(evaluation, django_capture_on_commit_callbacks, age=30)
    refuse_broker(monkeypatch)
    with pytest.raises(CommandError, match="The task queue is unavailable"):
        call_command("sweep_runs", "--queued-for", "0")
    assert Run.objects.get().status == Run.Status.QUEUED

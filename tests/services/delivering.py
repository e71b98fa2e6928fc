"""Helpers of the run and batch tests: start a run or a batch, fail a computation as a database blip would,
and the exception a worker's retry raises."""

from django.db import OperationalError

from selector.models import Batch, Run
from selector.services import batches, computation, runs


class Retried(Exception):
    """What ``execute_runs_task.retry`` raises under the ``on_a_worker`` fixture."""


def start(evaluation, django_capture_on_commit_callbacks, execute=True) -> Run:
    with django_capture_on_commit_callbacks(execute=execute):
        run = runs.start_run(user=evaluation.created_by, evaluation=evaluation)
    run.refresh_from_db()
    return run


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


def start_batch(evaluation, capture, kind, execute=True, **options) -> Batch:
    """Start a batch of ``kind`` as the evaluation's owner; with ``execute``, its runs
    are computed when the transaction commits (eager mode)."""
    with capture(execute=execute):
        batch = batches.start_batch(
            user=evaluation.created_by, evaluation=evaluation, kind=kind, **options
        )
    batch.refresh_from_db()
    return batch

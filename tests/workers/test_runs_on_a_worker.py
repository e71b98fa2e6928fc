"""Runs and batches on a real ``celery -A config worker`` process with Redis.

The database the worker shares with the tests
    pytest-django's test database cannot be shared with another process: a ``db`` test
    runs inside a transaction that the worker never sees, and ``transactional_db``
    flushes every table after each test, which would also wipe the criteria and weight
    profiles that the migrations load, for every test that runs afterwards. So this
    module makes its own database, once (fixture ``worker_database``):
    - suite on SQLite: a temporary file in WAL mode with ``IMMEDIATE`` transactions and
      a 30 s busy timeout, so this process and two worker processes can all write it;
    - suite on PostgreSQL (``DATABASE_URL=postgres://...``): a database named after the
      test database plus ``_workers``, dropped at the end.
    It is migrated (so it has the built-in criteria and profiles), and both this test
    process (Django's default connection is swapped for one to it, for the module's
    duration) and every worker (``DATABASE_URL`` in its environment) use it. Writes are committed
    for real; each test makes its own workspace, so tests do not see each other's rows.

The broker
    Redis database 14 (never 0 or 15), flushed before each test. This process sends
    through the web's Celery app (``config.celery``), switched from eager mode to Redis
    for each test. Each test starts its own worker (prefork, 2 processes) in a new
    session and kills the whole process group at teardown, whatever happened.

Timing knobs, as in production: ``CELERY_TASK_SOFT_TIME_LIMIT`` and
``CELERY_TASK_TIME_LIMIT`` (a message carries its sender's limits, so this process sets
them too); the claim lease is the hard limit plus as much again (at most 30 s);
``CELERY_VISIBILITY_TIMEOUT`` is when Redis hands the message of a dead worker to another
one. The SIGKILL and time-limit tests shorten them to a few seconds.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import pytest
import redis
from django.core.management import call_command
from django.db import connections
from django.db.models import Count

from config.celery import app
from selector import queue, tasks
from selector.models import Batch, Evaluation, Run, RunResult
from selector.services import batches, runs, sweeps
from tests.conftest import require_services
from tests.factories import api_client, scored_evaluation

PROJECT = Path(__file__).resolve().parents[2]
REDIS_DB = 14
WORKER_START_TIMEOUT = 30

pytestmark = pytest.mark.services("redis")


# Database shared with the workers --------------------------------------------------------


def _sqlite_database(directory: str) -> tuple[dict, str]:
    path = Path(directory) / "workers.sqlite3"
    options = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    url = f"sqlite:///{path}?timeout=30&transaction_mode=IMMEDIATE"
    return {"NAME": str(path), "OPTIONS": options}, url


def _postgres_database(settings_dict: dict) -> tuple[dict, str]:
    name = f"{settings_dict['NAME']}_workers"
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    credentials = quote(settings_dict["USER"] or "")
    if settings_dict["PASSWORD"]:
        credentials += ":" + quote(settings_dict["PASSWORD"])
    host = f"{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
    return {"NAME": name}, f"postgres://{credentials}@{host}/{name}"


@pytest.fixture(scope="module")
def worker_database(django_db_blocker):
    """A migrated database that this process and the worker subprocesses both use.

    Django's default connection is swapped for one to that database for the module and
    swapped back afterwards; the original (possibly pytest-django's in-memory SQLite
    test database, which closing would destroy) is left untouched.
    """
    original = connections["default"]
    postgres = original.vendor == "postgresql"
    directory = tempfile.mkdtemp(prefix="shortlist-workers-")
    with django_db_blocker.unblock():
        if postgres:
            change, url = _postgres_database(original.settings_dict)
        else:
            change, url = _sqlite_database(directory)
        shared = original.__class__({**original.settings_dict, **change}, "default")
        connections["default"] = shared
        try:
            call_command("migrate", verbosity=0, interactive=False)
            if not postgres:
                with shared.cursor() as cursor:
                    cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file
            yield url
        finally:
            shared.close()
            connections["default"] = original
            if postgres:
                with original._nodb_cursor() as cursor:
                    cursor.execute(
                        f'DROP DATABASE IF EXISTS "{change["NAME"]}" WITH (FORCE)'
                    )
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def database(worker_database, django_db_blocker):
    with django_db_blocker.unblock():
        yield worker_database


# Broker ----------------------------------------------------------------------------------


@pytest.fixture
def broker_url(redis_url) -> str:
    parts = urlsplit(redis_url)
    url = f"redis://{parts.hostname}:{parts.port or 6379}/{REDIS_DB}"
    redis.Redis.from_url(url).flushdb()
    return url


def send_through(url: str) -> None:
    """Make this process's Celery app publish to ``url`` (instead of running eagerly)."""
    app.conf.update(
        broker_url=url,
        broker_read_url=None,
        broker_write_url=None,
        task_always_eager=False,
    )
    app.close()  # drop pooled connections to the previous broker
    app.amqp._producer_pool = None


@pytest.fixture
def sending(broker_url):
    eager, previous = app.conf.task_always_eager, app.conf.broker_url
    send_through(broker_url)
    yield broker_url
    send_through(previous)
    app.conf.task_always_eager = eager


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Workers ---------------------------------------------------------------------------------


class Worker:
    """A ``celery -A config worker`` subprocess with its own session and log file."""

    def __init__(self, *, database_url: str, broker_url: str, log_dir: Path, **env):
        self.log = log_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "INFO",
            **{key: str(value) for key, value in env.items()},
        }
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=2",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--hostname",
                    f"test-{uuid.uuid4().hex[:8]}@%h",
                ],
                cwd=PROJECT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(
            lambda: " ready." in self.output() or self.process.poll() is not None,
            WORKER_START_TIMEOUT,
            "the worker to start",
            self,
        )
        assert self.process.poll() is None, f"The worker exited:\n{self.tail()}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output().splitlines()[-lines:])

    def signal(self, number: int) -> None:
        os.killpg(self.process.pid, number)

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once (a crashed machine)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)


@pytest.fixture
def start_worker(database, broker_url, tmp_path, monkeypatch):
    """Start a worker; ``limits`` (soft, hard, visibility seconds) apply to it and to
    the runs this process sends, since a message carries its sender's time limits."""
    started = []

    def start(*, limits: tuple[int, int, int] | None = None) -> Worker:
        env = {}
        if limits:
            soft, hard, visibility = limits
            env = {
                "CELERY_TASK_SOFT_TIME_LIMIT": soft,
                "CELERY_TASK_TIME_LIMIT": hard,
                "CELERY_VISIBILITY_TIMEOUT": visibility,
            }
            monkeypatch.setattr(tasks.execute_runs_task, "soft_time_limit", soft)
            monkeypatch.setattr(tasks.execute_runs_task, "time_limit", hard)
            monkeypatch.setattr(
                tasks.execute_runs_task, "_exec_options", None
            )  # a cache
        worker = Worker(
            database_url=database, broker_url=broker_url, log_dir=tmp_path, **env
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def wait_for(condition, timeout: float, what: str, worker: Worker | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    what = what() if callable(what) else what
    log = f"\nWorker log (last lines):\n{worker.tail()}" if worker else ""
    pytest.fail(
        f"Timed out after {timeout:.0f} s waiting for {what}.{log}", pytrace=False
    )


def statuses(runs_queryset) -> dict[str, int]:
    return dict(runs_queryset.values_list("status").annotate(n=Count("id")))


def results_per_run(batch: Batch) -> set[int]:
    return set(
        RunResult.objects.filter(run__batch=batch)
        .values("run")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )


# Tests -----------------------------------------------------------------------------------


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


def test_a_batch_of_200_runs_completes_with_exactly_one_result_set_per_run(
    start_worker, sending
):
    worker = start_worker()
    evaluation = scored_evaluation(tools=5)
    batch = batches.start_batch(
        user=evaluation.created_by,
        evaluation=evaluation,
        kind="smaa",
        samples=200 * 100,
        chunk_size=100,
    )
    assert batch.total == 200
    wait_for(
        lambda: Batch.objects.get(pk=batch.pk).status == Batch.Status.DONE,
        90,
        lambda: f"the 200 runs of batch #{batch.pk} (now {statuses(batch.runs)})",
        worker,
    )
    batch.refresh_from_db()
    assert statuses(batch.runs) == {Run.Status.DONE: 200}
    assert set(batch.runs.values_list("attempts", flat=True)) == {1}
    assert RunResult.objects.filter(run__batch=batch).count() == 200 * 5
    assert results_per_run(batch) == {5}
    assert batch.result["samples"] == 20_000 and batch.result["chunks"] == 200
    # Several runs per message: 29 messages of up to 7 runs, not 200 messages.
    assert worker.output().count(" succeeded in ") == len(
        queue.split_in_messages(list(range(200)))
    )


def test_killing_the_worker_mid_batch_loses_and_repeats_nothing(start_worker, sending):
    # Short limits, so that the dead worker's messages and claims come back in seconds:
    # Redis redelivers after 6 s, the claims (lease = 4 + 4 s) expire after 8 s.
    limits = (3, 4, 6)  # soft and hard time limits, visibility timeout
    first = start_worker(limits=limits)
    evaluation = scored_evaluation(tools=20)
    batch = batches.start_batch(
        user=evaluation.created_by,
        evaluation=evaluation,
        kind="smaa",
        samples=200 * 4000,
        chunk_size=4000,
    )
    running = batch.runs.filter(status=Run.Status.RUNNING)
    orphans = set()
    for _ in range(5):
        wait_for(
            lambda: (
                batch.runs.filter(status=Run.Status.DONE).count() >= 20
                and running.exists()
            ),
            60,
            "the first worker to be in the middle of the batch",
            first,
        )
        # Freeze the worker, let in-flight statements settle, then see what it was
        # computing: those runs are the ones the kill interrupts.
        first.signal(signal.SIGSTOP)
        time.sleep(0.5)
        orphans = set(running.values_list("pk", flat=True))
        if orphans:
            break
        first.signal(signal.SIGCONT)  # caught between two runs: try again
    first.kill()
    killed_at = time.monotonic()
    done_before = batch.runs.filter(status=Run.Status.DONE).count()
    assert orphans, "the worker was never caught in the middle of a run"
    assert done_before < 200

    second = start_worker(limits=limits)
    progress = {"done": -1, "since": time.monotonic()}

    def finished() -> bool:
        # Redis can lose a message the killed worker had popped but not yet recorded
        # as unacknowledged; such a run stays queued until the sweeper re-sends it.
        # Beat runs the sweeper every minute; here it runs when progress stalls.
        done = batch.runs.filter(status=Run.Status.DONE).count()
        if done != progress["done"]:
            progress.update(done=done, since=time.monotonic())
        elif time.monotonic() - progress["since"] > 10:
            sweeps.sweep_runs(queued_for=10)
            progress["since"] = time.monotonic()
        return Batch.objects.get(pk=batch.pk).status == Batch.Status.DONE

    wait_for(
        finished,
        90,
        lambda: (
            f"the second worker to finish batch #{batch.pk} ({statuses(batch.runs)})"
        ),
        second,
    )
    recovered_in = time.monotonic() - killed_at
    print(
        f"\nSIGKILL with {done_before}/200 runs done and {len(orphans)} running; "
        f"all 200 done {recovered_in:.1f} s after the kill"
    )
    assert statuses(batch.runs) == {Run.Status.DONE: 200}
    assert results_per_run(batch) == {20}
    assert RunResult.objects.filter(run__batch=batch).count() == 200 * 20
    # Claimed twice: the interrupted runs (dead worker, then the new one); once: the rest.
    attempts = dict(batch.runs.values_list("pk", "attempts"))
    assert {pk for pk, n in attempts.items() if n == 2} == orphans
    assert {n for pk, n in attempts.items() if pk not in orphans} == {1}


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


def test_a_run_past_its_time_limit_ends_failed_with_the_reason(start_worker, sending):
    worker = start_worker(limits=(1, 3, 10))
    # 50 million Monte Carlo samples of 20 tools: about a minute of work.
    endless = scored_evaluation(tools=20, smaa_samples=50_000_000)
    quick = scored_evaluation(tools=3)
    slow_run = runs.start_run(user=endless.created_by, evaluation=endless)
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


@pytest.fixture
def own_redis():
    """A ``redis-server`` of this test's own on a free port, to stop and start again
    (the shared Redis stays up for everything else). Like the shared one it keeps
    nothing on disk: a restart comes back empty."""
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server is not installed (apt install redis-server)"
        if require_services():
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    port = closed_port()
    url = f"redis://127.0.0.1:{port}/0"
    servers = []

    def start() -> None:
        servers.append(
            subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1"]
                + ["--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
        )
        wait_for(lambda: _answers(url), 10, f"redis-server on port {port} to start")

    def stop() -> None:
        servers[-1].terminate()
        servers[-1].wait(timeout=10)

    yield SimpleNamespace(url=url, start=start, stop=stop)
    for server in servers:
        if server.poll() is None:
            server.kill()
            server.wait()


def _answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


def test_a_broker_stopped_and_restarted_loses_no_run_counted_through_the_api(
    own_redis, database, tmp_path
):
    own_redis.start()
    eager, previous = app.conf.task_always_eager, app.conf.broker_url
    send_through(own_redis.url)
    try:
        worker = Worker(
            database_url=database, broker_url=own_redis.url, log_dir=tmp_path
        )
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
    finally:
        send_through(previous)
        app.conf.task_always_eager = eager

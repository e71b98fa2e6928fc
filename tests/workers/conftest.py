"""Runs and batches on a real ``celery -A config worker`` process with Redis.

The database the worker shares with the tests
    pytest-django's test database cannot be shared with another process: a ``db`` test
    runs inside a transaction that the worker never sees, and ``transactional_db``
    flushes every table after each test, which would also wipe the criteria and weight
    profiles that the migrations load, for every test that runs afterwards. So this
    package makes its own database, once (fixture ``worker_database``):
    - suite on SQLite: a temporary file in WAL mode with ``IMMEDIATE`` transactions and
      a 30 s busy timeout, so this process and two worker processes can all write it;
    - suite on PostgreSQL (``DATABASE_URL=postgres://...``): a database named after the
      test database plus ``_workers``, dropped at the end.
    It is migrated (so it has the built-in criteria and profiles), and both this test
    process (Django's default connection is swapped for one to it, for the package's
    duration) and every worker (``DATABASE_URL`` in its environment) use it. Writes are
    committed for real; each test makes its own workspace, so tests do not see each
    other's rows.

The broker
    Redis database 14 (never 0 or 15; ``TEST_WORKER_REDIS_DB`` picks another, for test
    runs sharing one Redis server), flushed before each test. This process sends
    through the web's Celery app (``config.celery``), switched from eager mode to Redis
    for each test. Each test starts its own workers (prefork, 2 processes) in a new
    session; when the test ends, whatever happened, each worker's whole process group
    is sent SIGTERM, then SIGKILL (``tests/processes.py``). A test that stops and
    restarts the broker runs a ``redis-server`` of its own, stopped the same way.

Timing knobs, as in production: ``CELERY_TASK_SOFT_TIME_LIMIT`` and
``CELERY_TASK_TIME_LIMIT`` (a message carries its sender's limits, so this process sets
them too); the claim lease is the hard limit plus as much again (at most 30 s);
``CELERY_VISIBILITY_TIMEOUT`` is when Redis hands the message of a dead worker to another
one. The SIGKILL and time-limit tests shorten them to a few seconds.
"""

import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import pytest
import redis
from django.core.management import call_command
from django.db import connections

from selector import tasks
from tests import processes
from tests.conftest import require_services
from tests.workers.worker import (
    REDIS_DB,
    Worker,
    answers,
    closed_port,
    publishing_to,
    running_worker,
    wait_for,
)

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


@pytest.fixture(scope="package")
def worker_database(django_db_blocker):
    """A migrated database that this process and the worker subprocesses both use.

    Django's default connection is swapped for one to that database for the package
    and swapped back afterwards; the original (possibly pytest-django's in-memory
    SQLite test database, which closing would destroy) is left untouched.
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


@pytest.fixture
def sending(broker_url):
    """This process publishes to the test broker instead of running tasks eagerly."""
    with publishing_to(broker_url):
        yield broker_url


@pytest.fixture
def own_redis():
    """A ``redis-server`` of this test's own on a free port, to stop and start again
    (the shared Redis stays up for everything else). Like the shared one it keeps
    nothing on disk: a restart comes back empty. Every server it started is stopped
    when the test ends."""
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server is not installed (apt install redis-server)"
        if require_services():
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    port = closed_port()
    url = f"redis://127.0.0.1:{port}/0"
    servers: list[subprocess.Popen] = []

    def start() -> None:
        servers.append(
            subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1"]
                + ["--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
        )
        wait_for(lambda: answers(url), 10, f"redis-server on port {port} to start")

    def stop() -> None:
        processes.stop(servers[-1])

    try:
        yield SimpleNamespace(url=url, start=start, stop=stop)
    finally:
        for server in servers:
            processes.stop(server)


# Workers ---------------------------------------------------------------------------------


@pytest.fixture
def start_worker(database, broker_url, tmp_path, monkeypatch):
    """Start a worker on ``broker`` (the test broker by default); ``limits`` (soft,
    hard, visibility seconds) apply to it and to the runs this process sends, since a
    message carries its sender's time limits. Every worker started is stopped when the
    test ends."""
    with ExitStack() as started:

        def start(
            *, limits: tuple[int, int, int] | None = None, broker: str | None = None
        ) -> Worker:
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
            return started.enter_context(
                running_worker(
                    database_url=database,
                    broker_url=broker or broker_url,
                    log_dir=tmp_path,
                    **env,
                )
            )

        yield start

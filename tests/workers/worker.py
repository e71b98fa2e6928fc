"""A real ``celery -A config worker`` process, and what the worker tests wait for.

See ``conftest.py`` here for the database and the broker the workers share with the
tests.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db.models import Count

from config.celery import app
from selector.models import Batch, RunResult
from tests import processes

PROJECT = Path(__file__).resolve().parents[2]
# Another database for test runs that share a Redis server (TEST_WORKER_REDIS_DB).
REDIS_DB = int(os.environ.get("TEST_WORKER_REDIS_DB", "14"))
WORKER_START_TIMEOUT = 30


class Worker:
    """A running worker: its process (the leader of its own session) and log file."""

    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

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


@contextmanager
def running_worker(
    *, database_url: str, broker_url: str, log_dir: Path, **env
) -> Iterator[Worker]:
    """A worker (prefork, 2 processes), ready to take tasks; when the block ends, however
    it ends (its start timing out included), its whole process group is stopped."""
    log = log_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
        **{key: str(value) for key, value in env.items()},
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker"]
    command += ["--pool=prefork", "--concurrency=2", "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["--hostname", f"test-{uuid.uuid4().hex[:8]}@%h"]
    with (
        open(log, "wb") as output,
        processes.running(
            command,
            group=True,
            cwd=PROJECT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        ) as process,
    ):
        worker = Worker(process, log)
        wait_for(
            lambda: " ready." in worker.output() or process.poll() is not None,
            WORKER_START_TIMEOUT,
            "the worker to start",
            worker,
        )
        assert process.poll() is None, f"The worker exited:\n{worker.tail()}"
        yield worker


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


@contextmanager
def publishing_to(url: str) -> Iterator[str]:
    """This process's Celery app publishes to ``url`` for the block, then as before."""
    eager, previous = app.conf.task_always_eager, app.conf.broker_url
    send_through(url)
    try:
        yield url
    finally:
        send_through(previous)
        app.conf.task_always_eager = eager


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


def wait_for(condition, timeout: float, what, worker: Worker | None = None):
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

"""Runs per second: a real Celery worker (2 processes, Redis) against one process.

    .venv/bin/python benchmarks/batch.py            # 1,000 runs each way
    .venv/bin/python benchmarks/batch.py --quick    # 200 runs each way

Each run ranks 20 tools on 9 criteria (weighted sum) and measures its robustness with
2,000 SMAA samples, then stores its results: the work of one ``execute_run``. The same
number of runs of the same evaluation is executed twice in this one invocation:

- direct: ``selector.runs.execute_run`` called in a loop in this process;
- Celery: the run ids sent as one group (``selector.tasks.enqueue_runs``: up to
  ``RUNS_PER_MESSAGE`` runs per message) to ``celery -A config worker --concurrency=2``
  on Redis, timed from the send until the database shows every run done.

The runs are written (queued) before the clock starts in both cases, so both measure
execution only. The database is PostgreSQL when ``DATABASE_URL`` points at it (a
scratch database ``<name>_bench`` is created and dropped on that server, with persistent
connections: ``conn_max_age=60`` unless the URL says otherwise), else a scratch SQLite
file; SQLite serialises the writers, so use PostgreSQL to compare. Redis is
``--redis-url`` (default database 14, flushed before and after).
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks._scratch import scratch_database  # noqa: E402

TOOLS = 20
SAMPLES = 2000
WARM_UP = 20


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs per path (1000)")
    parser.add_argument("--quick", action="store_true", help="200 runs per path")
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/14", help="broker (flushed)"
    )
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.runs = 200
    return arguments


def make_evaluation():
    """20 tools scored on every criterion, under a profile weighting all 9 of them."""
    import random

    from django.contrib.auth import get_user_model

    from selector.models import (
        Criterion,
        Evaluation,
        Membership,
        Score,
        Tool,
        Weight,
        WeightProfile,
        Workspace,
    )

    rng = random.Random(0)
    criteria = list(Criterion.objects.order_by("key"))
    assert len(criteria) >= 9, "expected the 9 built-in criteria"
    criteria = criteria[:9]
    profile = WeightProfile.objects.create(slug="bench-nine", name="Benchmark: nine")
    Weight.objects.bulk_create(
        Weight(profile=profile, criterion=c, value=rng.uniform(1, 30)) for c in criteria
    )
    user = get_user_model().objects.create_user("bench")
    workspace = Workspace.objects.create(name="Benchmark")
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    tools = []
    for number in range(1, TOOLS + 1):
        tool = Tool.objects.create(workspace=workspace, name=f"Tool {number:02d}")
        Score.objects.bulk_create(
            Score(
                tool=tool,
                criterion=c,
                value=rng.uniform(c.scale_min, c.scale_max)
                if c.scale_max is not None
                else rng.uniform(5, 60),
            )
            for c in criteria
        )
        tools.append(tool)
    evaluation = Evaluation.objects.create(
        workspace=workspace,
        name="Benchmark",
        profile=profile,
        method="wsm",
        created_by=user,
    )
    evaluation.tools.set(tools)
    return evaluation, user


def queue_runs(evaluation, user, count: int) -> list[int]:
    """``count`` queued runs of the evaluation (one snapshot, written in bulk)."""
    from selector.models import Run
    from selector.services.runs import queue_run

    first = queue_run(user=user, evaluation=evaluation, extra={"smaa_samples": SAMPLES})
    rows = Run.objects.bulk_create(
        Run(evaluation=evaluation, inputs=first.inputs, created_by=user)
        for _ in range(count - 1)
    )
    return [first.pk] + [row.pk for row in rows]


def run_direct(run_ids: list[int]) -> float:
    from selector.services.runs import execute_run

    started = time.perf_counter()
    for run_id in run_ids:
        execute_run(run_id=run_id)
    return time.perf_counter() - started


def run_on_worker(run_ids: list[int], worker) -> float:
    from selector.models import Run
    from selector.queue import enqueue_runs

    # The ids are consecutive (one bulk insert): a range keeps this poll cheap, so the
    # measuring process takes little CPU from the worker.
    pending = Run.objects.filter(pk__range=(min(run_ids), max(run_ids))).exclude(
        status__in=["done", "failed"]
    )
    started = time.perf_counter()
    enqueue_runs(run_ids)
    while pending.exists():
        if worker.poll() is not None:
            sys.exit("The worker died; see its log above.")
        time.sleep(0.05)
    return time.perf_counter() - started


def start_worker(env: dict, log) -> subprocess.Popen:
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"bench-{os.getpid()}@%h",
        ],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return worker


def check(run_ids: list[int]) -> None:
    from django.db.models import Count

    from selector.models import Run

    runs = Run.objects.filter(pk__in=run_ids)
    statuses = dict(runs.values_list("status").annotate(n=Count("id")))
    results = set(runs.annotate(n=Count("results")).values_list("n", flat=True))
    assert statuses == {"done": len(run_ids)}, statuses
    assert results == {TOOLS}, results


def main() -> None:
    arguments = parse_arguments()
    # On `kill` or `timeout`, still run the clean-up below (stop the worker, drop the
    # scratch database).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    import redis

    try:
        broker = redis.Redis.from_url(arguments.redis_url)
        broker.ping()
    except redis.exceptions.ConnectionError:
        print(f"skipped: Redis is not reachable at {arguments.redis_url}")
        return
    database_url, remove_database = scratch_database(
        "timeout=60&transaction_mode=IMMEDIATE"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": arguments.redis_url,
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    worker = None
    log = tempfile.NamedTemporaryFile(
        prefix="bench-worker-", suffix=".log", delete=False
    )
    try:
        call_command("migrate", verbosity=0, interactive=False)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
        broker.flushdb()
        evaluation, user = make_evaluation()
        n = arguments.runs
        print(
            f"{n} runs per path: {TOOLS} tools x 9 criteria, WSM + SMAA {SAMPLES} samples; "
            f"database {connection.vendor}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} at the start"
        )

        worker = start_worker(env, log)
        direct_ids = queue_runs(evaluation, user, WARM_UP + n)
        run_direct(direct_ids[:WARM_UP])
        direct = run_direct(direct_ids[WARM_UP:])
        check(direct_ids)

        worker_ids = queue_runs(evaluation, user, WARM_UP + n)
        run_on_worker(
            worker_ids[:WARM_UP], worker
        )  # also waits for the worker to start
        celery = run_on_worker(worker_ids[WARM_UP:], worker)
        check(worker_ids)

        direct_rate, celery_rate = n / direct, n / celery
        print(f"direct, one process : {direct_rate:8.1f} runs/s  ({direct:6.2f} s)")
        print(f"Celery, 2 processes : {celery_rate:8.1f} runs/s  ({celery:6.2f} s)")
        print(f"ratio Celery/direct : {celery_rate / direct_rate:8.2f}x")
        print(
            f"load average {os.getloadavg()[0]:.1f} at the end (this benchmark's worker, "
            "database and broker count too; anything else running lowers the ratio)"
        )
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        log.close()
        if worker is not None and worker.returncode not in (None, -signal.SIGKILL):
            print(Path(log.name).read_text())
        os.unlink(log.name)
        broker.flushdb()
        connection.close()
        remove_database()


if __name__ == "__main__":
    main()

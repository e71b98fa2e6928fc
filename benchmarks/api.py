"""API throughput and latency under load: the ranking read and stateless rank vs a floor.

    .venv/bin/python benchmarks/api.py              # 15 s per endpoint
    .venv/bin/python benchmarks/api.py --quick      # 5 s per endpoint

Serves the project with gunicorn (2 workers, DEBUG off, throttling off) on a scratch
database (a temporary SQLite file, or ``<name>_bench`` on the PostgreSQL server that
``DATABASE_URL`` points at) and loads it with ``wrk`` (Debian package ``wrk``) from
another process, 16 connections, every endpoint in this one invocation:

- floor: ``GET /api/v1/workspaces/<id>/``, a trivial authenticated DRF endpoint
  (token lookup + one row), the framework's own cost;
- ranking: ``GET /api/v1/evaluations/<id>/ranking/`` of a 50-tool evaluation;
- rank: ``POST /api/v1/rank/`` with 50 alternatives x 10 criteria (TOPSIS).

Prints requests/s, p50 and p99 latency, errors, and each endpoint's throughput as a
ratio of the floor's. Targets: ranking >= 60% of the floor, p99 < 100 ms, no errors.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks._scratch import scratch_database  # noqa: E402

CONNECTIONS = 16
TOOLS = 50

WRK_SCRIPT = """
wrk.method = "{method}"
wrk.headers["Authorization"] = "Token {token}"
wrk.headers["Content-Type"] = "application/json"
wrk.body = {body}
"""


def prepare(database_url: str) -> dict:
    """Migrate, then create a user with a token, 50 scored tools and a ranked evaluation."""
    import django

    os.environ["DATABASE_URL"] = database_url
    django.setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from selector.models import WeightProfile
    from selector.services.evaluations import save_evaluation
    from selector.services.runs import start_run
    from selector.services.tools import save_tool
    from selector.services.workspaces import create_workspace
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    user = UserFactory(username="bench")
    token = Token.objects.create(user=user)
    workspace = create_workspace(user=user, name="Benchmark")
    tools = [
        save_tool(
            user=user,
            workspace=workspace,
            data={"name": f"Tool {i:02}"},
            scores={
                "roi": 1 + i % 5,
                "industry_customization": 1 + (i * 7) % 5,
                "price": 10 + (i * 13) % 90,
            },
        )
        for i in range(TOOLS)
    ]
    evaluation = save_evaluation(
        user=user,
        workspace=workspace,
        name="Fifty tools",
        profile=WeightProfile.objects.get(slug="menlo-2024-app-selection"),
        tools=tools,
    )
    run = start_run(user=user, evaluation=evaluation)  # eager: done on commit
    run.refresh_from_db()
    assert run.status == "done", run.error
    return {"token": token.key, "workspace": workspace.pk, "evaluation": evaluation.pk}


def rank_body() -> str:
    criteria = [
        {
            "key": f"c{j}",
            "direction": "cost" if j % 4 == 3 else "benefit",
            "weight": j + 1,
        }
        for j in range(10)
    ]
    alternatives = [
        {
            "name": f"A{i}",
            "values": {f"c{j}": 1 + (i * (j + 3)) % 17 for j in range(10)},
        }
        for i in range(50)
    ]
    return json.dumps(
        {
            "method": "topsis",
            "normalization": "vector",
            "criteria": criteria,
            "alternatives": alternatives,
        }
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, token: str, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/criteria/",
        headers={"Authorization": f"Token {token}"},
    )
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 30 s")


def seconds(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60}[unit]


def load(url: str, token: str, duration: int, *, method="GET", body=None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            WRK_SCRIPT.format(
                method=method, token=token, body=json.dumps(body) if body else "nil"
            )
        )
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{duration}s",
            "--latency",
            "-s",
            script.name,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": seconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": seconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 s per endpoint")
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    duration = 5 if args.quick else args.seconds
    if shutil.which("wrk") is None:
        raise SystemExit("benchmarks/api.py needs wrk: apt-get install wrk")

    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="benchmark-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        API_THROTTLE_ANON="off",
        API_THROTTLE_USER="off",
        CELERY_BROKER_URL="",
    )
    database_url, drop = scratch_database()
    server = None
    try:
        ids = prepare(database_url)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT,
            env={**os.environ, "DATABASE_URL": database_url},
            start_new_session=True,
        )
        wait_until_up(port, ids["token"])
        base = f"http://127.0.0.1:{port}/api/v1"
        endpoints = {
            "floor: GET workspaces/<id>/": (
                f"{base}/workspaces/{ids['workspace']}/",
                "GET",
                None,
            ),
            "GET evaluations/<id>/ranking/ (50 tools)": (
                f"{base}/evaluations/{ids['evaluation']}/ranking/",
                "GET",
                None,
            ),
            "POST rank/ (50 x 10, TOPSIS)": (f"{base}/rank/", "POST", rank_body()),
        }
        load(endpoints["floor: GET workspaces/<id>/"][0], ids["token"], 2)  # warm-up
        results = {
            name: load(url, ids["token"], duration, method=method, body=body)
            for name, (url, method, body) in endpoints.items()
        }
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        drop()

    floor = results["floor: GET workspaces/<id>/"]["rps"]
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(
        f"API load: gunicorn 2 workers, {engine}, wrk {CONNECTIONS} connections, "
        f"{duration} s per endpoint, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'endpoint':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'/floor':>7}"
    )
    for name, r in results.items():
        print(
            f"{name:<44} {r['rps']:>8.0f} {r['p50'] * 1000:>8.1f} {r['p99'] * 1000:>8.1f} "
            f"{r['errors']:>7} {r['rps'] / floor:>6.0%}"
            + (f"  socket errors: {r['socket_errors']}" if r["socket_errors"] else "")
        )
    ranking = results["GET evaluations/<id>/ranking/ (50 tools)"]
    checks = [
        ("ranking >= 60% of the floor", ranking["rps"] / floor >= 0.6),
        ("ranking p99 < 100 ms", ranking["p99"] < 0.1),
        (
            "no errors",
            all(r["errors"] == 0 and not r["socket_errors"] for r in results.values()),
        ),
    ]
    for label, ok in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {label}")


if __name__ == "__main__":
    main()

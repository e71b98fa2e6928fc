import os
import shutil
import signal
import socket
import sys
import time
from urllib.parse import urlsplit

import pytest

from tests import processes

SERVICE_ADDRESSES = {
    "redis": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
    "postgres": os.environ.get(
        "TEST_POSTGRES_URL", "postgres://root@127.0.0.1:5432/test"
    ),
}


def require_services() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "") == "1"


def service_is_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


def missing_reason(item) -> str | None:
    """Why a marked test cannot run here, or None when everything it needs is present."""
    for marker in item.iter_markers("services"):
        for name in marker.args:
            if not service_is_reachable(SERVICE_ADDRESSES[name]):
                return f"{name} is not reachable at {SERVICE_ADDRESSES[name]}"
    if item.get_closest_marker("browser") and not shutil.which("chromium"):
        return "Chromium is not installed (apt install chromium)"
    return None


def pytest_runtest_setup(item):
    reason = missing_reason(item)
    if reason is None:
        return
    if require_services():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def redis_url() -> str:
    return SERVICE_ADDRESSES["redis"]


@pytest.fixture
def postgres_url() -> str:
    return SERVICE_ADDRESSES["postgres"]


@pytest.fixture
def member(db):
    """A signed-up user who owns one workspace: (user, workspace)."""
    from tests.factories import MembershipFactory

    membership = MembershipFactory()
    return membership.user, membership.workspace


@pytest.fixture
def member_client(client, member):
    client.force_login(member[0])
    return client


@pytest.fixture
def three_tools(member):
    """Tools A, B, C scored on the app-selection criteria (ranking C, B, A under WSM)."""
    from tests.factories import scored_tool

    _, workspace = member
    return [
        scored_tool(workspace, "A", roi=4, industry_customization=3, price=30),
        scored_tool(workspace, "B", roi=3, industry_customization=5, price=20),
        scored_tool(workspace, "C", roi=5, industry_customization=2, price=60),
    ]


@pytest.fixture
def published_data(transactional_db):
    """The survey figures and built-in profiles, for tests whose database is flushed.

    Transactional tests (live server, real workers) start from an empty database once
    an earlier one has flushed it; loading is idempotent, so this is cheap.
    """
    from selector.services.catalogue.builtin_catalogue import load_builtins
    from survey.services import load_surveys

    load_surveys()
    load_builtins()


@pytest.fixture(autouse=True)
def fresh_cache():
    """API throttle counters live in the cache: every test starts from zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def workspace(db):
    from tests.factories import WorkspaceFactory

    return WorkspaceFactory()


@pytest.fixture
def owner(workspace):
    """The owner of ``workspace``."""
    from tests.factories import member

    return member(workspace)


@pytest.fixture
def api(owner):
    """An API client authenticated with the owner's token."""
    from tests.factories import api_client

    return api_client(owner)


# Processes left behind ---------------------------------------------------------------
#
# Every process a test starts must be stopped when the test ends (tests/processes.py).
# One still alive when the run ends is killed, named, and fails the run.

FIRST_SEEN: dict[int, str] = {}  # pid: the test during which it was first seen


def pytest_configure(config):
    processes.become_subreaper()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    yield
    for process in processes.descendants():
        FIRST_SEEN.setdefault(process.pid, item.nodeid)


def pytest_sessionfinish(session, exitstatus):
    left = [process for process in processes.descendants() if not process.zombie]
    if left:
        for number in (signal.SIGTERM, signal.SIGKILL):
            _signal_and_wait(left, number)
        lines = [
            f"{len(left)} process(es) outlived the tests; killed, and the run fails:"
        ]
        for process in left:
            started = FIRST_SEEN.get(process.pid, "the session, outside any test")
            lines.append(
                f"  pid {process.pid}: {process.command} (seen first after {started})"
            )
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None:
            print(*lines, sep="\n", file=sys.stderr)
        else:
            reporter.line("")
            reporter.write_sep("=", "processes left running", red=True)
            for line in lines:
                reporter.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    processes.reap(p.pid for p in processes.descendants() if p.zombie)


def _signal_and_wait(targets, number: int) -> None:
    for process in targets:
        try:
            os.kill(process.pid, number)
        except ProcessLookupError:
            pass
    pids = {process.pid for process in targets}
    deadline = time.monotonic() + processes.GRACE_SECONDS
    while time.monotonic() < deadline and any(
        p.pid in pids and not p.zombie for p in processes.descendants()
    ):
        time.sleep(0.1)

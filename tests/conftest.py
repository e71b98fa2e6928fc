import os
import shutil
import socket
from urllib.parse import urlsplit

import pytest

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

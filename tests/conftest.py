"""Fixtures shared by the whole suite, the services markers, and the check that no
test leaves a process running (``tests/processes.py``)."""

import os
import shutil
import socket
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.utils import translation

from selector.models import Criterion
from selector.services.catalogue.builtin_catalogue import load_builtins
from survey.services import load_surveys
from tests.factories import MembershipFactory, WorkspaceFactory, api_client, scored_tool
from tests.factories import member as new_member
from tests.saaty_drinks import DRINKS

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
    if item.get_closest_marker("pdftotext") and not shutil.which("pdftotext"):
        return "pdftotext is not installed (apt install poppler-utils)"
    return None


def pytest_configure(config):
    config.pluginmanager.import_plugin("tests.processes")


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a French request leaves its language active in
    the thread (LocaleMiddleware activates it and does not reset it)."""
    translation.activate("en")
    yield
    translation.activate("en")


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
    membership = MembershipFactory()
    return membership.user, membership.workspace


@pytest.fixture
def member_client(client, member):
    client.force_login(member[0])
    return client


@pytest.fixture
def three_tools(member):
    """Tools A, B, C scored on the app-selection criteria (ranking C, B, A under WSM)."""
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
    load_surveys()
    load_builtins()


@pytest.fixture(autouse=True)
def fresh_cache():
    """API throttle counters live in the cache: every test starts from zero."""
    cache.clear()


@pytest.fixture
def workspace(db):
    return WorkspaceFactory()


@pytest.fixture
def owner(workspace):
    """The owner of ``workspace``."""
    return new_member(workspace)


@pytest.fixture
def api(owner):
    """An API client authenticated with the owner's token."""
    return api_client(owner)


@pytest.fixture
def drinks(db):
    """The criteria of Saaty's drinks example (tests/saaty_drinks.py)."""
    for key in DRINKS:
        Criterion.objects.create(
            key=key, name=key.capitalize(), scale_min=1, scale_max=5
        )


@pytest.fixture
def ahp_editor(db):
    """A staff user who may add and change weight profiles, nothing else."""
    user = User.objects.create_user(
        "ahp-editor", password="pw-editor-123", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "add_weightprofile",
                "change_weightprofile",
                "view_weightprofile",
            ]
        )
    )
    return User.objects.get(pk=user.pk)  # fresh permission cache

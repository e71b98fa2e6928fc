"""Schema-driven fuzzing: every operation of the live OpenAPI schema, authenticated.

schemathesis generates valid and invalid requests from ``/api/schema/`` and calls the
WSGI application in-process; no answer may be a 5xx, and every documented response
must match its schema. The caller is a superuser with a workspace of scored tools, an
evaluation and a done run, so the write paths and the ranking are exercised too.
"""

import zlib
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from werkzeug.test import Client

from config.wsgi import application
from selector.services.batches import start_batch
from selector.services.runs import start_run
from tests.factories import (
    EvaluationFactory,
    UserFactory,
    WorkspaceFactory,
    scored_tool,
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@dataclass
class Account:
    """The fuzzing user's token and the ids of what they own."""

    token: str
    ids: dict = field(default_factory=dict)


@pytest.fixture
def account(db, django_capture_on_commit_callbacks) -> Account:
    user = UserFactory(is_staff=True, is_superuser=True)
    workspace = WorkspaceFactory()
    workspace.memberships.create(user=user, role="owner")
    tools = [
        scored_tool(workspace, name, roi=roi, industry_customization=fit, price=price)
        for name, roi, fit, price in [("A", 4, 3, 30), ("B", 5, 2, 25), ("C", 2, 5, 10)]
    ]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_run(user=user, evaluation=evaluation)
        batch = start_batch(user=user, evaluation=evaluation, kind="profiles")
    return Account(
        token=Token.objects.create(user=user).key,
        ids={
            "workspace": workspace.pk,
            "tools": [tool.pk for tool in tools],
            "evaluation": evaluation.pk,
            "run": run.pk,
            "batch": batch.pk,
        },
    )


def _coin(value) -> bool:
    """A deterministic coin flip (hash() of a str changes between processes)."""
    return bool(zlib.crc32(repr(value).encode()) % 2)


def aim_at_real_rows(case, ids: dict) -> None:
    """Point half the generated ids at the caller's own rows, so the fuzzing reaches
    past the 404s and "object does not exist" 400s into the services."""
    if case.path_parameters and "id" in case.path_parameters:
        resource = case.path.split("/")[3]  # /api/v1/<resource>/{id}/...
        real = {
            "workspaces": ids["workspace"],
            "tools": ids["tools"][0],
            "evaluations": ids["evaluation"],
            "runs": ids["run"],
            "batches": ids["batch"],
        }.get(resource)
        if real is not None and _coin(case.path_parameters["id"]):
            case.path_parameters["id"] = real
    if isinstance(case.body, dict):
        for name, value in (
            ("workspace", ids["workspace"]),
            ("evaluation", ids["evaluation"]),
            ("tools", ids["tools"]),
        ):
            if name in case.body and _coin(case.body[name]):
                case.body[name] = value


@pytest.fixture(autouse=True)
def in_process_requests(monkeypatch):
    # Django closes "old" connections at the start and end of each request; inside the
    # test's transaction that would close the connection mid-test (seen on PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Hundreds of requests a second would trip the throttles, which are not under test.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None}
    )
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_every_generated_request_within_its_schema(case, account):
    aim_at_real_rows(case, account.ids)
    case.call_and_validate(
        headers={"Authorization": f"Token {account.token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def test_the_answers_of_a_real_session_match_the_schema(
    account, django_capture_on_commit_callbacks
):
    """The happy path of every resource, each answer validated against the schema."""
    client = Client(application)
    headers = {"Authorization": f"Token {account.token}"}

    def call(method, path, template=None, json=None, expect=200):
        response = client.open(path, method=method, headers=headers, json=json)
        assert response.status_code == expect, (path, response.get_data(as_text=True))
        schema[template or path][method].validate_response(response)
        return response.get_json()

    workspace = call("POST", "/api/v1/workspaces/", json={"name": "Fuzz"}, expect=201)
    call("GET", "/api/v1/workspaces/")
    call("GET", f"/api/v1/workspaces/{workspace['id']}/", "/api/v1/workspaces/{id}/")
    tools = [
        call(
            "POST",
            "/api/v1/tools/",
            expect=201,
            json={
                "workspace": workspace["id"],
                "name": name,
                "category": "chat_assistant",
                "scores": {
                    "roi": roi,
                    "industry_customization": 3,
                    "price": {
                        "value": 20,
                        "low": 15,
                        "high": 25,
                        "evidence": "list price",
                    },
                },
            },
        )
        for name, roi in [("X", 4), ("Y", 2), ("Z", 5)]
    ]
    tool_path = "/api/v1/tools/{id}/"
    call(
        "PATCH",
        f"/api/v1/tools/{tools[1]['id']}/",
        tool_path,
        json={"scores": {"industry_customization": 5}},
    )
    call("GET", f"/api/v1/tools/?workspace={workspace['id']}", "/api/v1/tools/")
    evaluation = call(
        "POST",
        "/api/v1/evaluations/",
        expect=201,
        json={
            "workspace": workspace["id"],
            "name": "Fuzz",
            "tools": [t["id"] for t in tools],
            "profile": "menlo-2024-app-selection",
            "method": "topsis",
            "weights": {"price": 5},
        },
    )
    base = f"/api/v1/evaluations/{evaluation['id']}/"
    call("PATCH", base, "/api/v1/evaluations/{id}/", json={"name": "Fuzz 2"})
    call("GET", "/api/v1/evaluations/")
    with django_capture_on_commit_callbacks(execute=True):
        run = call("POST", base + "runs/", "/api/v1/evaluations/{id}/runs/", expect=202)
    call("GET", base + "runs/", "/api/v1/evaluations/{id}/runs/")
    detail = call("GET", f"/api/v1/runs/{run['id']}/", "/api/v1/runs/{id}/")
    assert detail["status"] == "done"
    call("GET", "/api/v1/runs/")
    call("GET", base + "ranking/", "/api/v1/evaluations/{id}/ranking/")
    with django_capture_on_commit_callbacks(execute=True):
        batch = call(
            "POST",
            "/api/v1/batches/",
            expect=202,
            json={
                "evaluation": evaluation["id"],
                "kind": "smaa",
                "samples": 400,
                "chunk_size": 200,
            },
        )
    call("GET", f"/api/v1/batches/{batch['id']}/", "/api/v1/batches/{id}/")
    call("GET", "/api/v1/batches/")
    call("GET", "/api/v1/criteria/")
    call("GET", "/api/v1/criteria/roi/", "/api/v1/criteria/{key}/")
    call(
        "POST",
        "/api/v1/criteria/",
        expect=201,
        json={"key": "uptime", "name": "Uptime", "kind": "quantity", "unit": "%"},
    )
    call(
        "PATCH",
        "/api/v1/criteria/uptime/",
        "/api/v1/criteria/{key}/",
        json={"scale_min": 0, "scale_max": 100},
    )
    call("GET", "/api/v1/profiles/")
    call(
        "POST",
        "/api/v1/profiles/",
        expect=201,
        json={
            "slug": "uptime-first",
            "name": "Uptime first",
            "weights": {"uptime": 1, "roi": 1},
        },
    )
    call(
        "PATCH",
        "/api/v1/profiles/uptime-first/",
        "/api/v1/profiles/{slug}/",
        json={"description": "For platform teams."},
    )
    call(
        "POST",
        "/api/v1/rank/",
        expect=200,
        json={
            "method": "vikor",
            "criteria": [
                {"key": "a", "direction": "benefit", "weight": 2},
                {"key": "b", "direction": "cost", "weight": 1},
            ],
            "alternatives": [
                {"name": "P", "values": {"a": 1, "b": 2}},
                {"name": "Q", "values": {"a": 3, "b": 1}},
                {"name": "R", "values": {"a": 2, "b": 3}},
            ],
        },
    )
    call("POST", "/api/v1/rank/", expect=400, json={"criteria": [], "alternatives": []})
    call("DELETE", f"/api/v1/tools/{tools[0]['id']}/", tool_path, expect=204)
    call("GET", f"/api/v1/tools/{tools[0]['id']}/", tool_path, expect=404)
    call("DELETE", base, "/api/v1/evaluations/{id}/", expect=204)

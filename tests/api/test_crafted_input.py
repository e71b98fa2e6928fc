"""Crafted input from issue 12's attack pass, sent to the API as raw JSON bytes.

Each case answers a 4xx in the API's error shape (``{"detail", "errors": [{"field",
"message"}]}``) naming the field it is about (null when it is about the request as a
whole), and writes nothing: every table the API writes to keeps its row count. The
same cases run on PostgreSQL, which refuses NUL in text, when ``DATABASE_URL`` names
one.
"""

import json

import pytest
from django.conf import settings

from selector.models import Evaluation
from tests.api.crafted import (
    DEEP_LIST,
    DEEP_OBJECT,
    JSON_ENDPOINTS,
    Target,
    assert_error_shape,
    row_counts,
)

pytestmark = pytest.mark.django_db

SURROGATE = "\ud800"
NUL = "\x00"

DEEP_BODIES = {
    "5000 [": DEEP_LIST,
    "5000 unclosed [": "[" * 5000,
    '5000 {"a":': DEEP_OBJECT,
    "33 levels": "[" * 33 + "]" * 33,
}


def rank_body(**extra):
    return {
        "criteria": [
            {"key": "roi", "direction": "benefit", "weight": 3},
            {"key": "price", "direction": "cost", "weight": 1},
        ],
        "alternatives": [
            {"name": "A", "values": {"roi": 4, "price": 30}},
            {"name": "B", "values": {"roi": 5, "price": 25}},
        ],
        **extra,
    }


def rank_with(path: str, value):
    """A valid rank request with the item at ``path`` ("criteria.0.weight") set."""
    body = rank_body()
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    return body


def new_tool(t: Target, **extra):
    return {"workspace": t.workspace, "name": "Fresh", "scores": {"roi": 3}, **extra}


def new_evaluation(t: Target, **extra):
    return {
        "workspace": t.workspace,
        "name": "Fresh",
        "tools": t.tools,
        "profile": "menlo-2024-app-selection",
        **extra,
    }


# (method, path, body of the target -> JSON-able, expected status, field named)
CASES = {
    # Lone surrogates: echoed back, written to the database, or in a 400's message.
    "rank: surrogate in a name": (
        "post",
        "/api/v1/rank/",
        lambda t: rank_with("alternatives.0.name", SURROGATE),
        400,
        "alternatives.0.name",
    ),
    "rank: surrogate in a value key": (
        "post",
        "/api/v1/rank/",
        lambda t: rank_with("alternatives.1.values", {"roi": 1, SURROGATE: 2}),
        400,
        "alternatives.1.values.\\ud800",
    ),
    "tools: surrogate in evidence": (
        "post",
        "/api/v1/tools/",
        lambda t: new_tool(t, scores={"roi": {"value": 3, "evidence": SURROGATE}}),
        400,
        "scores.roi.evidence",
    ),
    "tools: surrogate in a patched name": (
        "patch",
        "/api/v1/tools/{tool}/",
        lambda t: {"name": f"Copilot {SURROGATE}"},
        400,
        "name",
    ),
    "evaluations: surrogate weight key": (
        "patch",
        "/api/v1/evaluations/{evaluation}/",
        lambda t: {"weights": {SURROGATE: 1}},
        400,
        "weights.\\ud800",
    ),
    "evaluations: surrogate option key": (
        "patch",
        "/api/v1/evaluations/{evaluation}/",
        lambda t: {"method": "promethee", "options": {"q": {SURROGATE: 1}}},
        400,
        "options.q.\\ud800",
    ),
    "evaluations: low surrogate in a name": (
        "post",
        "/api/v1/evaluations/",
        lambda t: new_evaluation(t, name="x\udfff"),
        400,
        "name",
    ),
    "workspaces: surrogate in a name": (
        "post",
        "/api/v1/workspaces/",
        lambda t: {"name": SURROGATE},
        400,
        "name",
    ),
    "batches: surrogate in a kind": (
        "post",
        "/api/v1/batches/",
        lambda t: {"evaluation": t.evaluation, "kind": SURROGATE},
        400,
        "kind",
    ),
    # NUL: PostgreSQL cannot store it in text or jsonb.
    "tools: NUL in a name": (
        "post",
        "/api/v1/tools/",
        lambda t: new_tool(t, name=f"Co{NUL}pilot"),
        400,
        "name",
    ),
    "tools: NUL in notes": (
        "post",
        "/api/v1/tools/",
        lambda t: new_tool(t, notes=NUL),
        400,
        "notes",
    ),
    "tools: NUL in evidence": (
        "patch",
        "/api/v1/tools/{tool}/",
        lambda t: {"scores": {"price": {"value": 9, "evidence": NUL}}},
        400,
        "scores.price.evidence",
    ),
    "evaluations: NUL in a weight key": (
        "patch",
        "/api/v1/evaluations/{evaluation}/",
        lambda t: {"weights": {f"roi{NUL}": 1}},
        400,
        "weights.roi\\u0000",
    ),
    "evaluations: NUL in a name": (
        "post",
        "/api/v1/evaluations/",
        lambda t: new_evaluation(t, name=NUL),
        400,
        "name",
    ),
    "workspaces: NUL in a name": (
        "post",
        "/api/v1/workspaces/",
        lambda t: {"name": f"Team{NUL}"},
        400,
        "name",
    ),
    "profiles: NUL in a description": (
        "post",
        "/api/v1/profiles/",
        lambda t: {
            "slug": "nul",
            "name": "Nul",
            "description": NUL,
            "weights": {"roi": 1},
        },
        400,
        "description",
    ),
    "criteria: NUL in a unit": (
        "post",
        "/api/v1/criteria/",
        lambda t: {"key": "uptime", "name": "Uptime", "kind": "quantity", "unit": NUL},
        400,
        "unit",
    ),
    "rank: NUL in a list of names": (
        "post",
        "/api/v1/rank/",
        lambda t: rank_with("alternatives.1.name", NUL),
        400,
        "alternatives.1.name",
    ),
    # Strict types: a weight is a number; an option the API does not know is named.
    "rank: a weight as text": (
        "post",
        "/api/v1/rank/",
        lambda t: rank_with("criteria.0.weight", "1"),
        400,
        "criteria.0.weight",
    ),
    "rank: a weight as a boolean": (
        "post",
        "/api/v1/rank/",
        lambda t: rank_with("criteria.1.weight", True),
        400,
        "criteria.1.weight",
    ),
    "rank: a weight no float holds": (
        "post",
        "/api/v1/rank/",
        lambda t: rank_with("criteria.0.weight", 10**400),
        400,
        "criteria.0.weight",
    ),
    "rank: an unknown option": (
        "post",
        "/api/v1/rank/",
        lambda t: rank_body(options={"speed": "fast"}),
        400,
        "options.speed",
    ),
    "rank: v as text": (
        "post",
        "/api/v1/rank/",
        lambda t: rank_body(method="vikor", options={"v": "0.5"}),
        400,
        "options.v",
    ),
    "evaluations: a weight as text": (
        "patch",
        "/api/v1/evaluations/{evaluation}/",
        lambda t: {"weights": {"roi": "1"}},
        400,
        "weights.roi",
    ),
    "evaluations: a weight as a boolean": (
        "post",
        "/api/v1/evaluations/",
        lambda t: new_evaluation(t, weights={"price": True}),
        400,
        "weights.price",
    ),
    "evaluations: a weight no float holds": (
        "patch",
        "/api/v1/evaluations/{evaluation}/",
        lambda t: {"weights": {"roi": -(2**1100)}},
        400,
        "weights.roi",
    ),
    "evaluations: an unknown option": (
        "patch",
        "/api/v1/evaluations/{evaluation}/",
        lambda t: {"options": {"turbo": 1}},
        400,
        "options.turbo",
    ),
    "profiles: a weight as text": (
        "post",
        "/api/v1/profiles/",
        lambda t: {"slug": "txt", "name": "Text", "weights": {"roi": "2"}},
        400,
        "weights.roi",
    ),
    "tools: a score value as text": (
        "post",
        "/api/v1/tools/",
        lambda t: new_tool(t, scores={"roi": {"value": "4"}}),
        400,
        "scores.roi.value",
    ),
}


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    list(CASES.values()),
    ids=list(CASES),
)
def test_crafted_input_is_a_4xx_naming_the_field_and_writes_nothing(
    target, method, path, body, status, field
):
    before = row_counts()
    response = target.send(method, path, json.dumps(body(target)))
    assert response.status_code == status, response.content[:2000]
    errors = assert_error_shape(response)
    assert field in [error["field"] for error in errors], errors
    assert row_counts() == before


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
@pytest.mark.parametrize("body", list(DEEP_BODIES.values()), ids=list(DEEP_BODIES))
def test_deeply_nested_json_is_a_400_on_every_endpoint(target, method, path, body):
    before = row_counts()
    response = target.send(method, path, body)
    assert response.status_code == 400, response.content[:2000]
    errors = assert_error_shape(response)
    assert "32 levels" in errors[0]["message"], errors
    assert row_counts() == before


def test_nesting_as_deep_as_allowed_reaches_the_serializer(target):
    response = target.send("post", "/api/v1/rank/", "[" * 32 + "]" * 32)
    assert response.status_code == 400
    assert "32 levels" not in response.json()["detail"]


@pytest.fixture
def room_for_5mb(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000_000


def test_200k_unknown_keys_answer_a_short_400(target, room_for_5mb):
    body = rank_body()
    body["alternatives"][0]["values"].update({f"k{i}": 0 for i in range(200_000)})
    raw = json.dumps(body, separators=(",", ":"))
    assert len(raw) > 2_000_000
    response = target.send("post", "/api/v1/rank/", raw)
    assert response.status_code == 400
    errors = assert_error_shape(response)
    assert 1 <= len(errors) <= 50
    assert errors[0]["field"].startswith("alternatives.0.values.k")
    assert len(response.content) < 50_000
    assert "at most 50" in response.json()["detail"]


def test_200k_bad_weight_keys_answer_a_short_400(target, room_for_5mb):
    weights = {f"no such key {i}": 1 for i in range(200_000)}
    response = target.send(
        "patch",
        "/api/v1/evaluations/{evaluation}/",
        json.dumps({"weights": weights}),
    )
    assert response.status_code == 400
    errors = assert_error_shape(response)
    assert len(errors) <= 50
    assert len(response.content) < 50_000


def test_200k_unknown_weight_keys_answer_a_short_400(target, room_for_5mb):
    weights = {f"k{i}": 1 for i in range(200_000)}
    response = target.send(
        "patch",
        "/api/v1/evaluations/{evaluation}/",
        json.dumps({"weights": weights}),
    )
    assert response.status_code == 400
    errors = assert_error_shape(response)
    assert len(errors) <= 50
    assert errors[0]["field"].startswith("weights.k")
    assert len(response.content) < 50_000
    assert Evaluation.objects.get(pk=target.evaluation).weight_overrides == {}


@pytest.mark.parametrize(("method", "path"), JSON_ENDPOINTS)
def test_a_body_over_the_upload_limit_is_a_json_413_naming_it(
    target, method, path, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = row_counts()
    response = target.send(method, path, json.dumps({"name": "x" * 1000}))
    assert response.status_code == 413, response.content[:2000]
    errors = assert_error_shape(response)
    assert errors[0]["field"] is None
    assert "1,000 bytes" in errors[0]["message"]
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in errors[0]["message"]
    assert row_counts() == before


def test_a_body_within_the_upload_limit_is_read(target):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"name": "Team", "padding": " " * (limit - 100)})
    assert len(body) <= limit
    response = target.send("post", "/api/v1/workspaces/", body)
    assert response.status_code == 201, response.content[:2000]


def test_an_unmatched_api_path_is_a_json_404(target):
    response = target.send("post", "/api/v1/no-such-thing/", "{}")
    assert response.status_code == 404
    assert assert_error_shape(response)[0]["field"] is None

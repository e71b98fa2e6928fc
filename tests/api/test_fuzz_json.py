"""Hypothesis fuzzing of the JSON endpoints with raw bodies.

Where ``test_schemathesis`` generates requests from the OpenAPI schema, these bodies
are built to break a parser and the validators behind it: lone surrogates and NUL in
strings and keys, integers no float holds (``10**400``, ``-2**64``), floats at the
edge (``1e308``, ``5e-324``), numbers as text (``"nan"``, ``"1e999"``), booleans where
numbers go, deep nesting, random JSON shapes, truncated JSON and random bytes, mixed
into bodies shaped like each endpoint's (with the caller's real ids) so they reach the
services. Whatever is sent, the answer is never a 5xx; a 4xx is JSON in the API's
error shape and writes nothing.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selector.models import Batch, Criterion, Evaluation, Method, Normalization, Tool
from tests.api.crafted import Target, assert_error_shape, row_counts

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

CHARACTERS = st.one_of(
    st.characters(),
    st.integers(0xD800, 0xDFFF).map(chr),  # lone surrogates
    st.just("\x00"),
)
TEXT = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=CHARACTERS, max_size=12),
    st.sampled_from(["", " ", "\ud800", "a\x00b", "\udfff\ud800", "x" * 300]),
)
NUMBERS = st.one_of(
    st.integers(),
    st.sampled_from(
        [10**400, -(10**400), -(2**64), 2**64, 2**63, 0, 1, 3, -1, 0.5, -0.0]
    ),
    st.sampled_from([1e308, -1e308, 5e-324, 1.7976931348623157e308]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["nan", "NaN", "inf", "-Infinity", "1e308", "1e999", "1", ""]),
    st.booleans(),
    st.none(),
)
CRITERION_KEYS = ["roi", "industry_customization", "price", "security_safety"]
KEYS = st.one_of(st.sampled_from([*CRITERION_KEYS, "value", "v", "q", "p"]), TEXT)
ANY_JSON = st.recursive(
    st.one_of(NUMBERS, TEXT),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=12,
)


def either(*choices, junk=ANY_JSON):
    """Mostly one of ``choices``, sometimes anything."""
    return st.one_of(st.sampled_from(choices), junk)


def mapping(values, *, keys=KEYS, max_size=4):
    return st.one_of(st.dictionaries(keys, values, max_size=max_size), ANY_JSON)


SCORE = st.one_of(
    NUMBERS,
    st.fixed_dictionaries(
        {"value": NUMBERS},
        optional={
            "low": NUMBERS,
            "high": NUMBERS,
            "evidence": TEXT,
            "source": ANY_JSON,
        },
    ),
)
OPTIONS = mapping(
    st.one_of(NUMBERS, TEXT, mapping(NUMBERS, keys=st.sampled_from(CRITERION_KEYS))),
    keys=st.one_of(st.sampled_from(["v", "preference", "q", "p"]), TEXT),
)
METHODS = st.one_of(st.sampled_from(Method.values), TEXT)


def rank_bodies(t: Target):
    criterion = st.fixed_dictionaries(
        {
            "key": KEYS,
            "direction": either("benefit", "cost"),
            "weight": NUMBERS,
        }
    )
    alternative = st.fixed_dictionaries(
        {"name": TEXT, "values": mapping(st.one_of(NUMBERS, TEXT))}
    )
    return st.fixed_dictionaries(
        {
            "criteria": st.lists(criterion, max_size=4),
            "alternatives": st.lists(alternative, max_size=4),
        },
        optional={
            "method": METHODS,
            "normalization": either(*Normalization.values, None),
            "options": OPTIONS,
        },
    )


def tool_fields(t: Target):
    return {
        "vendor": TEXT,
        "category": either(*Tool.Category.values),
        "model_provider": TEXT,
        "openness": either(*Tool.Openness.values),
        "deployment": either(*Tool.Deployment.values),
        "list_price": NUMBERS,
        "url": either("https://example.com", junk=TEXT),
        "notes": TEXT,
        "scores": mapping(SCORE),
    }


def new_tools(t: Target):
    return st.fixed_dictionaries(
        {"workspace": either(t.workspace, junk=NUMBERS), "name": TEXT},
        optional=tool_fields(t),
    )


def tool_changes(t: Target):
    return st.fixed_dictionaries({}, optional={"name": TEXT, **tool_fields(t)})


def evaluation_fields(t: Target):
    return {
        "method": METHODS,
        "normalization": either(*Normalization.values),
        "missing_scores": either(*Evaluation.MissingScores.values),
        "weights": mapping(NUMBERS),
        "options": OPTIONS,
    }


def evaluation_core(t: Target):
    return {
        "name": TEXT,
        "tools": st.one_of(st.just(t.tools), st.lists(NUMBERS, max_size=3), ANY_JSON),
        "profile": either("menlo-2024-app-selection", junk=TEXT),
    }


def new_evaluations(t: Target):
    return st.fixed_dictionaries(
        {"workspace": either(t.workspace, junk=NUMBERS), **evaluation_core(t)},
        optional=evaluation_fields(t),
    )


def evaluation_changes(t: Target):
    return st.fixed_dictionaries(
        {}, optional={**evaluation_core(t), **evaluation_fields(t)}
    )


def new_batches(t: Target):
    return st.fixed_dictionaries(
        {
            "evaluation": either(t.evaluation, junk=NUMBERS),
            "kind": either(*Batch.Kind.values),
        },
        optional={
            "profiles": st.one_of(st.lists(TEXT, max_size=3), ANY_JSON),
            # Small enough that a valid study stays quick to create.
            "samples": st.one_of(st.integers(-5, 5000), NUMBERS),
            "chunk_size": st.one_of(st.integers(-5, 5000), NUMBERS),
            "seed": NUMBERS,
        },
    )


def new_profiles(t: Target):
    return st.fixed_dictionaries(
        {
            "slug": either("fuzzed", junk=TEXT),
            "name": TEXT,
            "weights": mapping(NUMBERS),
        },
        optional={"description": TEXT},
    )


def new_criteria(t: Target):
    return st.fixed_dictionaries(
        {"key": either("fuzzed", junk=TEXT), "name": TEXT},
        optional={
            "kind": either(*Criterion.Kind.values),
            "direction": either(*Criterion.Direction.values),
            "scale_min": NUMBERS,
            "scale_max": NUMBERS,
            "unit": TEXT,
            "description": TEXT,
            "parent": either("roi", None, junk=TEXT),
        },
    )


def new_workspaces(t: Target):
    return st.fixed_dictionaries({"name": TEXT})


def anything(t: Target):
    return ANY_JSON


def raw_bodies(shaped):
    """``shaped`` (JSON-able values) as JSON text, or broken on purpose."""
    text = shaped.map(json.dumps)
    return st.one_of(
        text,
        text,
        text,
        ANY_JSON.map(json.dumps),
        text.flatmap(lambda s: st.integers(0, len(s)).map(lambda i: s[:i])),
        st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
        st.integers(1, 3000).map(lambda n: '{"a":' * n + "1" + "}" * n),
        st.binary(max_size=40),
    )


ENDPOINTS = {
    "rank": ("post", "/api/v1/rank/", rank_bodies),
    "tools create": ("post", "/api/v1/tools/", new_tools),
    "tools patch": ("patch", "/api/v1/tools/{tool}/", tool_changes),
    "evaluations create": ("post", "/api/v1/evaluations/", new_evaluations),
    "evaluations patch": (
        "patch",
        "/api/v1/evaluations/{evaluation}/",
        evaluation_changes,
    ),
    "runs start": ("post", "/api/v1/evaluations/{evaluation}/runs/", anything),
    "batches create": ("post", "/api/v1/batches/", new_batches),
    "profiles create": ("post", "/api/v1/profiles/", new_profiles),
    "criteria create": ("post", "/api/v1/criteria/", new_criteria),
    "workspaces create": ("post", "/api/v1/workspaces/", new_workspaces),
}


@pytest.mark.parametrize(
    ("method", "path", "bodies"), list(ENDPOINTS.values()), ids=list(ENDPOINTS)
)
@FUZZ
@given(data=st.data())
def test_no_body_is_a_server_error_and_a_refusal_writes_nothing(
    target, method, path, bodies, data
):
    body = data.draw(raw_bodies(bodies(target)), label="body")
    before = row_counts()
    response = target.send(method, path, body)
    assert response.status_code < 500, response.content[:2000]
    if response.status_code >= 400:
        assert_error_shape(response)
        assert row_counts() == before

"""The API's JSON parser: what it refuses before any view sees it, each a 400 in the
API's error shape."""

import json

import pytest

from selector.limits import MAX_DEPTH, MAX_ERRORS
from tests.api.crafted import assert_error_shape, row_counts

pytestmark = pytest.mark.django_db


def post(target, raw: bytes, content_type="application/json"):
    return target.client.generic(
        "POST", "/api/v1/workspaces/", raw, content_type=content_type
    )


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": NaN}',
        b'{"name": Infinity}',
        b'{"name": 1' + b"0" * 5000 + b"}",  # more digits than Python converts
        b'{"name": "\xff"}',  # not UTF-8
        b'{"name": "a\x00b"}',  # a raw control character in a string
        b'{"name": "x"',
    ],
    ids=["NaN", "Infinity", "5000 digits", "not UTF-8", "raw NUL", "unclosed"],
)
def test_what_is_not_json_is_a_400(target, raw):
    response = post(target, raw)
    assert response.status_code == 400, response.content
    assert assert_error_shape(response)[0]["field"] is None


def test_a_charset_that_is_no_text_encoding_is_a_400(target):
    response = post(target, b'{"name": "Team"}', "application/json; charset=rot13")
    assert response.status_code == 400, response.content
    assert "rot13" in response.json()["detail"]


def test_a_surrogate_decoded_by_the_charset_itself_is_refused(target):
    response = post(
        target, b'{"name": "\\ud800"}', "application/json; charset=unicode_escape"
    )
    assert response.status_code == 400, response.content
    assert [e["field"] for e in assert_error_shape(response)] == ["name"]


def test_a_valid_surrogate_pair_is_text(target):
    response = post(target, json.dumps({"name": "Team \U0001f680"}).encode())
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Team \U0001f680"


def test_an_escaped_backslash_before_u0000_is_not_a_nul(target):
    response = post(target, json.dumps({"name": "C:\\u0000"}).encode())
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "C:\\u0000"


def test_each_unsafe_string_is_named_by_its_path(target):
    body = {"a": ["ok", "\x00"], "b": {"c\ud800d": 1, "e": "\udc00"}}
    response = post(target, json.dumps(body).encode())
    assert response.status_code == 400
    fields = [e["field"] for e in assert_error_shape(response)]
    assert fields == ["a.1", "b.c\\ud800d", "b.e"]
    assert "NUL" in response.json()["detail"]


def test_unsafe_strings_are_named_up_to_the_cap(target):
    response = post(target, json.dumps(["\x00"] * (3 * MAX_ERRORS)).encode())
    assert response.status_code == 400
    assert len(assert_error_shape(response)) == MAX_ERRORS


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_the_depth_limit_is_exact(target, opening):
    closing = "]" if opening == "[" else "}"

    def nested(levels):
        inner = "" if opening == "[" else "1"
        return (opening * levels + inner + closing * levels).encode()

    before = row_counts()
    refused = post(target, nested(MAX_DEPTH + 1))
    assert refused.status_code == 400
    assert f"{MAX_DEPTH} levels" in refused.json()["detail"]
    allowed = post(target, nested(MAX_DEPTH))
    assert allowed.status_code == 400  # past the parser: not a workspace
    assert "levels" not in allowed.json()["detail"]
    assert row_counts() == before


def test_wide_json_within_the_depth_is_parsed(target):
    body = {"name": "Wide", "extra": [[[1]] for _ in range(1000)]}
    response = post(target, json.dumps(body).encode())
    assert response.status_code == 201, response.content

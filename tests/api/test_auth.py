"""API authentication: token or session, for everything but surveys and the schema;
JSON only, and a 404 for unknown routes."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory, api_client

pytestmark = pytest.mark.django_db

PRIVATE = [
    ("get", "/api/v1/criteria/"),
    ("get", "/api/v1/criteria/roi/"),
    ("get", "/api/v1/profiles/"),
    ("get", "/api/v1/profiles/menlo-2024-app-selection/"),
    ("get", "/api/v1/workspaces/"),
    ("post", "/api/v1/workspaces/"),
    ("get", "/api/v1/tools/"),
    ("post", "/api/v1/tools/"),
    ("get", "/api/v1/tools/1/"),
    ("get", "/api/v1/evaluations/"),
    ("post", "/api/v1/evaluations/"),
    ("get", "/api/v1/evaluations/1/ranking/"),
    ("post", "/api/v1/evaluations/1/runs/"),
    ("get", "/api/v1/runs/"),
    ("get", "/api/v1/runs/1/"),
    ("get", "/api/v1/batches/"),
    ("post", "/api/v1/batches/"),
    ("post", "/api/v1/rank/"),
]


@pytest.mark.parametrize(("method", "url"), PRIVATE)
def test_anonymous_requests_are_a_401(method, url):
    response = getattr(APIClient(), method)(url, {})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Authentication credentials were not provided."


def test_a_wrong_token_is_a_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/tools/").status_code == 401


def test_a_token_authenticates():
    user = UserFactory()
    response = api_client(user).get("/api/v1/workspaces/")
    assert response.status_code == 200


def test_a_session_authenticates():
    client = APIClient()
    client.force_login(UserFactory())
    assert client.get("/api/v1/criteria/").status_code == 200


def test_drf_create_token_issues_a_token():
    user = UserFactory(username="integration")
    call_command("drf_create_token", "integration")
    key = Token.objects.get(user=user).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/criteria/").status_code == 200


def test_surveys_schema_and_docs_stay_public():
    client = APIClient()
    assert client.get("/api/v1/surveys/").status_code == 200
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_an_unknown_route_under_the_api_is_a_404():
    api = api_client(UserFactory())
    assert api.get("/api/v1/tools/abc/").status_code == 404
    assert api.get("/api/v1/tools/99999999999999999999999/").status_code == 404


def test_the_api_takes_json_only():
    api = api_client(UserFactory())
    response = api.post("/api/v1/workspaces/", {"name": "Form"}, format="multipart")
    assert response.status_code == 415


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v1/tools/abc/", "/api/v2/", "/api/"]
)
def test_a_path_under_the_api_that_names_no_endpoint_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "no API endpoint" in body["detail"]
    assert body["errors"] == [{"field": None, "message": body["detail"]}]


def test_an_api_path_without_its_trailing_slash_is_still_redirected(client):
    response = client.get("/api/v1/surveys")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/surveys/"

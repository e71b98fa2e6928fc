"""What the crafted-input and fuzz tests share: a caller who can reach every JSON
endpoint, raw bodies sent to them, the error shape, and row counts of every table."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import User
from rest_framework.test import APIClient

# Every endpoint that reads a JSON body, with the target's ids in braces.
JSON_ENDPOINTS = [
    ("post", "/api/v1/rank/"),
    ("post", "/api/v1/workspaces/"),
    ("post", "/api/v1/tools/"),
    ("patch", "/api/v1/tools/{tool}/"),
    ("post", "/api/v1/evaluations/"),
    ("patch", "/api/v1/evaluations/{evaluation}/"),
    ("post", "/api/v1/batches/"),
    ("post", "/api/v1/criteria/"),
    ("post", "/api/v1/profiles/"),
]

DEEP_LIST = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000


@dataclass
class Target:
    """A superuser's client and the ids of what they own (a workspace, its tools and
    an evaluation of them)."""

    client: APIClient
    workspace: int
    tools: list[int]
    evaluation: int

    @property
    def tool(self) -> int:
        return self.tools[0]

    def url(self, path: str) -> str:
        return path.format(tool=self.tool, evaluation=self.evaluation)

    def send(self, method: str, path: str, body: str | bytes):
        """``body`` sent as it is, as ``application/json``."""
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        return self.client.generic(
            method.upper(), self.url(path), body, content_type="application/json"
        )


def row_counts() -> dict[str, int]:
    """Rows of every table the API can write to (the domain, its history, users)."""
    models = [*apps.get_app_config("selector").get_models(), User]
    return {model._meta.label: model.objects.count() for model in models}


def assert_error_shape(response) -> list[dict]:
    """The answer is JSON ``{"detail": text, "errors": [{"field", "message"}]}``; its
    errors."""
    assert response["Content-Type"].startswith("application/json"), response
    body = response.json()
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"field", "message"}, error
        assert error["field"] is None or isinstance(error["field"], str)
        assert isinstance(error["message"], str) and error["message"]
    return body["errors"]

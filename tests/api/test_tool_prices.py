"""No negative price enters through the API: a tool's list price and its ``price``
score are refused with a 400 naming the field, and nothing is written."""

import pytest

from selector.models import Score, Tool
from tests.factories import scored_tool

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"list_price": "-0.01"}, "list_price"),
        ({"list_price": -30}, "list_price"),
        ({"scores": {"price": -1}}, "scores.price"),
        ({"scores": {"price": {"value": 10, "low": -5}}}, "scores.price"),
    ],
)
def test_a_negative_price_is_a_400_naming_the_field(api, workspace, extra, field):
    body = {"workspace": workspace.pk, "name": "Copilot", "list_price": "19", **extra}
    response = api.post("/api/v1/tools/", body)
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in errors
    assert "negative" in errors[field] or "at least 0" in errors[field]
    assert not Tool.objects.exists()


def test_a_patch_cannot_make_a_price_negative(api, workspace):
    tool = scored_tool(workspace, "Copilot", price=19)
    Tool.objects.filter(pk=tool.pk).update(list_price=19)
    url = f"/api/v1/tools/{tool.pk}/"
    for body, field in (
        ({"list_price": "-1"}, "list_price"),
        ({"scores": {"price": -19}}, "scores.price"),
    ):
        response = api.patch(url, body)
        assert response.status_code == 400
        assert field in [e["field"] for e in response.json()["errors"]]
    tool.refresh_from_db()
    assert tool.list_price == 19
    assert Score.objects.get(tool=tool, criterion__key="price").value == 19


def test_a_free_tool_is_fine(api, workspace):
    body = {"workspace": workspace.pk, "name": "Free", "list_price": "0"}
    body["scores"] = {"price": 0}
    assert api.post("/api/v1/tools/", body).status_code == 201

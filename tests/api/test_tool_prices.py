"""A tool's price through the API: it is the ``price`` score. ``list_price`` (the old
field) is shown as that score to the cent, and on write is read as the price score's
value; no negative price enters either way (a 400 naming the field, nothing written).
"""

from decimal import Decimal

import pytest

from selector.models import Score, Tool
from tests.factories import score, scored_tool

pytestmark = pytest.mark.django_db


def price_of(tool: Tool) -> Score:
    return Score.objects.get(tool=tool, criterion__key="price")


def errors_of(response) -> dict[str, str]:
    assert response.status_code == 400, response.json()
    return {e["field"]: e["message"] for e in response.json()["errors"]}


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
    body = {"workspace": workspace.pk, "name": "Copilot", **extra}
    errors = errors_of(api.post("/api/v1/tools/", body))
    assert field in errors
    assert "negative" in errors[field] or "at least 0" in errors[field]
    assert not Tool.objects.exists()


def test_a_patch_cannot_make_a_price_negative(api, workspace):
    tool = scored_tool(workspace, "Copilot", price=19)
    url = f"/api/v1/tools/{tool.pk}/"
    for body, field in (
        ({"list_price": "-1"}, "list_price"),
        ({"scores": {"price": -19}}, "scores.price"),
    ):
        assert field in errors_of(api.patch(url, body))
    assert price_of(tool).value == 19


def test_a_free_tool_is_fine(api, workspace):
    body = {"workspace": workspace.pk, "name": "Free", "scores": {"price": 0}}
    response = api.post("/api/v1/tools/", body)
    assert response.status_code == 201
    assert response.json()["list_price"] == "0.00"


def test_the_list_price_shown_is_the_price_score_to_the_cent(api, workspace):
    tool = scored_tool(workspace, "Copilot", roi=4)
    score(tool, "price", 19.005, low=15, high=25)
    scored_tool(workspace, "Unpriced", roi=3)
    body = api.get("/api/v1/tools/").json()["results"]
    shown = {
        row["name"]: (row["list_price"], row["scores"].get("price")) for row in body
    }
    assert shown["Copilot"] == (
        "19.01",  # half up, as a decimal
        {"value": 19.005, "low": 15.0, "high": 25.0, "evidence": ""},
    )
    assert shown["Unpriced"] == (None, None)


def test_a_list_price_sent_writes_the_price_score(api, workspace):
    body = {"workspace": workspace.pk, "name": "Copilot", "list_price": "19.50"}
    response = api.post("/api/v1/tools/", body)
    assert response.status_code == 201
    tool = Tool.objects.get()
    assert price_of(tool).value == 19.5
    assert response.json()["scores"]["price"]["value"] == 19.5
    assert response.json()["list_price"] == "19.50"


def test_a_list_price_patched_keeps_the_price_bounds_and_evidence(api, workspace):
    tool = scored_tool(workspace, "Copilot")
    score(tool, "price", 19, low=15, high=25, evidence="vendor page")
    response = api.patch(f"/api/v1/tools/{tool.pk}/", {"list_price": 21})
    assert response.status_code == 200
    price = price_of(tool)
    assert (price.value, price.low, price.high, price.evidence) == (
        21,
        15,
        25,
        "vendor page",
    )


def test_a_list_price_that_differs_from_the_price_score_sent_is_a_400(api, workspace):
    body = {
        "workspace": workspace.pk,
        "name": "Copilot",
        "list_price": "19",
        "scores": {"price": 25},
    }
    errors = errors_of(api.post("/api/v1/tools/", body))
    assert list(errors) == ["list_price"]
    assert errors["list_price"] == (
        "19 differs from the price score (25); a tool has one price, its price "
        "score: leave list_price out."
    )
    assert not Tool.objects.exists()


def test_a_tool_read_and_sent_back_whole_is_accepted(api, workspace):
    """A client that sends back what it read (list_price rounded to the cent next to
    the exact price score) changes nothing."""
    tool = scored_tool(workspace, "Copilot", roi=4)
    score(tool, "price", 0.333, low=0.25, high=0.5)
    read = api.get(f"/api/v1/tools/{tool.pk}/").json()
    assert read["list_price"] == "0.33"
    sent = {k: read[k] for k in ("name", "list_price", "scores")}
    response = api.patch(f"/api/v1/tools/{tool.pk}/", sent)
    assert response.status_code == 200, response.json()
    price = price_of(tool)
    assert (price.value, price.low, price.high) == (0.333, 0.25, 0.5)


def test_a_null_list_price_changes_nothing(api, workspace):
    tool = scored_tool(workspace, "Copilot", price=19)
    response = api.patch(f"/api/v1/tools/{tool.pk}/", {"list_price": None})
    assert response.status_code == 200
    assert price_of(tool).value == 19
    assert Decimal(response.json()["list_price"]) == Decimal("19")


def test_the_schema_marks_list_price_read_only_and_deprecated(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    shown = schema["components"]["schemas"]["Tool"]["properties"]["list_price"]
    assert shown["readOnly"] and shown["deprecated"] and shown["nullable"]
    sent = schema["components"]["schemas"]["ToolInputRequest"]["properties"]
    assert sent["list_price"]["writeOnly"]

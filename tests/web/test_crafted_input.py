"""The pages' catalogue of crafted input (issue 12): each value a browser can send that
once caused, or could cause, a 500 (NUL bytes, numbers past any column, ids no row
can have, text where a number goes) is a form error on the field it was typed in, and
nothing is written. Runs on SQLite and on PostgreSQL, which refuses NUL in text."""

import pytest

from selector.models import Evaluation, Score, Tool
from tests.web.test_evaluations import builder_data

pytestmark = pytest.mark.django_db

TOOL = {
    "name": "Cursor",
    "vendor": "Anysphere",
    "category": "chat_assistant",
    "openness": "closed",
    "deployment": "saas",
    "score_price": "40",  # the tool's price
}
HUGE = "9" * 400  # past a float: parses to inf
PAST_BIGINT = "99999999999999999999999"

TOOL_CASES = [
    ("name", "Cur\x00sor"),
    ("vendor", "Any\x00sphere"),
    ("notes", "fine\x00print"),
    ("score_price", "-1"),
    ("score_price", HUGE),
    ("score_price", "nan"),
    ("score_price", "1e400"),
    ("score_price", "twenty"),
    ("score_roi", PAST_BIGINT),
    ("score_roi", "-inf"),
    ("score_roi", "4\x00"),
    ("score_price", "-5"),
    ("category", "\x00"),
]


def _written() -> tuple[int, int, int]:
    return Tool.objects.count(), Score.objects.count(), Evaluation.objects.count()


@pytest.mark.parametrize("field,value", TOOL_CASES)
def test_a_crafted_tool_form_is_an_error_on_its_field(member_client, field, value):
    response = member_client.post("/tools/new/", {**TOOL, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert _written() == (0, 0, 0)


@pytest.mark.parametrize("field,value", TOOL_CASES)
def test_a_crafted_edit_changes_nothing(member_client, three_tools, field, value):
    tool = three_tools[0]
    before = list(Score.objects.order_by("pk").values()), tool.name
    response = member_client.post(f"/tools/{tool.pk}/", {**TOOL, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    tool.refresh_from_db()
    assert (list(Score.objects.order_by("pk").values()), tool.name) == before


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", "Assist\x00ant"),
        ("tools", PAST_BIGINT),
        ("tools", "\x00"),
        ("profile", PAST_BIGINT),
        ("profile", "abc"),
        ("method", "wsm\x00"),
        ("normalization", "\x00"),
        ("missing_scores", "\x00"),
        ("weight_roi", HUGE),
        ("weight_roi", "nan"),
        ("weight_roi", "-1"),
        ("weight_roi", "\x00"),
    ],
)
def test_a_crafted_evaluation_is_an_error_on_its_field(
    member_client, three_tools, field, value
):
    data = builder_data(three_tools)
    if field == "weight_roi":
        field = next(name for name in data if name.endswith("_roi"))
    data[field] = [*data[field], value] if field == "tools" else value
    response = member_client.post("/evaluations/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("value", ["\x00", "4\x00", HUGE, "-inf", PAST_BIGINT])
def test_a_crafted_grid_cell_is_marked_and_saves_nothing(
    member_client, three_tools, value
):
    before = list(Score.objects.order_by("pk").values())
    tool = three_tools[0]
    response = member_client.post(
        "/tools/scores/?profile=menlo-2024-app-selection",
        {f"cell-{tool.pk}-roi": value, f"cell-{three_tools[1].pk}-roi": "1"},
    )
    assert response.status_code == 200
    errors = {
        (c.tool, c.criterion.key): c.error for c in response.context["form"].cells()
    }
    assert errors[tool, "roi"] and not errors[three_tools[1], "roi"]
    assert list(Score.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    "path", ["/tools/", "/evaluations/", "/tools/scores/", "/profiles/compare/"]
)
@pytest.mark.parametrize("value", ["\x00", "a\x00b", PAST_BIGINT, HUGE, "-1"])
def test_crafted_query_parameters_never_fail_a_page(member_client, path, value):
    for name in ("q", "category", "profile", "page", "a", "b", "evaluation"):
        response = member_client.get(path, {name: value})
        assert response.status_code in (200, 302, 404), (name, response.status_code)

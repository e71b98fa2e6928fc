"""CSV import/export of tools: preview, per-row errors, all-or-nothing, clean round
trip."""

import pytest

from selector.models import Criterion, Tool
from selector.services.tool_csv import CsvFormatError, export_tools
from selector.services.tools import import_tools_csv, save_tool
from tests.factories import scored_tool

GOOD = (
    "name,vendor,category,list_price,roi,industry_customization,price\n"
    "Cursor,Anysphere,code_copilot,40,5,2,40\n"
    "Glean,Glean,enterprise_search,50,4,4,50\n"
)


def import_csv(member, text: str, commit: bool = True):
    user, workspace = member
    return import_tools_csv(
        user=user, workspace=workspace, raw=text.encode(), commit=commit
    )


def test_a_good_file_imports_every_tool_with_its_scores(member):
    rows = import_csv(member, GOOD)
    assert [row.errors for row in rows] == [[], []]
    cursor = Tool.objects.get(name="Cursor")
    assert cursor.category == "code_copilot"
    assert {s.criterion.key: s.value for s in cursor.scores.all()} == {
        "roi": 5,
        "industry_customization": 2,
        "price": 40,
    }


def test_a_preview_saves_nothing(member):
    rows = import_csv(member, GOOD, commit=False)
    assert [row.action for row in rows] == ["create", "create"]
    assert not Tool.objects.exists()


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_rows(member):
    text = GOOD + "Broken,,chatbot,10,7,x,5\n"
    rows = import_csv(member, text)
    assert not Tool.objects.exists()
    broken = rows[2]
    assert broken.line == 4
    joined = " ".join(broken.errors)
    assert "category: 'chatbot' is not one of" in joined
    # Each bad cell is named: the category, the out-of-scale ROI, the non-number.
    text = GOOD + "Broken,,,10,7,x,5\n"
    broken = import_csv(member, text)[2]
    assert any("roi" in e and "at most 5" in e for e in broken.errors)
    assert any(
        "industry_customization" in e and "not a number" in e for e in broken.errors
    )
    assert not Tool.objects.exists()


def test_a_tool_named_twice_is_an_error_on_the_second_line(member):
    rows = import_csv(member, GOOD + "cursor,,,,3,3,3\n")
    assert rows[2].errors == ["the tool 'cursor' is already on line 2"]
    assert not Tool.objects.exists()


def test_an_existing_tool_is_updated_not_duplicated(member):
    user, workspace = member
    scored_tool(workspace, "Cursor", roi=1)
    rows = import_csv(member, GOOD)
    assert rows[0].action == "update"
    assert Tool.objects.filter(workspace=workspace, name="Cursor").count() == 1
    assert Tool.objects.get(name="Cursor").scores.get(criterion__key="roi").value == 5


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"vendor\nx\n", "no 'name' column"),
        (b"name,speed\nx,1\n", "Unknown column 'speed'"),
        (b"name,roi,roi\nx,1,2\n", "appears twice"),
        (b"name\n", "no tools"),
        ("name\ncaf\u00e9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_broken_file_is_refused_with_a_reason(member, raw, message):
    user, workspace = member
    with pytest.raises(CsvFormatError, match=message):
        import_tools_csv(user=user, workspace=workspace, raw=raw, commit=True)


def test_an_export_reimports_unchanged(member):
    user, workspace = member
    import_csv(member, GOOD)
    tool = Tool.objects.get(name="Glean")
    save_tool(
        user=user,
        workspace=tool.workspace,
        data={},
        tool=tool,
        scores={"roi": {"value": 4, "low": 3, "high": 5}},
    )
    criteria = list(Criterion.objects.order_by("key"))

    def state():
        return sorted(
            (
                t.name,
                t.vendor,
                t.category,
                str(t.list_price),
                s.criterion.key,
                s.value,
                s.low,
                s.high,
            )
            for t in Tool.objects.prefetch_related("scores__criterion")
            for s in t.scores.all()
        )

    before = state()
    exported = export_tools(Tool.objects.prefetch_related("scores"), criteria)
    rows = import_csv(member, exported)
    assert all(not row.errors for row in rows)
    assert {row.action for row in rows} == {"update"}
    assert state() == before

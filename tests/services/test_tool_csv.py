"""CSV import/export of tools: preview, per-row errors, all-or-nothing, clean round
trip."""

import io

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from selector.models import Criterion, Score, Tool
from selector.services.tool_csv import CsvFormatError, export_tools, file_text
from selector.services.tools import import_tools_csv, save_tool
from tests.factories import scored_tool

GOOD = (
    "name,vendor,category,roi,industry_customization,price\n"
    "Cursor,Anysphere,code_copilot,5,2,40\n"
    "Glean,Glean,enterprise_search,4,4,50\n"
)


def import_csv(member, text: str, commit: bool = True):
    user, workspace = member
    return import_tools_csv(user=user, workspace=workspace, source=text, commit=commit)


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
    text = GOOD + "Broken,,chatbot,7,x,5\n"
    rows = import_csv(member, text)
    assert not Tool.objects.exists()
    broken = rows[2]
    assert broken.line == 4
    joined = " ".join(broken.errors)
    assert "category: 'chatbot' is not one of" in joined
    # Each bad cell is named: the category, the out-of-scale ROI, the non-number.
    text = GOOD + "Broken,,,7,x,5\n"
    broken = import_csv(member, text)[2]
    assert any("roi" in e and "at most 5" in e for e in broken.errors)
    assert any(
        "industry_customization" in e and "not a number" in e for e in broken.errors
    )
    assert not Tool.objects.exists()


def test_every_bad_cell_of_a_row_is_named_not_only_the_first(member):
    """A bad category used to hide the row's bad scores (and a repeated name all of
    them): each bad cell is listed, once."""
    broken = import_csv(member, GOOD + "Broken,,chatbot,7,x,-5\n")[2]
    assert len(broken.errors) == 4, broken.errors
    joined = " ".join(broken.errors)
    assert "category: 'chatbot' is not one of" in joined
    assert "price: Price: -5 must be at least 0" in joined
    assert any("roi" in e and "at most 5" in e for e in broken.errors)
    assert any(
        "industry_customization" in e and "not a number" in e for e in broken.errors
    )
    again = import_csv(member, GOOD + "cursor,,chatbot,7,3,3\n")[2]
    assert "the tool 'cursor' is already on line 2" in again.errors
    assert len(again.errors) == 3, again.errors
    assert not Tool.objects.exists()


def test_a_tool_named_twice_is_an_error_on_the_second_line(member):
    rows = import_csv(member, GOOD + "cursor,,,3,3,3\n")
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
        import_tools_csv(
            user=user, workspace=workspace, source=io.BytesIO(raw), commit=True
        )


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


def test_an_upload_over_the_limit_is_refused_before_any_of_it_is_read(member):
    user, workspace = member
    upload = TemporaryUploadedFile("tools.csv", "text/csv", 0, "utf-8")
    upload.write(b"name\n" + b"x" * (2 * 1024 * 1024))
    upload.size = upload.tell()
    upload.seek(0)
    with pytest.raises(CsvFormatError, match="TOOL_IMPORT_MAX_BYTES"):
        import_tools_csv(user=user, workspace=workspace, source=upload, commit=True)
    assert upload.tell() == 0  # not a byte read
    upload.close()


def test_an_upload_is_read_line_by_line_and_stays_open(member):
    user, workspace = member
    upload = TemporaryUploadedFile("tools.csv", "text/csv", 0, "utf-8")
    upload.write(GOOD.encode("utf-8-sig"))
    upload.size = upload.tell()
    rows = import_tools_csv(user=user, workspace=workspace, source=upload, commit=True)
    assert [row.name for row in rows] == ["Cursor", "Glean"]
    assert not upload.closed
    assert file_text(upload) == GOOD  # the confirm step's text, without the BOM
    upload.close()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"name\n\xff\n", "not UTF-8"),
        (b"name\n" + b"Tool\n" * 5001, "more than 5000 rows"),
    ],
)
def test_a_file_broken_past_its_header_is_refused_with_a_reason(member, raw, message):
    user, workspace = member
    with pytest.raises(CsvFormatError, match=message):
        import_tools_csv(
            user=user, workspace=workspace, source=io.BytesIO(raw), commit=False
        )


def test_a_nul_byte_is_a_row_error_and_nothing_is_saved(member):
    rows = import_csv(member, GOOD + "Zed,Z\x00,other,1,1,1\n")
    assert rows[2].errors == [
        "vendor (column 2): contains a NUL byte (\\x00), which cannot be stored; "
        "remove it."
    ]
    assert not Tool.objects.exists()


# Speed: an import writes in bulk, in a number of statements that does not grow with
# its rows (benchmarks/csv_import.py times 5,000 of them).


def every_column_csv(criteria, names) -> str:
    columns = [f"{c.key}{end}" for c in criteria for end in ("", "_low", "_high")]
    lines = [",".join(["name", "vendor", "category", *columns])]
    for name in names:
        cells = [name, "Vendor", "chat_assistant"]
        for criterion in criteria:
            low = criterion.scale_min or 0
            # Existing tools lose their industry customisation score (an empty cell).
            cells += (
                ["", "", ""]
                if criterion.key == "industry_customization" and int(name[1:]) % 2
                else [str(low + 1), str(low), str(low + 2)]
            )
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def bulk_splits(model, rows: int, *, with_id: bool) -> int:
    """Statements beyond one that Django splits a bulk insert of ``rows`` into on this
    database: none on PostgreSQL; on SQLite, one per 999 parameters."""
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    size = connection.ops.bulk_batch_size(fields, [None] * rows)
    return -(-rows // size) - 1


def import_queries(member, count: int) -> tuple[int, int]:
    """Queries of a preview and of an import of ``count`` rows with every score column,
    half of them updating a tool that has two scores, one of which the file empties."""
    user, workspace = member
    for number in range(1, count, 2):
        scored_tool(workspace, f"T{number}", roi=2, industry_customization=2)
    criteria = list(Criterion.objects.order_by("key"))
    text = every_column_csv(criteria, [f"T{number}" for number in range(count)])
    with CaptureQueriesContext(connection) as preview:
        rows = import_csv(member, text, commit=False)
    assert [row.errors for row in rows] == [[]] * count
    with CaptureQueriesContext(connection) as done:
        import_csv(member, text)
    half, scores = count // 2, count * len(criteria)
    assert Score.objects.filter(tool__workspace=workspace).count() == scores - half
    splits = bulk_splits(Tool, half, with_id=False) + bulk_splits(
        Tool, half, with_id=True
    )
    return len(preview), len(done) - splits


def test_an_import_runs_as_many_queries_for_200_rows_as_for_10(member):
    # Preview: the role, criteria, tools. Import: the same, a savepoint, new tools,
    # existing tools (upsert), emptied scores (one per criterion), every score
    # (upsert; on PostgreSQL a temporary table, its COPY, the insert, the drop), the
    # release.
    expected = (3, 12 if connection.vendor == "postgresql" else 9)
    assert import_queries(member, 10) == expected
    Tool.objects.all().delete()
    assert import_queries(member, 200) == expected


def test_an_import_keeps_the_evidence_of_the_scores_it_updates(member):
    user, workspace = member
    save_tool(
        user=user,
        workspace=workspace,
        data={"name": "Cursor"},
        scores={"roi": {"value": 1, "evidence": "pilot, March"}},
    )
    import_csv(member, GOOD)
    roi = Score.objects.get(tool__name="Cursor", criterion__key="roi")
    assert (roi.value, roi.evidence) == (5, "pilot, March")


# The price: the price column (with its bounds) is the tool's price; an older file's
# list_price column reads as it.


def test_an_export_has_the_price_with_its_bounds_and_no_list_price(member):
    user, workspace = member
    tool = scored_tool(workspace, "Cursor", roi=5)
    save_tool(
        user=user,
        workspace=workspace,
        data={},
        tool=tool,
        scores={"price": {"value": 40, "low": 35, "high": 45.5}},
    )
    criteria = list(Criterion.objects.order_by("key"))
    exported = export_tools(Tool.objects.prefetch_related("scores"), criteria)
    header, row = (line.split(",") for line in exported.splitlines())
    assert "list_price" not in header
    cells = dict(zip(header, row, strict=True))
    assert (cells["price"], cells["price_low"], cells["price_high"]) == (
        "40",
        "35",
        "45.5",
    )
    Score.objects.filter(tool=tool, criterion__key="price").delete()
    assert [row.errors for row in import_csv(member, exported)] == [[]]
    price = Score.objects.get(tool=tool, criterion__key="price")
    assert (price.value, price.low, price.high) == (40, 35, 45.5)


def test_an_older_files_list_price_column_is_read_as_the_price(member):
    text = (
        "name,list_price,roi\n"  # no price column
        "Cursor,40,5\n"
        "Glean,,4\n"  # an empty list price writes nothing
    )
    assert [row.errors for row in import_csv(member, text)] == [[], []]
    prices = dict(
        Score.objects.filter(criterion__key="price").values_list("tool__name", "value")
    )
    assert prices == {"Cursor": 40}


def test_a_list_price_next_to_the_price_must_agree(member):
    text = (
        "name,list_price,price\n"
        "Cursor,40.00,40\n"  # an old export: the same price twice
        "Glean,50,55\n"
        "Copilot,,19\n"  # no list price: the price column alone
    )
    rows = import_csv(member, text)
    assert [row.errors for row in rows] == [
        [],
        [
            "list_price: 50 differs from the price score (55); a tool has one "
            "price, its price score: leave list_price out."
        ],
        [],
    ]
    assert not Tool.objects.exists()
    rows = import_csv(member, text.replace("Glean,50,55", "Glean,55,55"))
    prices = dict(
        Score.objects.filter(criterion__key="price").values_list("tool__name", "value")
    )
    assert prices == {"Cursor": 40, "Glean": 55, "Copilot": 19}

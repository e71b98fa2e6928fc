"""Tool pages: list/search, create/edit with field errors, delete, score grid, CSV."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from selector.models import Membership, Tool
from tests.factories import MembershipFactory, ToolFactory, score, scored_tool

TOOL_FORM = {
    "name": "Claude for Work",
    "vendor": "Anthropic",
    "category": "chat_assistant",
    "openness": "closed",
    "deployment": "saas",
}


def test_tool_pages_need_a_login(client, db):
    response = client.get("/tools/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_list_shows_only_the_users_workspace(member_client, member):
    _, workspace = member
    ToolFactory(workspace=workspace, name="Mine")
    ToolFactory(name="Someone else's")
    page = member_client.get("/tools/").content.decode()
    assert "Mine" in page
    assert "Someone else" not in page


def test_the_list_searches_and_filters(member_client, member):
    _, workspace = member
    ToolFactory(workspace=workspace, name="Cursor", category="code_copilot")
    ToolFactory(workspace=workspace, name="Glean", category="enterprise_search")
    page = member_client.get("/tools/", {"q": "curs"}).content.decode()
    assert "Cursor" in page and "Glean" not in page
    page = member_client.get(
        "/tools/", {"category": "enterprise_search"}
    ).content.decode()
    assert "Glean" in page and "Cursor" not in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_a_bounded_number_of_queries(
    member_client, member, count, django_assert_max_num_queries
):
    _, workspace = member
    for i in range(count):
        scored_tool(workspace, f"Tool {i}", roi=3, price=10)
    with django_assert_max_num_queries(11):
        response = member_client.get("/tools/")
    assert response.status_code == 200
    page = response.content.decode()
    assert all(f"Tool {i}<" in page for i in range(count))


def test_a_tool_is_created_with_its_scores(member_client):
    response = member_client.post(
        "/tools/new/", {**TOOL_FORM, "score_roi": "4", "score_price": "30"}
    )
    assert response.status_code == 302
    tool = Tool.objects.get(name="Claude for Work")
    assert {s.criterion.key: s.value for s in tool.scores.all()} == {
        "roi": 4,
        "price": 30,
    }


def test_a_bad_score_is_shown_next_to_its_field_and_keeps_what_was_typed(member_client):
    response = member_client.post(
        "/tools/new/", {**TOOL_FORM, "score_roi": "7", "score_price": "30"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "must be at most 5" in form.errors["score_roi"][0]
    page = response.content.decode()
    assert 'value="Claude for Work"' in page
    assert 'id="id_score_roi-error"' in page
    assert not Tool.objects.exists()


def test_a_duplicate_name_is_shown_on_the_name_field(member_client, member):
    ToolFactory(workspace=member[1], name="Claude for Work")
    response = member_client.post("/tools/new/", TOOL_FORM)
    assert "already exists" in response.context["form"].errors["name"][0]


def test_editing_updates_the_tool(member_client, member):
    tool = scored_tool(member[1], "Old name", roi=2)
    response = member_client.post(
        f"/tools/{tool.pk}/", {**TOOL_FORM, "name": "New name", "score_roi": "5"}
    )
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.name == "New name"
    assert tool.scores.get(criterion__key="roi").value == 5


def test_deleting_asks_for_confirmation_first(member_client, member):
    tool = ToolFactory(workspace=member[1])
    page = member_client.get(f"/tools/{tool.pk}/delete/")
    assert page.status_code == 200
    assert Tool.objects.filter(pk=tool.pk).exists()
    assert member_client.post(f"/tools/{tool.pk}/delete/").status_code == 302
    assert not Tool.objects.filter(pk=tool.pk).exists()


@pytest.mark.parametrize("path", ["/tools/{pk}/", "/tools/{pk}/delete/"])
def test_another_workspaces_tool_is_a_404(member_client, path):
    other = ToolFactory(name="Secret")
    assert member_client.get(path.format(pk=other.pk)).status_code == 404
    assert member_client.post(path.format(pk=other.pk), TOOL_FORM).status_code == 404
    assert Tool.objects.get(pk=other.pk).name == "Secret"


def test_viewers_cannot_add_tools(client, member):
    viewer = MembershipFactory(workspace=member[1], role=Membership.Role.VIEWER).user
    client.force_login(viewer)
    assert client.get("/tools/").status_code == 200
    assert client.post("/tools/new/", TOOL_FORM).status_code == 403
    assert not Tool.objects.exists()


def test_the_score_grid_saves_every_cell(member_client, three_tools):
    a = three_tools[0]
    data = {
        f"cell-{t.pk}-{key}": "3"
        for t in three_tools
        for key in ("roi", "industry_customization")
    }
    data.update({f"cell-{t.pk}-price": "10" for t in three_tools})
    response = member_client.post(
        "/tools/scores/?profile=menlo-2024-app-selection", data
    )
    assert response.status_code == 302
    assert a.scores.get(criterion__key="roi").value == 3


def test_a_bad_cell_in_the_grid_saves_nothing_and_is_marked(member_client, three_tools):
    a, b, _ = three_tools
    data = {f"cell-{t.pk}-roi": "1" for t in three_tools}
    data[f"cell-{b.pk}-roi"] = "9"
    response = member_client.post(
        "/tools/scores/?profile=menlo-2024-app-selection", data
    )
    assert response.status_code == 200
    assert a.scores.get(criterion__key="roi").value == 4  # unchanged
    page = response.content.decode()
    assert "must be at most 5" in page
    assert 'value="9"' in page


def test_import_previews_then_commits(member_client, member):
    csv = b"name,roi,price\nCursor,5,40\nGlean,4,50\n"
    upload = SimpleUploadedFile("tools.csv", csv, content_type="text/csv")
    preview = member_client.post(
        "/tools/import/", {"file": upload, "action": "preview"}
    )
    assert preview.status_code == 200
    assert not Tool.objects.exists()
    assert 'id="confirm-import"' in preview.content.decode()
    done = member_client.post(
        "/tools/import/", {"content": preview.context["content"], "action": "import"}
    )
    assert done.status_code == 302
    assert set(Tool.objects.values_list("name", flat=True)) == {"Cursor", "Glean"}


def test_import_with_a_bad_row_shows_the_row_and_imports_nothing(member_client):
    csv = b"name,roi,price\nCursor,5,40\nGlean,six,50\n"
    upload = SimpleUploadedFile("tools.csv", csv, content_type="text/csv")
    response = member_client.post(
        "/tools/import/", {"file": upload, "action": "import"}
    )
    page = response.content.decode()
    assert "Line 3: roi:" in page and "not a number" in page
    assert 'id="confirm-import"' not in page
    assert not Tool.objects.exists()


def test_a_broken_file_is_explained(member_client):
    upload = SimpleUploadedFile("tools.csv", b"vendor\nx\n", content_type="text/csv")
    response = member_client.post("/tools/import/", {"file": upload})
    assert "no &#x27;name&#x27; column" in response.content.decode()


def test_the_export_is_a_csv_of_the_workspace(member_client, three_tools):
    ToolFactory(name="Not mine")
    response = member_client.get("/tools/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("name,vendor,category")
    assert [line.split(",")[0] for line in lines[1:]] == ["A", "B", "C"]


# Uploads: size checked before reading, NUL bytes refused (PostgreSQL cannot store them).


def test_an_upload_over_the_limit_is_refused_by_its_size_and_saves_nothing(
    member_client,
):
    row = b"Cursor,5,40\n"
    body = b"name,roi,price\n" + row * (2 * 1024 * 1024 // len(row) + 1)
    assert len(body) > 2 * 1024 * 1024
    upload = SimpleUploadedFile("tools.csv", body, content_type="text/csv")
    response = member_client.post(
        "/tools/import/", {"file": upload, "action": "import"}
    )
    assert response.status_code == 200
    error = response.context["form"].errors["file"][0].replace("\xa0", " ")
    assert "an import takes at most 2.0 MB (TOOL_IMPORT_MAX_BYTES" in error
    assert not Tool.objects.exists()


def test_the_upload_limit_is_a_setting(member_client, settings):
    settings.TOOL_IMPORT_MAX_BYTES = 20
    upload = SimpleUploadedFile("tools.csv", b"name,roi\nCursor,5\nGlean,4\n")
    response = member_client.post("/tools/import/", {"file": upload})
    assert (
        "(TOOL_IMPORT_MAX_BYTES = 20 bytes)"
        in response.context["form"].errors["file"][0]
    )
    response = member_client.post(
        "/tools/import/",
        {"content": "name,roi\nCursor,5\nGlean,4\n", "action": "import"},
    )
    assert (
        "(TOOL_IMPORT_MAX_BYTES = 20 bytes)"
        in (response.context["form"].non_field_errors()[0])
    )
    assert not Tool.objects.exists()


@pytest.mark.parametrize(
    ("csv", "where"),
    [
        (b"name,vendor\nCursor,Any\x00sphere\n", "Line 2: vendor (column 2): contains"),
        (b"name,roi\nCur\x00sor,5\n", "Line 2: name (column 1): contains"),
        (b"name,roi\nCursor,5\nGlean,4,\x00\n", "Line 3: column 3: contains"),
        (
            b'name,notes\nCursor,"two\nlines\x00"\n',
            "Line 3: notes (column 2): contains",
        ),
    ],
)
def test_a_nul_byte_in_a_row_is_an_error_naming_its_line_and_column(
    member_client, csv, where
):
    for action in ("preview", "import"):
        upload = SimpleUploadedFile("tools.csv", csv, content_type="text/csv")
        response = member_client.post(
            "/tools/import/", {"file": upload, "action": action}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert where in page and "NUL byte" in page
        assert 'id="confirm-import"' not in page
    assert not Tool.objects.exists()


def test_a_nul_byte_in_the_header_or_the_posted_text_is_refused(member_client):
    upload = SimpleUploadedFile("tools.csv", b"name,ven\x00dor\nCursor,x\n")
    response = member_client.post("/tools/import/", {"file": upload})
    assert "Line 1, column 2: contains a NUL byte" in response.content.decode()
    response = member_client.post(
        "/tools/import/", {"content": "name\nCur\x00sor\n", "action": "import"}
    )
    assert "Line 2: name (column 1): contains a NUL byte" in response.content.decode()
    assert not Tool.objects.exists()


def _bounded_roi(workspace):
    tool = ToolFactory(workspace=workspace, name="Bounded")
    score(tool, "roi", 3, low=2, high=4, evidence="Pilot with 40 seats, Q3")
    return tool


def test_saving_the_tool_form_keeps_the_bounds_and_evidence_it_does_not_show(
    member_client, member
):
    tool = _bounded_roi(member[1])
    page = member_client.get(f"/tools/{tool.pk}/").context["form"]
    assert page["score_roi"].value() == "3"  # the value only, as typed
    response = member_client.post(
        f"/tools/{tool.pk}/", {**TOOL_FORM, "name": "Renamed", "score_roi": "3"}
    )
    assert response.status_code == 302
    roi = tool.scores.get(criterion__key="roi")
    assert (roi.value, roi.low, roi.high) == (3, 2, 4)
    assert roi.evidence == "Pilot with 40 seats, Q3"


def test_a_new_value_in_the_tool_form_keeps_its_evidence_and_bounds_around_it(
    member_client, member
):
    tool = _bounded_roi(member[1])
    member_client.post(f"/tools/{tool.pk}/", {**TOOL_FORM, "score_roi": "3.5"})
    roi = tool.scores.get(criterion__key="roi")
    assert (roi.value, roi.low, roi.high) == (3.5, 2, 4)
    assert roi.evidence == "Pilot with 40 seats, Q3"


def test_a_value_outside_its_bounds_is_refused_naming_them(member_client, member):
    tool = _bounded_roi(member[1])
    response = member_client.post(f"/tools/{tool.pk}/", {**TOOL_FORM, "score_roi": "5"})
    assert response.status_code == 200
    message = response.context["form"].errors["score_roi"][0]
    assert "high bound (4)" in message
    assert tool.scores.get(criterion__key="roi").value == 3


def test_the_tool_form_says_which_parts_of_a_score_it_keeps(member_client, member):
    tool = _bounded_roi(member[1])
    form = member_client.get(f"/tools/{tool.pk}/").context["form"]
    assert form["score_roi"].help_text.endswith(" · range 2 to 4 kept · evidence kept")


def test_viewers_get_a_403_on_the_delete_confirmation_too(client, member):
    tool = ToolFactory(workspace=member[1])
    viewer = MembershipFactory(workspace=member[1], role=Membership.Role.VIEWER).user
    client.force_login(viewer)
    assert client.get(f"/tools/{tool.pk}/delete/").status_code == 403
    assert client.post(f"/tools/{tool.pk}/delete/").status_code == 403
    assert Tool.objects.filter(pk=tool.pk).exists()

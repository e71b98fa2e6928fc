"""No negative price enters through the pages: the tool form, the CSV import and the
score grid refuse a negative ``price`` score (the tool's price; an old file's
``list_price`` column is read as it), naming the field, and save nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile

from selector.models import Score, Tool
from tests.web.test_tools import TOOL_FORM


def test_the_form_refuses_a_negative_price_score_on_its_field(member_client):
    response = member_client.post("/tools/new/", {**TOOL_FORM, "score_price": "-1"})
    assert "at least 0" in response.context["form"].errors["score_price"][0]
    assert not Tool.objects.exists()


def test_the_form_offers_no_negative_price(member_client):
    page = member_client.get("/tools/new/").content.decode()
    assert 'name="list_price"' not in page  # the price is the price score's field
    field = page.split('name="score_price"')[0].rsplit("<input", 1)[1]
    field += page.split('name="score_price"')[1].split(">", 1)[0]
    assert 'min="0.0"' in field  # the criterion's scale_min


def test_the_import_names_the_rows_with_a_negative_price(member_client):
    csv = b"name,list_price,price\nCursor,40,40\nGlean,-50,50\nCopilot,19,-19\n"
    upload = SimpleUploadedFile("tools.csv", csv, content_type="text/csv")
    response = member_client.post(
        "/tools/import/", {"file": upload, "action": "import"}
    )
    page = response.content.decode()
    assert "Line 3: list_price: A price cannot be negative (-50)." in page
    assert "Line 4: price: Price: -19 must be at least 0" in page
    assert not Tool.objects.exists()


def test_the_score_grid_refuses_a_negative_price(member_client, three_tools):
    a = three_tools[0]
    response = member_client.post(
        "/tools/scores/?profile=menlo-2024-app-selection",
        {f"cell-{a.pk}-price": "-5", f"cell-{a.pk}-roi": "4"},
    )
    assert response.status_code == 200
    assert "must be at least 0" in response.content.decode()
    assert Score.objects.get(tool=a, criterion__key="price").value == 30

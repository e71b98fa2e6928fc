"""The score grid page: only the cells a user changed are written, clearing is explicit,
and a page loaded before someone else's change never overwrites it unasked."""

from html.parser import HTMLParser

from selector.models import Membership, Score
from tests.factories import MembershipFactory, scored_tool

GRID = "/tools/scores/?profile=menlo-2024-app-selection"


class _FormFields(HTMLParser):
    """What a browser would post from the grid's form: named inputs (checkboxes only
    when ticked)."""

    def __init__(self):
        super().__init__()
        self.in_grid = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post":
            self.in_grid = attrs.get("id") == "score-grid-form"
        if tag != "input" or not self.in_grid or not attrs.get("name"):
            return
        if attrs.get("type") == "checkbox" and "checked" not in attrs:
            return
        self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_grid = False


def page_fields(client) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(client.get(GRID).content.decode())
    return parser.fields


def values(tool) -> dict[str, float]:
    return {s.criterion.key: s.value for s in tool.scores.select_related("criterion")}


def test_posting_one_cell_keeps_the_tools_other_scores(member_client, three_tools):
    a = three_tools[0]
    response = member_client.post(GRID, {f"cell-{a.pk}-roi": "2"})
    assert response.status_code == 302
    assert values(a) == {"roi": 2, "industry_customization": 3, "price": 30}


def test_posting_the_page_back_unchanged_writes_nothing(member_client, three_tools):
    fields = page_fields(member_client)
    assert fields[f"cell-{three_tools[0].pk}-roi"] == "4"
    before = list(Score.objects.order_by("pk").values())
    assert member_client.post(GRID, fields).status_code == 302
    assert list(Score.objects.order_by("pk").values()) == before


def test_a_stale_page_does_not_overwrite_cells_the_user_left_alone(
    member_client, three_tools
):
    a, b, _ = three_tools
    fields = page_fields(member_client)
    # Someone else changes A's ROI after the page was loaded ...
    Score.objects.filter(tool=a, criterion__key="roi").update(value=1)
    # ... and this user changes only B's ROI.
    fields[f"cell-{b.pk}-roi"] = "5"
    assert member_client.post(GRID, fields).status_code == 302
    assert values(a)["roi"] == 1
    assert values(b)["roi"] == 5


def test_a_cell_changed_by_someone_else_and_by_the_user_asks_first(
    member_client, three_tools
):
    a = three_tools[0]
    fields = page_fields(member_client)
    Score.objects.filter(tool=a, criterion__key="roi").update(value=1)
    fields[f"cell-{a.pk}-roi"] = "5"
    fields[f"cell-{a.pk}-price"] = "35"
    response = member_client.post(GRID, fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed to 1 since this page was loaded" in page
    assert values(a) == {"roi": 1, "industry_customization": 3, "price": 30}
    # Saving again (the page now knows the other value) replaces it.
    parser = _FormFields()
    parser.feed(page)
    assert parser.fields[f"cell-{a.pk}-roi"] == "5"
    assert member_client.post(GRID, parser.fields).status_code == 302
    assert values(a) == {"roi": 5, "industry_customization": 3, "price": 35}


def test_ticking_clear_removes_the_score(member_client, three_tools):
    a = three_tools[0]
    fields = page_fields(member_client)
    fields[f"clear-{a.pk}-roi"] = "on"
    assert member_client.post(GRID, fields).status_code == 302
    assert values(a) == {"industry_customization": 3, "price": 30}


def test_only_scored_cells_offer_clear(member_client, member, three_tools):
    a = three_tools[0]
    a.scores.filter(criterion__key="roi").delete()
    page = member_client.get(GRID).content.decode()
    assert f'name="clear-{a.pk}-price"' in page
    assert f'name="clear-{a.pk}-roi"' not in page


def test_erasing_a_value_without_ticking_clear_saves_nothing(
    member_client, three_tools
):
    a, b, _ = three_tools
    fields = page_fields(member_client)
    fields[f"cell-{a.pk}-roi"] = ""
    fields[f"cell-{b.pk}-roi"] = "5"
    response = member_client.post(GRID, fields)
    assert response.status_code == 200
    assert "tick Clear" in response.content.decode()
    assert values(a)["roi"] == 4
    assert values(b)["roi"] == 3


def test_a_new_value_and_clear_together_are_refused(member_client, three_tools):
    a = three_tools[0]
    fields = page_fields(member_client)
    fields[f"cell-{a.pk}-roi"] = "5"
    fields[f"clear-{a.pk}-roi"] = "on"
    response = member_client.post(GRID, fields)
    assert response.status_code == 200
    assert "either a new score or Clear" in response.content.decode()
    assert values(a)["roi"] == 4


def test_an_empty_cell_posted_alone_changes_nothing(member_client, three_tools):
    a = three_tools[0]
    assert member_client.post(GRID, {f"cell-{a.pk}-roi": ""}).status_code == 302
    assert values(a)["roi"] == 4


def test_a_new_cell_is_scored(member_client, three_tools):
    a = three_tools[0]
    a.scores.filter(criterion__key="roi").delete()
    fields = page_fields(member_client)
    assert fields[f"cell-{a.pk}-roi"] == ""
    fields[f"cell-{a.pk}-roi"] = "3"
    assert member_client.post(GRID, fields).status_code == 302
    assert values(a)["roi"] == 3


def test_changing_a_value_keeps_its_bounds_and_evidence(member_client, three_tools):
    a = three_tools[0]
    Score.objects.filter(tool=a, criterion__key="roi").update(
        low=3, high=5, evidence="Pilot, Q3"
    )
    fields = page_fields(member_client)
    fields[f"cell-{a.pk}-roi"] = "4.5"
    assert member_client.post(GRID, fields).status_code == 302
    roi = a.scores.get(criterion__key="roi")
    assert (roi.value, roi.low, roi.high, roi.evidence) == (4.5, 3, 5, "Pilot, Q3")


def test_a_value_outside_the_scores_bounds_is_a_cell_error(member_client, three_tools):
    a = three_tools[0]
    Score.objects.filter(tool=a, criterion__key="roi").update(low=3, high=4)
    response = member_client.post(GRID, {f"cell-{a.pk}-roi": "5"})
    assert response.status_code == 200
    assert "high bound (4) is below the value" in response.content.decode()
    assert values(a)["roi"] == 4


def test_the_page_shows_values_exactly(member_client, member, three_tools):
    a = three_tools[0]
    Score.objects.filter(tool=a, criterion__key="price").update(value=1234567.25)
    fields = page_fields(member_client)
    assert fields[f"cell-{a.pk}-price"] == "1234567.25"
    assert member_client.post(GRID, fields).status_code == 302
    assert values(a)["price"] == 1234567.25


def test_a_bad_cell_keeps_what_the_user_typed_everywhere(member_client, three_tools):
    a, b, _ = three_tools
    fields = page_fields(member_client)
    fields[f"cell-{a.pk}-roi"] = "2"
    fields[f"cell-{b.pk}-roi"] = "nine"
    response = member_client.post(GRID, fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "not a number" in page
    parser = _FormFields()
    parser.feed(page)
    assert parser.fields[f"cell-{a.pk}-roi"] == "2"
    assert parser.fields[f"shown-{a.pk}-roi"] == "4"
    assert values(a)["roi"] == 4


def test_another_workspaces_tool_cannot_be_posted(member_client, three_tools):
    stranger = MembershipFactory().workspace
    other = scored_tool(stranger, "Other", roi=1)
    assert member_client.post(GRID, {f"cell-{other.pk}-roi": "5"}).status_code == 302
    assert values(other) == {"roi": 1}


def test_viewers_cannot_post_the_grid(client, member, three_tools):
    viewer = MembershipFactory(workspace=member[1], role=Membership.Role.VIEWER).user
    client.force_login(viewer)
    a = three_tools[0]
    assert client.post(GRID, {f"cell-{a.pk}-roi": "1"}).status_code == 403
    assert values(a)["roi"] == 4

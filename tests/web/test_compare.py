"""The evaluation's tools side by side (/evaluations/<id>/compare/): facts and entered
scores as rows, each score row's best value marked (highest for a benefit, lowest for a
cost; ties all marked; missing is shown and never best); scoped to the workspace."""

from html.parser import HTMLParser

import pytest

from selector.models import Membership
from selector.presenters.compare import best_columns
from tests.factories import EvaluationFactory, MembershipFactory, score, scored_tool


class Table(HTMLParser):
    """The comparison table's rows, ``{criterion key or "fact:<key>": [(classes,
    text)]}``, and its header (the tools' names)."""

    def __init__(self, page: str):
        super().__init__()
        self.rows, self.header, self.row, self.cell = {}, [], None, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            fact = attrs.get("data-fact")
            self.row = f"fact:{fact}" if fact else attrs.get("data-criterion")
            if self.row:
                self.rows[self.row] = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = [tag, attrs.get("class") or "", ""]
        elif tag == "th" and self.row is None:
            self.cell = ["head", "", ""]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            kind, classes, text = self.cell
            if kind == "td":
                self.rows[self.row].append((classes.split(), " ".join(text.split())))
            elif kind == "head":
                self.header.append(" ".join(text.split()))
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data

    def best(self, key: str) -> list[str]:
        tools = self.header[1:]
        return [
            t
            for t, (cls, _) in zip(tools, self.rows[key], strict=True)
            if "best" in cls
        ]

    def texts(self, key: str) -> list[str]:
        return [text for _, text in self.rows[key]]


@pytest.fixture
def evaluation(member):
    _, workspace = member
    a = scored_tool(workspace, "A", roi=4, industry_customization=3)
    score(a, "price", 30, low=25, high=35, evidence="vendor page, May 2026")
    score(a, "implementation_costs", 2)
    score(a, "security_safety", 2)
    b = scored_tool(workspace, "B", roi=5, industry_customization=3, price=20)
    c = scored_tool(
        workspace,
        "C",
        roi=5,
        industry_customization=1,
        price=20,
        implementation_costs=4,
    )
    for tool, vendor in ((a, "Anthropic"), (b, ""), (c, "Glean")):
        tool.vendor, tool.url = vendor, f"https://example.com/{tool.name.lower()}"
        tool.save()
    scored_tool(workspace, "Left out", roi=1, price=1)  # not in the evaluation
    return EvaluationFactory(workspace=workspace, tools=[c, a, b])


def compare_page(client, evaluation) -> Table:
    response = client.get(f"/evaluations/{evaluation.pk}/compare/")
    assert response.status_code == 200
    return Table(response.content.decode())


def test_each_score_row_marks_its_best_values(member_client, evaluation):
    table = compare_page(member_client, evaluation)
    assert table.header == ["Tool", "A", "B", "C"]  # by name; "Left out" is not here
    # Worked by hand from the fixture: roi 4/5/5 (benefit), customization 3/3/1
    # (benefit), price 30/20/20 (cost), implementation costs 2/-/4 (cost), security
    # and safety 2/-/- (benefit, one value).
    assert {key: table.best(key) for key in table.rows if key in SCORED} == {
        "roi": ["B", "C"],
        "industry_customization": ["A", "B"],
        "price": ["B", "C"],
        "implementation_costs": ["A"],
        "security_safety": ["A"],
    }


SCORED = {
    "roi",
    "industry_customization",
    "price",
    "implementation_costs",
    "security_safety",
}


def test_rows_are_the_profiles_criteria_then_the_rest_by_name(
    member_client, evaluation
):
    table = compare_page(member_client, evaluation)
    scored = [key for key in table.rows if key in SCORED]
    # The app-selection profile weighs roi 30, customization 26, price 1; then
    # "Implementation costs" < "Security and safety".
    assert scored == [
        "roi",
        "industry_customization",
        "price",
        "implementation_costs",
        "security_safety",
    ]
    assert [key for key in table.rows if key.startswith("fact:")] == [
        "fact:vendor",
        "fact:category",
        "fact:model_provider",
        "fact:openness",
        "fact:deployment",
        "fact:price",
        "fact:url",
    ]


def test_a_missing_score_is_shown_as_missing_and_never_best(member_client, evaluation):
    table = compare_page(member_client, evaluation)
    assert table.texts("implementation_costs") == ["2 Best", "Missing", "4"]
    assert table.texts("security_safety") == ["2 Best", "Missing", "Missing"]
    assert table.rows["implementation_costs"][1][0] == ["num"]


def test_a_score_shows_its_unit_range_and_evidence(member_client, evaluation):
    page = member_client.get(f"/evaluations/{evaluation.pk}/compare/").content.decode()
    table = Table(page)
    assert table.texts("roi")[0] == "4"
    price_cells = table.rows["price"]
    assert price_cells[0][1] == (
        "30 USD/seat/month range 25 to 35 vendor page, May 2026"
    )
    assert price_cells[1][1] == "20 USD/seat/month Best"


def test_the_facts_rows_show_each_tool(member_client, evaluation):
    page = member_client.get(f"/evaluations/{evaluation.pk}/compare/").content.decode()
    facts = Table(page)
    assert facts.texts("fact:vendor") == ["Anthropic", "Missing", "Glean"]
    assert facts.texts("fact:category") == ["Chat assistant"] * 3
    assert facts.texts("fact:model_provider") == ["Missing"] * 3
    assert facts.texts("fact:openness") == ["Closed"] * 3
    assert facts.texts("fact:deployment") == ["SaaS"] * 3
    assert facts.texts("fact:price") == ["$30 ($25 to $35)", "$20", "$20"]
    assert facts.texts("fact:url") == [f"https://example.com/{n}" for n in "abc"]
    assert 'href="https://example.com/a" rel="noopener noreferrer"' in page
    assert all("best" not in classes for classes, _ in facts.rows["fact:price"])


@pytest.mark.parametrize(
    ("values", "direction", "best"),
    [
        ([3, 5, 5, None], "benefit", {1, 2}),
        ([3, 5, 5, None], "cost", {0}),
        ([None, None], "benefit", set()),
        ([0.1 + 0.2, 0.3], "benefit", {0}),  # 0.30000000000000004 > 0.3
        ([-1, None, -1], "cost", {0, 2}),
    ],
)
def test_the_best_columns_follow_the_direction(values, direction, best):
    assert best_columns(values, direction) == best


def test_the_result_page_links_to_the_comparison(member_client, evaluation):
    page = member_client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    assert f'href="/evaluations/{evaluation.pk}/compare/"' in page


def test_a_viewer_sees_the_comparison(client, evaluation):
    viewer = MembershipFactory(
        workspace=evaluation.workspace, role=Membership.Role.VIEWER
    ).user
    client.force_login(viewer)
    assert compare_page(client, evaluation).best("roi") == ["B", "C"]


def test_another_workspaces_evaluation_is_a_404(member_client, foreign_evaluation):
    _, evaluation = foreign_evaluation
    response = member_client.get(f"/evaluations/{evaluation.pk}/compare/")
    assert response.status_code == 404


def test_the_comparison_needs_a_login(client, evaluation):
    response = client.get(f"/evaluations/{evaluation.pk}/compare/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_an_evaluation_without_tools_says_so(member_client, member):
    evaluation = EvaluationFactory(workspace=member[1])
    page = member_client.get(f"/evaluations/{evaluation.pk}/compare/").content.decode()
    assert "This evaluation has no tools yet." in page


QUERIES = 7


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_runs_the_same_queries_whatever_the_tools(
    member_client, member, count, django_assert_num_queries
):
    _, workspace = member
    tools = [
        scored_tool(workspace, f"T{i:02}", roi=1 + i % 5, price=i) for i in range(count)
    ]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    # Session, user, membership; the evaluation; its tools, their scores, the
    # profile's criterion order (selectors.compared_tools).
    with django_assert_num_queries(QUERIES):
        table = compare_page(member_client, evaluation)
    # Brute force: roi 1 + i % 5 (benefit) is best where it is largest; price i
    # (cost) is lowest for T00.
    top = max(1 + i % 5 for i in range(count))
    assert table.best("roi") == [f"T{i:02}" for i in range(count) if 1 + i % 5 == top]
    assert table.best("price") == ["T00"]

"""A tool's price is its ``price`` score: the tool form edits it, the tool list shows
it with its range, and the next ranking uses what the form saved."""

import pytest
from numpy.testing import assert_allclose

from selector.services.runs import start_run
from tests.factories import EvaluationFactory, score, scored_tool
from tests.web.test_tools import TOOL_FORM


def ranking(user, evaluation, capture) -> list[tuple[str, int, float]]:
    with capture(execute=True):
        run = start_run(user=user, evaluation=evaluation)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return [(r.tool_name, r.rank, r.score) for r in run.results.order_by("rank")]


def test_changing_the_price_on_the_tool_form_changes_the_next_ranking(
    member_client, member, django_capture_on_commit_callbacks
):
    user, workspace = member
    p = scored_tool(workspace, "P", roi=4, industry_customization=4, price=20)
    q = scored_tool(workspace, "Q", roi=4, industry_customization=4, price=30)
    r = scored_tool(workspace, "R", roi=2, industry_customization=2, price=50)
    evaluation = EvaluationFactory(workspace=workspace, tools=[p, q, r])
    # Weighted sum of min-max normalised columns, weights roi 30, customization 26,
    # price 1 (of 57, the app-selection profile). P and Q tie but on price.
    # Prices 20, 30, 50: P 1, Q (50 - 30) / 30 = 2/3, R 0.
    before = ranking(user, evaluation, django_capture_on_commit_callbacks)
    assert [name for name, _, _ in before] == ["P", "Q", "R"]
    assert_allclose([s for _, _, s in before], [1, (56 + 2 / 3) / 57, 0], atol=1e-12)

    response = member_client.post(
        f"/tools/{p.pk}/",
        {
            **TOOL_FORM,
            "name": "P",
            "score_roi": "4",
            "score_industry_customization": "4",
            "score_price": "40",
        },
    )
    assert response.status_code == 302
    # Prices 40, 30, 50: P (50 - 40) / 20 = 1/2, Q 1, R 0.
    after = ranking(user, evaluation, django_capture_on_commit_callbacks)
    assert [(name, rank) for name, rank, _ in after] == [("Q", 1), ("P", 2), ("R", 3)]
    assert_allclose([s for _, _, s in after], [1, 56.5 / 57, 0], atol=1e-12)


@pytest.mark.parametrize(
    ("bounds", "shown"),
    [
        ({}, "$19.50</td>"),
        (
            {"low": 15, "high": 25.25},
            '$19.50 <span class="muted price-range">($15 to $25.25)</span>',
        ),
        ({"low": 15}, '$19.50 <span class="muted price-range">(from $15)</span>'),
        ({"high": 30}, '$19.50 <span class="muted price-range">(up to $30)</span>'),
    ],
)
def test_the_tool_list_shows_the_price_score_with_its_range(
    member_client, member, bounds, shown
):
    _, workspace = member
    tool = scored_tool(workspace, "Copilot", roi=4)
    score(tool, "price", 19.5, **bounds)
    scored_tool(workspace, "Unpriced", roi=3)
    page = member_client.get("/tools/").content.decode()
    assert "Price" in page and "List price" not in page
    row = page.split(">Copilot</a>", 1)[1].split("</tr>", 1)[0]
    assert shown in row
    unpriced = page.split(">Unpriced</a>", 1)[1].split("</tr>", 1)[0]
    assert "$" not in unpriced


def test_the_tool_form_has_no_second_price_field(member_client, member):
    page = member_client.get("/tools/new/").content.decode()
    assert 'name="list_price"' not in page
    assert 'name="score_price"' in page

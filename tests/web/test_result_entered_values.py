"""The ranking shows the values people entered beside each contribution, from the
run's snapshot (issue 13 item 2), and its explanations say what the run did (item 10).

Hand computation for the ``three_tools`` fixture under the app-selection profile
(weights 30, 26, 1 of 57) with min-max normalization:
ROI 4, 3, 5 -> 0.5, 0, 1; industry customization 3, 5, 2 -> 1/3, 1, 0;
price (cost) 30, 20, 60 -> 0.75, 1, 0. Contributions are weight share x value:
A's ROI 0.5 x 30/57 = 0.263; B's ROI 0 x 30/57 = 0.000; C's ROI 30/57 = 0.526;
B's industry customization 26/57 = 0.456, B's price 1/57 = 0.018.
"""

from html.parser import HTMLParser

import pytest

from selector.models import Run, Score
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def _run(client, evaluation, capture) -> Run:
    with capture(execute=True):
        client.post(f"/evaluations/{evaluation.pk}/run/")
    return Run.objects.filter(evaluation=evaluation).latest("id")


class _TableRows(HTMLParser):
    """The text of each body cell of the table with the given id, row by row."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows = table_id, False, []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.inside = dict(attrs).get("id") == self.table_id
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "td":
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join(" ".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _row(page: str, tool: str) -> list[str]:
    """The ranking table's cells of one tool's row, as text."""
    parser = _TableRows("ranking-table")
    parser.feed(page)
    return next(row for row in parser.rows if row and row[1] == tool)


def _hint(page: str, id_: str) -> str:
    return " ".join(page.split(f'id="{id_}">')[1].split("</p>")[0].split())


@pytest.fixture
def evaluation(member, three_tools):
    Score.objects.filter(tool=three_tools[0], criterion__key="roi").update(
        low=3.5, high=4.5, evidence="Vendor case study, March 2024"
    )
    return EvaluationFactory(
        workspace=member[1], tools=three_tools, normalization="minmax"
    )


def test_each_contribution_stands_beside_the_value_entered(
    member_client, evaluation, django_capture_on_commit_callbacks
):
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)

    page = member_client.get(f"/runs/{run.pk}/").content.decode()

    # rank, tool, score, ROI, industry customization, price, first in
    a, b, c = _row(page, "A"), _row(page, "B"), _row(page, "C")
    assert b[2] == "0.474"  # 26/57 + 1/57
    assert b[3] == "0.000 3"  # rated 3, the lowest: min-max gives it 0
    assert b[4] == "0.456 5" and b[5] == "0.018 20 USD/seat/month"
    assert a[3].startswith("0.263 4 (3.5–4.5) Evidence")
    assert "Vendor case study, March 2024" in a[3]
    assert c[3] == "0.526 5" and c[5] == "0.000 60 USD/seat/month"
    assert 'title="Vendor case study, March 2024"' in page  # on hover too


def test_the_values_come_from_the_snapshot_not_the_scores_now(
    member_client, evaluation, three_tools, django_capture_on_commit_callbacks
):
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)
    assert run.inputs["evidence"][0] == ["Vendor case study, March 2024", "", ""]
    Score.objects.filter(tool=three_tools[1], criterion__key="roi").update(
        value=1, evidence="Changed later"
    )

    page = member_client.get(f"/runs/{run.pk}/").content.decode()

    assert _row(page, "B")[3] == "0.000 3"
    assert "Changed later" not in page


def test_a_run_snapshotted_before_evidence_was_kept_shows_none(
    member_client, evaluation, django_capture_on_commit_callbacks
):
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)
    inputs = {k: v for k, v in run.inputs.items() if k != "evidence"}
    Run.objects.filter(pk=run.pk).update(inputs=inputs)

    page = member_client.get(f"/runs/{run.pk}/").content.decode()

    assert _row(page, "A")[3] == "0.263 4 (3.5–4.5)"
    assert "Vendor case study" not in page and "<details" not in page


def test_the_page_says_what_min_max_does(
    member_client, evaluation, django_capture_on_commit_callbacks
):
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)

    page = member_client.get(f"/runs/{run.pk}/").content.decode()

    sentence = _hint(page, "normalization-explanation")
    assert "the lowest candidate gets 0 on that criterion" in sentence
    assert "normalisation" not in page


def test_unadjusted_survey_weights_are_drawn_around_them_in_both_hints(
    member_client, evaluation, django_capture_on_commit_callbacks
):
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)
    assert run.robustness["concentration"] == 599  # 600 respondents - 1

    page = member_client.get(f"/runs/{run.pk}/").content.decode()

    first_in, draws = (
        _hint(page, "first-in-explanation"),
        _hint(page, "draws-explanation"),
    )
    assert "2,000 weight draws, centered on these weights" in first_in
    assert "Dirichlet distribution centered on these weights" in draws
    assert "600 respondents" in draws
    assert "uniformly" not in first_in + draws


def test_saved_adjusted_weights_are_drawn_uniformly_in_both_hints(
    member_client, evaluation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            f"/evaluations/{evaluation.pk}/run/",
            {
                "save_weights": "1",
                "w-roi": "30",
                "w-industry_customization": "10",
                "w-price": "1",
            },
        )
    run = Run.objects.filter(evaluation=evaluation).latest("id")
    assert run.robustness["concentration"] is None

    page = member_client.get(evaluation.get_absolute_url()).content.decode()

    first_in, draws = (
        _hint(page, "first-in-explanation"),
        _hint(page, "draws-explanation"),
    )
    assert "spread uniformly over all weight vectors" in first_in
    assert "spread uniformly over all weight vectors" in draws
    assert "centered on these weights" not in first_in + draws
    assert "around these weights" not in first_in.replace("(not around these", "")


def test_the_weights_card_says_the_shares_were_rescaled(
    member_client, evaluation, django_capture_on_commit_callbacks
):
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)

    page = member_client.get(f"/runs/{run.pk}/").content.decode()

    card = page.split('id="weights"')[1].split("</section>")[0]
    assert "53%" in card and "30% — Measurable ROI" in card  # 30 / 57 = 52.6%
    assert "rescaled to add up to 100%" in card


def test_without_contributions_the_columns_still_show_the_values_entered(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=member[1], tools=three_tools, method="vikor"
    )
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)

    page = member_client.get(f"/runs/{run.pk}/").content.decode()

    assert _row(page, "B")[3:6] == ["3", "5", "20 USD/seat/month"]
    assert "Each criterion column shows the value entered" in _hint(
        page, "method-explanation"
    )
    assert "the lowest Q ranks first" in _hint(page, "method-explanation")


def test_promethee_says_it_uses_no_normalization(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=member[1], tools=three_tools, method="promethee2"
    )
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)

    page = member_client.get(f"/runs/{run.pk}/").content.decode()

    assert "uses no normalization" in _hint(page, "normalization-explanation")
    assert "computed exactly" in _hint(page, "stability-explanation")


def test_a_missing_score_filled_with_the_worst_says_so(
    member_client, member, three_tools, django_capture_on_commit_callbacks
):
    Score.objects.filter(tool=three_tools[1], criterion__key="roi").delete()
    evaluation = EvaluationFactory(
        workspace=member[1],
        tools=three_tools,
        normalization="minmax",
        missing_scores="worst",
    )
    run = _run(member_client, evaluation, django_capture_on_commit_callbacks)

    page = member_client.get(f"/runs/{run.pk}/").content.decode()

    assert _row(page, "B")[3] == "0.000 missing, counted as 4"  # worst of 4 and 5

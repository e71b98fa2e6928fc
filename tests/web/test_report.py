"""The decision report page of a done run: winner, ranking with the scores and their
evidence, weights with their survey source and evidence level, stability, the chart as
SVG, missing scores, method, run id and engine version; its Markdown; 404 and 409."""

import re

import pytest
from django.utils.html import escape

from selector import engine
from selector.models import Criterion, Evaluation, Run, Score
from selector.presenters.verdict import run_verdict, what_it_takes_rows
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_run(member, three_tools, member_client, django_capture_on_commit_callbacks):
    """A done run of A, B, C (C ranks first, then B, then A), C's ROI with evidence."""
    user, _ = member
    user.first_name, user.last_name = "Ada", "Lovelace"
    user.save()
    Score.objects.filter(tool__name="C", criterion__key="roi").update(
        evidence="Pilot with 40 users, Q3 <2024>"
    )
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools, name="Copilot choice"
    )
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    return Run.objects.get(status=Run.Status.DONE)


def page(client, run) -> str:
    response = client.get(f"/runs/{run.pk}/report/")
    assert response.status_code == 200
    return response.content.decode()


def ranking_names(html: str) -> list[str]:
    table = html.split('id="ranking-table"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row">([^<]+)</th>', table)


def test_the_report_names_the_evaluation_the_winner_and_who_ran_it_when(
    member_client, done_run
):
    html = page(member_client, done_run)
    assert "<h1>Copilot choice</h1>" in html
    assert "C ranks first under Weighted sum." in html
    date = done_run.finished_at.strftime("%-d %B %Y, %H:%M")
    assert f"Run #{done_run.pk}, {date}, started by Ada Lovelace." in html


def test_the_ranking_lists_every_tool_by_rank_with_the_scores_entered(
    member_client, done_run
):
    html = page(member_client, done_run)
    assert ranking_names(html) == ["C", "B", "A"]
    table = html.split('id="ranking-table"')[1].split("</table>")[0]
    c_row = table.split('<th scope="row">C</th>')[1].split("</tr>")[0]
    # C's scores as entered: ROI 5 (with evidence note 1), fit 2, price 60
    cells = re.findall(r'<td class="num">([^<]*)', c_row)
    assert cells[1:4] == ["5", "2", "60"]
    assert "<sup>1</sup>" in c_row


def test_the_evidence_of_a_score_is_quoted_escaped(member_client, done_run):
    html = page(member_client, done_run)
    notes = html.split('id="evidence-notes"')[1].split("</ol>")[0]
    assert (
        "<strong>C, Measurable ROI:</strong> Pilot with 40 users, Q3 &lt;2024&gt;"
        in notes
    )


def test_the_weights_show_their_survey_figure_and_evidence_level(
    member_client, done_run
):
    html = page(member_client, done_run)
    weights = html.split('id="weights"')[1].split("</section>")[0]
    sources = {s["criterion"]: s for s in done_run.inputs["weight_sources"]}
    roi = sources["roi"]["benchmark"]
    assert roi["label"] in weights and roi["survey_title"] in weights
    assert roi["evidence_level"]
    assert f'evidence-{roi["evidence_level"]}">{roi["evidence_level"]}</span>' in (
        weights
    )
    # Shares of the three weights, each whole percent of their sum
    total = sum(done_run.inputs["weights"])
    for criterion, weight in zip(
        done_run.inputs["criteria"], done_run.inputs["weights"], strict=True
    ):
        row = weights.split(criterion["name"], 1)[1].split("</tr>")[0]
        assert f'<td class="num">{round(100 * weight / total)}%</td>' in row


def test_the_report_carries_the_run_id_engine_version_stability_and_method(
    member_client, done_run
):
    html = page(member_client, done_run)
    footer = html.split('id="provenance"')[1]
    assert f"Run #{done_run.pk} · engine version {engine.ENGINE_VERSION}" in footer
    stability = html.split('id="stability"')[1].split("</section>")[0]
    assert stability.count("<li>") == 3 and "C stays first" in stability
    assert "The weighted sum puts every criterion on a common scale" in html
    assert "no score was filled in" in html


def test_the_rank_chart_is_server_drawn_svg_with_one_bar_per_tool(
    member_client, done_run
):
    html = page(member_client, done_run)
    chart = html.split('id="acceptability"')[1].split("</section>")[0]
    assert "<svg" in chart and "<canvas" not in chart and "<script" not in html
    assert chart.count('<g class="acceptability-row">') == 3


def test_the_report_is_linked_from_the_result_page(member_client, done_run):
    html = member_client.get(f"/runs/{done_run.pk}/").content.decode()
    assert f'href="/runs/{done_run.pk}/report/"' in html


def test_missing_scores_filled_as_worst_are_said_and_marked(
    member, member_client, django_capture_on_commit_callbacks
):
    _, workspace = member
    tools = [
        scored_tool(workspace, "Full", roi=4, industry_customization=3, price=30),
        scored_tool(workspace, "Other", roi=2, industry_customization=5, price=40),
        scored_tool(workspace, "Gappy", roi=5, price=20),
    ]
    evaluation = EvaluationFactory(
        workspace=workspace,
        tools=tools,
        missing_scores=Evaluation.MissingScores.WORST,
    )
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    html = page(member_client, Run.objects.get(status=Run.Status.DONE))
    missing = html.split('id="missing"')[1].split("</section>")[0]
    assert "1 missing score was counted as the worst value" in missing
    # the worst industry-customization score among the tools is Full's 3
    name = Criterion.objects.get(key="industry_customization").name
    assert f"<li>Gappy, {name}: 3</li>" in missing


def test_another_workspaces_run_is_a_404(
    member_client, foreign_evaluation, django_capture_on_commit_callbacks, client
):
    owner, evaluation = foreign_evaluation
    other = client.__class__()
    other.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        other.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.get(evaluation=evaluation)
    for suffix in ("report/", "report.pdf", "report.md"):
        assert member_client.get(f"/runs/{run.pk}/{suffix}").status_code == 404


def test_a_run_not_done_answers_409_saying_so(member_client, done_run):
    queued = Run.objects.create(evaluation=done_run.evaluation, inputs=done_run.inputs)
    for suffix in ("report/", "report.pdf", "report.md"):
        response = member_client.get(f"/runs/{queued.pk}/{suffix}")
        assert response.status_code == 409
        assert (
            f"Run #{queued.pk} is queued: its report is ready once the run is done."
            in response.content.decode()
        )


def test_the_markdown_says_the_same_with_typed_text_escaped(member_client, done_run):
    response = member_client.get(f"/runs/{done_run.pk}/report.md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Copilot choice\n")
    assert "C ranks first under Weighted sum." in text
    rows = [line for line in text.splitlines() if re.match(r"\| \d+ \| ", line)]
    assert [row.split(" | ")[1] for row in rows] == ["C", "B", "A"]
    assert rows[0].split(" | ")[3:6] == ["5 [1]", "2", "60"]
    assert "1. **C, Measurable ROI:** Pilot with 40 users, Q3 \\<2024\\>" in text
    assert f"Run #{done_run.pk} · engine version {engine.ENGINE_VERSION}" in text
    assert "C stays first" in text


def test_a_failed_run_says_it_has_no_report(member_client, done_run):
    failed = Run.objects.create(
        evaluation=done_run.evaluation,
        inputs=done_run.inputs,
        status=Run.Status.FAILED,
        error="the engine refused the data",
    )
    response = member_client.get(f"/runs/{failed.pk}/report/")
    assert response.status_code == 409
    assert (
        f"Run #{failed.pk} failed, so it has no report. Start a new run of the "
        "evaluation to get one." in response.content.decode()
    )


def test_a_run_snapshotted_before_evidence_was_kept_still_has_a_report(
    member_client, done_run
):
    inputs = {key: value for key, value in done_run.inputs.items() if key != "evidence"}
    Run.objects.filter(pk=done_run.pk).update(inputs=inputs)
    html = page(member_client, done_run)
    assert ranking_names(html) == ["C", "B", "A"]
    assert 'id="evidence-notes"' not in html


def test_the_verdict_is_under_the_title_and_what_it_takes_after_the_ranking(
    member_client, done_run
):
    html = page(member_client, done_run)
    results = list(done_run.results.order_by("rank", "tool_name"))
    verdict = run_verdict(done_run.inputs, done_run.robustness, results)
    rows = what_it_takes_rows(done_run.inputs, done_run.robustness, results)
    assert verdict["sentence"].startswith("C ") and rows
    assert escape(verdict["sentence"]) in html
    assert html.index("</h1>") < html.index('id="verdict"') < html.index('id="ranking"')
    taking = html.index('id="what-it-takes"')
    assert html.index('id="ranking-table"') < taking < html.index('id="stability"')
    assert escape(rows[0]["sentence"]) in html[taking:]
    text = member_client.get(f"/runs/{done_run.pk}/report.md").content.decode()
    assert f"**{verdict['sentence']}**" in text
    assert "## What it would take" in text

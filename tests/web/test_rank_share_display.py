"""The rank chart and the Monte Carlo table show every rank, or the first five and
"lower", each tool's row adding up to exactly 100% (issue 13 item 7)."""

import re

import pytest

from selector.models import Run
from selector.presenters.rank_shares import percent_rows
from selector.services.batches import start_batch
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db

RANKS_AND_LOWER = ["Rank 1", "Rank 2", "Rank 3", "Rank 4", "Rank 5", "Lower"]


def _seven_tools(workspace):
    return [
        scored_tool(
            workspace,
            f"T{i}",
            roi=1 + i % 5,
            industry_customization=1 + (i * 2) % 5,
            price=10 + 7 * i,
        )
        for i in range(7)
    ]


def test_the_rank_chart_carries_every_rank_and_rows_sum_to_100(
    member_client, member, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(workspace=member[1], tools=_seven_tools(member[1]))
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    chart = member_client.get(f"/evaluations/{evaluation.pk}/").context[
        "acceptability_chart"
    ]
    assert [d["label"] for d in chart["datasets"]] == RANKS_AND_LOWER
    rows = list(zip(*(d["data"] for d in chart["datasets"]), strict=True))
    assert [sum(row) for row in rows] == [100] * 7
    run = Run.objects.get()
    index = {t["name"]: i for i, t in enumerate(run.inputs["tools"])}
    expected = percent_rows(run.robustness["acceptability"])
    assert [list(row) for row in rows] == [
        expected[index[name]] for name in chart["labels"]
    ]


def test_the_monte_carlo_table_shows_every_rank_and_rows_sum_to_100(
    member_client, member, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(workspace=member[1], tools=_seven_tools(member[1]))
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_batch(
            user=member[0],
            evaluation=evaluation,
            kind="smaa",
            samples=400,
            chunk_size=200,
        )
    html = member_client.get(f"/batches/{batch.pk}/").content.decode()
    table = html.split('id="batch-smaa"')[1].split("</table>")[0]
    header = re.findall(r"<th[^>]*>([^<]*)</th>", table.split("</thead>")[0])
    assert header == ["Tool", *RANKS_AND_LOWER]
    rows = re.findall(r"<tr><td>T\d</td>(.*?)</tr>", table)
    assert len(rows) == 7
    for row in rows:
        cells = [int(c) for c in re.findall(r">(\d+)%</td>", row)]
        assert len(cells) == 6 and sum(cells) == 100

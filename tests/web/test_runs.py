"""The result pages: the ranking of an evaluation's latest run, in a bounded number of
queries, and its CSV export."""

import pytest

from selector.models import Run
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db


def test_the_result_exports_as_csv(
    member_client, three_tools, django_capture_on_commit_callbacks
):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.get()
    lines = (
        member_client.get(f"/runs/{run.pk}/export.csv").content.decode().splitlines()
    )
    assert (
        lines[0]
        == "rank,tool,score,contribution_roi,contribution_industry_customization,contribution_price"
    )
    assert [line.split(",")[1] for line in lines[1:]] == ["C", "B", "A"]


@pytest.mark.parametrize("count", [3, 25])
def test_the_result_page_runs_a_bounded_number_of_queries(
    member_client,
    member,
    count,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    tools = [
        scored_tool(
            member[1],
            f"T{i:02}",
            roi=1 + i % 5,
            industry_customization=1 + i % 3,
            price=10 + i,
        )
        for i in range(count)
    ]
    evaluation = EvaluationFactory(workspace=member[1], tools=tools)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    with django_assert_max_num_queries(16):
        response = member_client.get(f"/evaluations/{evaluation.pk}/")
    assert response.status_code == 200
    ranked = [row["result"].tool_name for row in response.context["ranking"]]
    assert sorted(ranked) == [tool.name for tool in tools]
    assert all(f"<td>{tool.name}</td>" in response.content.decode() for tool in tools)

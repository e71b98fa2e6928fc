"""The evaluation's run list (issue 13 item 8): each run with its kind, method and
winner; Monte Carlo chunk runs only on their batch's page; the evaluation's batches
linked from it; a bounded number of queries however many runs there are."""

import html
import re

import pytest

from selector.models import Batch, Run
from selector.services.batches import start_batch
from tests.factories import EvaluationFactory, scored_tool

pytestmark = pytest.mark.django_db


def _history(page: str) -> list[list[str]]:
    """The run list's rows as the text of their cells."""
    body = page.split('id="history"')[1].split("</tbody>")[0].split("<tbody>")[1]
    return [
        [
            " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def evaluation(member, three_tools):
    return EvaluationFactory(workspace=member[1], tools=three_tools)


def test_a_manual_run_is_listed_with_its_kind_method_and_winner(
    member_client, evaluation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.get()
    html = member_client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    [row] = _history(html)
    assert row[:6] == [
        f"#{run.pk}",
        "Manual",
        f"{evaluation.profile.name} the profile's own weights",
        "Weighted sum",
        "C",
        "Done",
    ]


def test_monte_carlo_chunks_are_listed_as_their_batch_not_one_by_one(
    member_client, member, evaluation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
        smaa = start_batch(
            user=member[0],
            evaluation=evaluation,
            kind="smaa",
            samples=400,
            chunk_size=200,
        )
        profiles = start_batch(user=member[0], evaluation=evaluation, kind="profiles")
    chunks = list(smaa.runs.values_list("pk", flat=True))
    assert len(chunks) == 2
    html = member_client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    rows = _history(html)
    kinds = [row[1] for row in rows]
    assert "Monte Carlo" not in kinds
    assert kinds.count("Profile comparison") == profiles.runs.count()
    assert kinds.count("Manual") == 1
    assert not any(f"#{pk}" == row[0] for pk in chunks for row in rows)
    batches = html.split('id="evaluation-batches"')[1].split("</table>")[0]
    assert f'href="/batches/{smaa.pk}/"' in batches
    assert f'href="/batches/{profiles.pk}/"' in batches
    assert "Monte Carlo" in batches and "Profile comparison" in batches
    batch_page = member_client.get(f"/batches/{smaa.pk}/").content.decode()
    runs = batch_page.split('id="batch-runs"')[1].split("</table>")[0]
    assert all(f'href="/runs/{pk}/"' in runs for pk in chunks)


@pytest.mark.parametrize("count", [1, 20])
def test_the_run_list_runs_a_bounded_number_of_queries(
    member_client,
    member,
    evaluation,
    count,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(count):
            member_client.post(f"/evaluations/{evaluation.pk}/run/")
        start_batch(user=member[0], evaluation=evaluation, kind="profiles")
    assert Batch.objects.count() == 1
    with django_assert_max_num_queries(20):
        response = member_client.get(f"/evaluations/{evaluation.pk}/")
    assert response.status_code == 200
    rows = _history(response.content.decode())
    assert len(rows) == min(Run.objects.count(), 20)
    assert {row[1] for row in rows} == {"Manual", "Profile comparison"}


def test_a_tie_for_first_names_every_tied_tool(
    member_client, member, django_capture_on_commit_callbacks
):
    values = {"roi": 4, "industry_customization": 3, "price": 10}
    tools = [
        scored_tool(member[1], "Twin B", **values),
        scored_tool(member[1], "Twin A", **values),
        scored_tool(member[1], "Weak", roi=1, industry_customization=1, price=50),
    ]
    evaluation = EvaluationFactory(workspace=member[1], tools=tools)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    run = Run.objects.get()
    assert list(run.results.filter(rank=1).values_list("tool_name", flat=True)) == [
        "Twin A",
        "Twin B",
    ]
    page = member_client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    [row] = _history(page)
    assert row[4] == "Twin A, Twin B (tied for first)"


def test_a_run_with_adjusted_weights_says_so_in_the_list(
    member_client, evaluation, django_capture_on_commit_callbacks
):
    evaluation.weight_overrides = {"price": 90}
    evaluation.save()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(f"/evaluations/{evaluation.pk}/run/")
    page = member_client.get(f"/evaluations/{evaluation.pk}/").content.decode()
    [row] = _history(page)
    assert row[2] == f"{evaluation.profile.name} the evaluation's adjusted weights"

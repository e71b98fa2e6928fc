"""A batch left running with every run finished and no result (its request or worker
was killed while merging) is settled by the next look at it: its page, its progress
bar, or the API."""

import pytest

from selector.models import Batch
from tests.factories import api_client, scored_evaluation
from tests.services.delivering import start_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(django_capture_on_commit_callbacks):
    """A Monte Carlo batch computed and settled, and its owner."""
    evaluation = scored_evaluation(tools=4)
    batch = start_batch(
        evaluation,
        django_capture_on_commit_callbacks,
        "smaa",
        samples=900,
        chunk_size=300,
    )
    assert batch.status == Batch.Status.DONE and batch.result["chunks"] == 3
    return batch, evaluation.created_by


@pytest.fixture
def left_running(settled):
    """The same batch as a killed merge leaves it; (batch, owner, the right result)."""
    batch, owner = settled
    result = batch.result
    Batch.objects.filter(pk=batch.pk).update(
        status=Batch.Status.RUNNING, result=None, finished_at=None
    )
    return batch, owner, result


def test_the_batch_page_settles_a_batch_left_running(client, left_running):
    batch, owner, result = left_running
    client.force_login(owner)
    page = client.get(f"/batches/{batch.pk}/")
    assert page.status_code == 200
    assert page.context["batch"].status == Batch.Status.DONE
    assert "Rank acceptability over 900 weight draws" in page.content.decode()
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE and batch.result == result
    assert batch.finished_at is not None


def test_the_progress_bar_settles_it_and_reloads_the_page(client, left_running):
    batch, owner, result = left_running
    client.force_login(owner)
    response = client.get(f"/batches/{batch.pk}/progress/")
    assert response["HX-Refresh"] == "true"
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE and batch.result == result


def test_the_api_settles_a_batch_left_running(left_running):
    batch, owner, result = left_running
    body = api_client(owner).get(f"/api/v1/batches/{batch.pk}/").json()
    assert body["status"] == "done" and body["result"] == result
    assert body["done"] == body["total"] == 3
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE and batch.result == result


def test_a_batch_still_computing_is_left_running(
    client, django_capture_on_commit_callbacks
):
    evaluation = scored_evaluation(tools=4)
    batch = start_batch(
        evaluation, django_capture_on_commit_callbacks, "profiles", execute=False
    )
    client.force_login(evaluation.created_by)
    assert client.get(f"/batches/{batch.pk}/").context["batch"].status == "running"
    body = api_client(evaluation.created_by).get(f"/api/v1/batches/{batch.pk}/")
    assert body.json()["status"] == "running"
    assert Batch.objects.get(pk=batch.pk).result is None

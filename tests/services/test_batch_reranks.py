"""Re-rank batches: after a profile edit, every evaluation that follows the profile is
run again with the new weights; a newer re-rank cancels the one still running."""

import pytest

from selector.models import Batch, Run, Weight, WeightProfile
from selector.services import batches
from tests.factories import app_selection, refuse_broker, scored_evaluation
from tests.services.delivering import start_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return scored_evaluation(tools=5)


def test_rerank_profile_reruns_every_evaluation_that_follows_the_profile(
    django_capture_on_commit_callbacks,
):
    followers = [scored_evaluation(tools=3, seed=n) for n in range(2)]
    other = scored_evaluation(
        tools=3, profile=WeightProfile.objects.get(slug="menlo-2024-pilot-risks")
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.rerank_profile(profile=app_selection())
    batch.refresh_from_db()
    assert batch.kind == Batch.Kind.RERANK and batch.profile == app_selection()
    assert batch.workspace is None  # the followers are in two workspaces
    assert sorted(batch.runs.values_list("evaluation_id", flat=True)) == sorted(
        evaluation.pk for evaluation in followers
    )
    assert not other.runs.exists()
    assert batch.status == Batch.Status.DONE and batch.total == 2


def test_rerank_snapshots_the_new_weights(django_capture_on_commit_callbacks):
    evaluation = scored_evaluation(tools=3)
    Weight.objects.filter(profile=app_selection(), criterion__key="price").update(
        value=70
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.rerank_profile(profile=app_selection())
    run = batch.runs.get()
    weights = dict(
        zip(
            [c["key"] for c in run.inputs["criteria"]],
            run.inputs["weights"],
            strict=True,
        )
    )
    assert weights["price"] == 70
    assert batch.workspace == evaluation.workspace


def test_rerank_returns_none_when_no_evaluation_follows_the_profile():
    assert batches.rerank_profile(profile=app_selection()) is None
    assert not Batch.objects.exists()


def test_a_new_rerank_cancels_the_previous_one_still_running(
    django_capture_on_commit_callbacks,
):
    scored_evaluation(tools=3)
    with django_capture_on_commit_callbacks(execute=False):
        first = batches.rerank_profile(profile=app_selection())
    with django_capture_on_commit_callbacks(execute=True):
        second = batches.rerank_profile(profile=app_selection())
    first.refresh_from_db()
    assert first.status == Batch.Status.CANCELLED
    assert first.runs.get().error == "Superseded by a newer edit of the weight profile."
    assert second.runs.get().status == Run.Status.DONE


def test_rerank_with_the_broker_down_does_not_raise(
    django_capture_on_commit_callbacks, monkeypatch
):
    scored_evaluation(tools=3)

    refuse_broker(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.rerank_profile(profile=app_selection())
    assert batch.runs.get().status == Run.Status.QUEUED


def test_a_rerank_batch_through_start_batch_stays_in_the_workspace(
    evaluation, django_capture_on_commit_callbacks
):
    scored_evaluation(tools=3)  # follows the same profile, in another workspace
    batch = start_batch(evaluation, django_capture_on_commit_callbacks, "rerank")
    assert list(batch.runs.values_list("evaluation_id", flat=True)) == [evaluation.pk]
    assert batch.workspace == evaluation.workspace

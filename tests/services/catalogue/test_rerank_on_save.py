"""Re-ranking after a catalogue edit: saving a profile, or flipping a criterion's
direction, re-runs the evaluations it changes; a newer edit cancels the older
re-rank."""

import pytest

from selector.models import Batch, Criterion, Run, WeightProfile
from selector.services import batches
from selector.services.catalogue.criteria import save_criterion
from selector.services.catalogue.profiles import save_profile
from tests.factories import EvaluationFactory, scored_tool, weights_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tools(member):
    """Two tools of the member's workspace scored on ROI and price."""
    _, workspace = member
    return [
        scored_tool(workspace, "A", roi=4, price=30),
        scored_tool(workspace, "B", roi=3, price=10),
    ]


def test_saving_a_profile_starts_a_rerank_batch_for_the_evaluations_that_follow_it(
    editor, member, profile, tools, django_capture_on_commit_callbacks
):
    _, workspace = member
    evaluation = EvaluationFactory(workspace=workspace, profile=profile, tools=tools)
    EvaluationFactory(workspace=workspace)  # follows another profile
    with django_capture_on_commit_callbacks(execute=True):
        saved = save_profile(
            user=editor, profile=profile, weights={"roi": 90, "price": 10}
        )
    assert saved.rerank.evaluations == 1
    assert saved.rerank.started
    batch = saved.rerank.batches[0]
    assert batch.kind == Batch.Kind.RERANK
    assert batch.profile == profile
    run = batch.runs.get()
    assert run.evaluation == evaluation
    assert run.inputs["weights"] == [90, 10]
    run.refresh_from_db()
    assert run.status == Run.Status.DONE


def test_flipping_a_criterions_direction_reranks_every_evaluation_that_weighs_it(
    editor, member, profile, django_capture_on_commit_callbacks
):
    _, workspace = member
    tools = [
        scored_tool(workspace, "Cheap", roi=3, price=10),
        scored_tool(workspace, "Costly", roi=3.5, price=90),
    ]
    weighs = EvaluationFactory(workspace=workspace, profile=profile, tools=tools)
    roi_only = save_profile(
        user=editor,
        profile=WeightProfile(),
        data={"slug": "roi-only", "name": "ROI only"},
        weights={"roi": 1},
    ).profile
    overrides = EvaluationFactory(  # weighs price through its own override
        workspace=workspace,
        profile=roi_only,
        tools=tools,
        weight_overrides={"price": 5},
    )
    EvaluationFactory(workspace=workspace, profile=profile)  # no tools: skipped
    price = Criterion.objects.get(key="price")
    assert price.direction == Criterion.Direction.COST
    price.direction = Criterion.Direction.BENEFIT
    with django_capture_on_commit_callbacks(execute=True):
        saved = save_criterion(user=editor, criterion=price)
    assert saved.rerank.started and saved.rerank.evaluations == 3
    batch = saved.rerank.batches[0]
    assert (batch.kind, batch.options["criterion"]) == (Batch.Kind.RERANK, "price")
    assert batch.profile is None and batch.workspace == workspace
    assert {run.evaluation_id for run in batch.runs.all()} == {weighs.pk, overrides.pk}
    assert batch.options["skipped"][0]["evaluation"] not in (weighs.pk, overrides.pk)
    run = batch.runs.get(evaluation=weighs)
    run.refresh_from_db()
    assert run.status == Run.Status.DONE
    by_key = {criterion["key"]: criterion for criterion in run.inputs["criteria"]}
    assert by_key["price"]["direction"] == "benefit"
    # A higher price now counts for a tool: the costly one leads.
    assert run.results.get(rank=1).tool_name == "Costly"


def test_editing_a_criterion_without_flipping_it_starts_no_rerank(editor, profile):
    EvaluationFactory(profile=profile)
    roi = Criterion.objects.get(key="roi")
    roi.name = "Return on investment"
    saved = save_criterion(user=editor, criterion=roi)
    assert saved.rerank.evaluations == 0
    assert not Batch.objects.exists()


def test_a_second_flip_cancels_the_rerank_the_first_one_left_queued(
    editor, member, profile, tools, django_capture_on_commit_callbacks
):
    _, workspace = member
    EvaluationFactory(workspace=workspace, profile=profile, tools=tools)
    price = Criterion.objects.get(key="price")
    started = []
    for direction in ("benefit", "cost"):
        price.direction = direction
        with django_capture_on_commit_callbacks(execute=False):  # runs stay queued
            saved = save_criterion(user=editor, criterion=price)
        started.append(saved.rerank.batches[0].pk)
    first, second = (Batch.objects.get(pk=pk) for pk in started)
    assert first.status == Batch.Status.CANCELLED
    assert first.runs.get().error == "Superseded by a newer edit of the criterion."
    assert second.status == Batch.Status.RUNNING
    assert second.runs.get().status == Run.Status.QUEUED


def test_a_save_with_no_follower_starts_no_batch(editor, profile):
    saved = save_profile(user=editor, profile=profile, weights={"roi": 1})
    assert saved.rerank.evaluations == 0
    assert not Batch.objects.filter(profile=profile).exists()


def test_when_the_rerank_cannot_start_the_edit_stays_and_the_owed_rerun_is_recorded(
    editor, member, profile, monkeypatch
):
    _, workspace = member
    evaluation = EvaluationFactory(workspace=workspace, profile=profile)

    def broken(**kwargs):
        raise RuntimeError("the database went read-only")

    monkeypatch.setattr(batches, "rerank_profile", broken)
    saved = save_profile(user=editor, profile=profile, weights={"roi": 2})
    assert weights_of(WeightProfile.objects.get(pk=profile.pk)) == {"roi": 2}
    assert not saved.rerank.started
    assert saved.rerank.error == "the database went read-only"
    batch = saved.rerank.batches[0]
    assert batch.options["needs_rerun"] is True
    assert batch.options["evaluations"] == [evaluation.pk]
    assert batch.options["error"] == "the database went read-only"
    # A record with no runs: finished at once, not left running for the sweeper.
    assert batch.total == 0 and batch.status == Batch.Status.DONE
    assert not batch.runs.exists()

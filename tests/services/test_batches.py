"""Batches in eager mode: under every profile, Monte Carlo chunks, cancel, settling; the
re-rank batches are in ``test_batch_reranks.py``."""

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from selector import queue, tasks
from selector.models import Batch, Criterion, Membership, Run, Weight, WeightProfile
from selector.selectors import batch_progress
from selector.services import batches, runs
from tests.factories import (
    member,
    refuse_broker,
    scored_evaluation,
    scored_tool,
    weights_of,
)
from tests.services.delivering import start_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return scored_evaluation(tools=5)


def test_a_profiles_batch_runs_the_evaluation_once_under_each_profile(
    evaluation, django_capture_on_commit_callbacks
):
    batch = start_batch(evaluation, django_capture_on_commit_callbacks, "profiles")
    profiles = WeightProfile.objects.count()
    assert batch.total == profiles
    assert batch.status == Batch.Status.DONE
    assert batch.finished_at is not None
    assert batch_progress(batch) == {
        "total": profiles,
        "done": profiles,
        "failed": 0,
        "queued": 0,
        "running": 0,
        "finished": profiles,
    }
    for run in batch.runs.all():
        profile = WeightProfile.objects.get(slug=run.inputs["profile"]["slug"])
        keys = [criterion["key"] for criterion in run.inputs["criteria"]]
        assert sorted(keys) == sorted(
            profile.weights.values_list("criterion__key", flat=True)
        )
        assert run.results.count() == 5
    winners = batch.result["runs"]
    assert {row["profile"] for row in winners} == set(
        WeightProfile.objects.values_list("slug", flat=True)
    )
    assert all(row["winner"] and row["status"] == "done" for row in winners)


def test_a_profiles_batch_applies_the_overrides_only_under_the_evaluations_own_profile(
    django_capture_on_commit_callbacks,
):
    evaluation = scored_evaluation(tools=3, weight_overrides={"roi": 90, "price": 5})
    batch = start_batch(evaluation, django_capture_on_commit_callbacks, "profiles")
    # The evaluation's own profile twice: its own weights, then the adjusted ones.
    assert batch.total == WeightProfile.objects.count() + 1
    weights = [
        (
            run.inputs["profile"]["slug"],
            dict(
                zip(
                    [c["key"] for c in run.inputs["criteria"]],
                    run.inputs["weights"],
                    strict=True,
                )
            ),
        )
        for run in batch.runs.order_by("pk")
    ]
    own = weights_of(evaluation.profile)
    assert [w for slug, w in weights if slug == evaluation.profile.slug] == [
        own,
        {**own, "roi": 90, "price": 5},
    ]
    other = Weight.objects.get(
        profile__slug="menlo-2024-pilot-risks", criterion__key="roi"
    )
    assert dict(weights)["menlo-2024-pilot-risks"]["roi"] == other.value
    # The result says which weights each run used.
    used = [
        (row["profile"], row["adjusted"])
        for row in batch.result["runs"]
        if row["profile"] == evaluation.profile.slug
    ]
    assert used == [(evaluation.profile.slug, False), (evaluation.profile.slug, True)]
    assert not any(
        row["adjusted"]
        for row in batch.result["runs"]
        if row["profile"] != evaluation.profile.slug
    )


def test_overrides_equal_to_the_profiles_weights_add_no_run(
    django_capture_on_commit_callbacks,
):
    evaluation = scored_evaluation(tools=3)
    roi = weights_of(evaluation.profile)["roi"]
    evaluation.weight_overrides = {"roi": roi}
    evaluation.save()
    batch = start_batch(evaluation, django_capture_on_commit_callbacks, "profiles")
    assert batch.total == WeightProfile.objects.count()
    assert not any(row["adjusted"] for row in batch.result["runs"])


def test_a_tie_for_first_names_every_tied_tool(django_capture_on_commit_callbacks):
    evaluation = scored_evaluation(tools=0)
    workspace = evaluation.workspace
    values = {"roi": 4, "industry_customization": 3, "price": 10}
    tools = [
        scored_tool(workspace, "Twin B", **values),
        scored_tool(workspace, "Twin A", **values),
        scored_tool(workspace, "Weak", roi=1, industry_customization=1, price=50),
    ]
    evaluation.tools.set(tools)
    batch = start_batch(
        evaluation,
        django_capture_on_commit_callbacks,
        "profiles",
        profiles=[evaluation.profile.slug],
    )
    [row] = batch.result["runs"]
    assert row["winners"] == ["Twin A", "Twin B"]
    assert row["winner"] == "Twin A"


def test_a_profile_whose_criteria_lack_scores_is_skipped_with_the_reason(
    django_capture_on_commit_callbacks,
):
    evaluation = scored_evaluation(tools=0)
    workspace = evaluation.workspace
    tools = [
        scored_tool(
            workspace, f"Selection {n}", roi=n, industry_customization=3, price=9 * n
        )
        for n in (1, 2, 3)
    ]
    evaluation.tools.set(tools)
    batch = start_batch(evaluation, django_capture_on_commit_callbacks, "profiles")
    assert batch.total == 1
    skipped = {item["profile"]: item["reason"] for item in batch.options["skipped"]}
    assert set(skipped) == {"menlo-2024-pilot-risks", "menlo-2024-llm-switching"}
    assert "Missing scores" in skipped["menlo-2024-pilot-risks"]
    assert batch.status == Batch.Status.DONE


def test_a_batch_with_no_run_that_can_start_is_refused(
    django_capture_on_commit_callbacks,
):
    evaluation = scored_evaluation(tools=1)
    with pytest.raises(ValidationError, match="No run of this batch can start"):
        start_batch(evaluation, django_capture_on_commit_callbacks, "profiles")
    assert not Batch.objects.exists()


@pytest.fixture
def smaa_batch(evaluation, django_capture_on_commit_callbacks):
    """A Monte Carlo batch of 5,000 samples in chunks of 2,000, computed."""
    return start_batch(
        evaluation,
        django_capture_on_commit_callbacks,
        "smaa",
        samples=5000,
        chunk_size=2000,
    )


def test_an_smaa_batch_splits_the_samples_in_chunks_with_their_own_seeds(smaa_batch):
    batch = smaa_batch
    chunks = list(batch.runs.order_by("pk"))
    assert [run.inputs["smaa_samples"] for run in chunks] == [2000, 2000, 1000]
    assert [run.inputs["smaa_seed"] for run in chunks] == [[0, 0], [0, 1], [0, 2]]
    assert batch.total == 3 and batch.status == Batch.Status.DONE


def test_an_smaa_batch_merges_acceptability_weighted_by_samples(smaa_batch):
    batch = smaa_batch
    chunks = list(batch.runs.order_by("pk"))
    expected = (
        sum(
            np.array(run.robustness["acceptability"]) * run.inputs["smaa_samples"]
            for run in chunks
        )
        / 5000
    )
    result = batch.result
    assert result["samples"] == 5000 and result["chunks"] == 3
    assert result["tools"] == [f"Tool {n:02d}" for n in range(1, 6)]
    np.testing.assert_allclose(result["acceptability"], expected, atol=1e-6)
    np.testing.assert_allclose(np.sum(result["acceptability"], axis=1), 1, atol=1e-5)
    central = np.array(result["central_weights"])
    winners = np.array(result["acceptability"])[:, 0] > 0
    np.testing.assert_allclose(central[winners].sum(axis=1), 1, atol=1e-5)


def test_chunks_differ_but_one_chunk_is_reproducible(
    evaluation, django_capture_on_commit_callbacks
):
    options = {"samples": 400, "chunk_size": 200}
    first = start_batch(
        evaluation, django_capture_on_commit_callbacks, "smaa", **options
    )
    again = start_batch(
        evaluation, django_capture_on_commit_callbacks, "smaa", **options
    )
    a = [run.robustness["acceptability"] for run in first.runs.order_by("pk")]
    b = [run.robustness["acceptability"] for run in again.runs.order_by("pk")]
    assert a == b
    assert a[0] != a[1]


@pytest.mark.parametrize(
    "options, field",
    [
        ({"samples": 0}, "samples"),
        ({"samples": "many"}, "samples"),
        ({"chunk_size": 10}, "chunk_size"),
        ({"samples": 2_000_000, "chunk_size": 100}, "chunk_size"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_smaa_options_are_refused_naming_the_option(
    evaluation, django_capture_on_commit_callbacks, options, field
):
    with pytest.raises(ValidationError) as error:
        start_batch(evaluation, django_capture_on_commit_callbacks, "smaa", **options)
    assert field in error.value.message_dict
    assert not Batch.objects.exists()


def test_an_unknown_kind_or_option_is_refused(
    evaluation, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError, match="Unknown batch kind"):
        start_batch(evaluation, django_capture_on_commit_callbacks, "sweep")
    with pytest.raises(TypeError):
        start_batch(
            evaluation, django_capture_on_commit_callbacks, "profiles", samples=3
        )


def test_a_viewer_cannot_start_a_batch(evaluation, django_capture_on_commit_callbacks):
    viewer = member(evaluation.workspace, role=Membership.Role.VIEWER)
    with pytest.raises(PermissionDenied):
        batches.start_batch(user=viewer, evaluation=evaluation, kind="profiles")


def test_cancelling_fails_the_queued_runs_and_later_deliveries_skip_them(
    evaluation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = batches.start_batch(
            user=evaluation.created_by,
            evaluation=evaluation,
            kind="smaa",
            samples=600,
            chunk_size=200,
        )
    batch = batches.cancel_batch(user=evaluation.created_by, batch=batch)
    assert batch.status == Batch.Status.CANCELLED
    assert set(batch.runs.values_list("status", "error")) == {
        (Run.Status.FAILED, f"Cancelled with batch #{batch.pk}.")
    }
    callbacks[0]()  # the messages are delivered after all
    batch.refresh_from_db()
    assert batch.status == Batch.Status.CANCELLED
    assert not batch.runs.filter(results__isnull=False).exists()
    assert (
        batches.cancel_batch(user=evaluation.created_by, batch=batch).status
        == "cancelled"
    )


def test_a_batch_is_done_only_when_its_last_run_finishes(
    evaluation, django_capture_on_commit_callbacks
):
    batch = start_batch(
        evaluation, django_capture_on_commit_callbacks, "profiles", execute=False
    )
    first, *rest = batch.runs.order_by("pk")
    tasks.execute_runs_task.delay([first.pk])
    batch.refresh_from_db()
    assert batch.status == Batch.Status.RUNNING
    assert batch_progress(batch)["done"] == 1
    tasks.execute_runs_task.delay([run.pk for run in rest])
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE


def test_executing_a_run_leaves_settling_its_batch_to_the_task(
    evaluation, django_capture_on_commit_callbacks
):
    batch = start_batch(
        evaluation, django_capture_on_commit_callbacks, "profiles", execute=False
    )
    for run in batch.runs.all():
        runs.execute_run(run_id=run.pk)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.RUNNING
    assert batches.settle_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE
    assert not batches.settle_batch(batch_id=batch.pk)  # idempotent


def test_starting_a_batch_with_the_broker_down_keeps_its_runs_queued(
    evaluation, django_capture_on_commit_callbacks, monkeypatch
):
    refuse_broker(monkeypatch)
    with pytest.raises(queue.BrokerUnavailable) as unavailable:
        start_batch(evaluation, django_capture_on_commit_callbacks, "profiles")
    batch = Batch.objects.get()
    assert unavailable.value.batch_id == batch.pk
    assert f"batch #{batch.pk}" in str(unavailable.value)
    assert sorted(unavailable.value.run_ids) == sorted(
        batch.runs.values_list("pk", flat=True)
    )
    assert set(batch.runs.values_list("status", flat=True)) == {Run.Status.QUEUED}


def test_criteria_are_loaded():
    # scored_evaluation scores every criterion; the batches above rely on it.
    assert Criterion.objects.count() >= 9


def left_running(batch: Batch) -> Batch:
    """The batch as a request killed while merging leaves it: every run finished, the
    batch still running and without a result."""
    Batch.objects.filter(pk=batch.pk).update(
        status=Batch.Status.RUNNING, result=None, finished_at=None
    )
    batch.refresh_from_db()
    return batch


def test_a_repeated_delivery_of_the_last_run_settles_a_batch_left_running(smaa_batch):
    result = smaa_batch.result
    batch = left_running(smaa_batch)
    last = batch.runs.order_by("pk").last()
    assert tasks.execute_runs_task.delay([last.pk]).get() == ["skipped"]
    batch.refresh_from_db()
    assert batch.status == Batch.Status.DONE and batch.result == result


def test_settling_is_idempotent_and_leaves_a_cancelled_batch_alone(smaa_batch):
    result = smaa_batch.result
    batch = left_running(smaa_batch)
    assert batches.settle_batch(batch_id=batch.pk)
    assert not batches.settle_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.result == result
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.CANCELLED)
    assert not batches.settle_batch(batch_id=batch.pk)
    assert Batch.objects.get(pk=batch.pk).status == Batch.Status.CANCELLED

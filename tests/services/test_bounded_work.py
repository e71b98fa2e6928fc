"""Bounded work: a Monte Carlo study has at most SMAA_MAX_SAMPLES samples and
SMAA_MAX_TOOL_SAMPLES tools x samples; without a broker (runs computed inside the
request) no request does more than EAGER_MAX_WORK, whatever starts the runs; the
defaults leave the demo and ordinary evaluations alone."""

import pytest
from django.core.exceptions import ValidationError

from config.celery import app
from selector import queue
from selector.models import Batch, Run
from selector.services import batches, demo, snapshots
from selector.services.catalogue.profiles import start_rerank
from tests.factories import EvaluationFactory, app_selection, scored_evaluation
from tests.services.delivering import start, start_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return scored_evaluation(tools=5)


@pytest.fixture
def with_a_broker():
    """Tasks go to workers instead of running in the request (nothing is published:
    the test only starts runs, and does not execute what it captures on commit)."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager


def work_of_one_run(evaluation) -> int:
    """What one ordinary run of ``evaluation`` costs, as the bound counts it."""
    return queue.run_work(snapshots.snapshot_inputs(evaluation))


# Monte Carlo limits -----------------------------------------------------------------


def test_more_samples_than_the_limit_are_refused_naming_the_field_and_the_limit(
    evaluation, settings, django_capture_on_commit_callbacks
):
    settings.SMAA_MAX_SAMPLES = 1000
    with pytest.raises(ValidationError) as error:
        start_batch(
            evaluation, django_capture_on_commit_callbacks, "smaa", samples=1001
        )
    [message] = error.value.message_dict["samples"]
    assert "1,000" in message and "SMAA_MAX_SAMPLES" in message
    assert not Batch.objects.exists() and not Run.objects.exists()
    batch = start_batch(
        evaluation, django_capture_on_commit_callbacks, "smaa", samples=1000
    )
    assert batch.status == Batch.Status.DONE


def test_more_tools_times_samples_than_the_limit_are_refused(
    evaluation, settings, django_capture_on_commit_callbacks
):
    settings.SMAA_MAX_TOOL_SAMPLES = 10_000
    with pytest.raises(ValidationError) as error:
        start_batch(
            evaluation, django_capture_on_commit_callbacks, "smaa", samples=2001
        )
    [message] = error.value.message_dict["samples"]
    assert "2,001 samples on 5 tools" in message
    assert "10,005" in message and "10,000" in message
    assert "SMAA_MAX_TOOL_SAMPLES" in message and "at most 2,000 samples" in message
    assert not Batch.objects.exists() and not Run.objects.exists()
    batch = start_batch(
        evaluation, django_capture_on_commit_callbacks, "smaa", samples=2000
    )
    assert batch.status == Batch.Status.DONE


def test_a_chunk_holds_at_least_as_many_samples_as_there_are_tools(
    django_capture_on_commit_callbacks,
):
    # Each chunk stores a tools x ranks table: smaller chunks than tools would store
    # more than the samples they draw.
    evaluation = scored_evaluation(tools=120)
    with pytest.raises(ValidationError) as error:
        start_batch(
            evaluation,
            django_capture_on_commit_callbacks,
            "smaa",
            samples=1000,
            chunk_size=100,
            execute=False,
        )
    [message] = error.value.message_dict["chunk_size"]
    assert "at least 120" in message and "tools" in message
    assert not Run.objects.exists()


def test_the_chunks_of_a_study_share_one_snapshot(
    evaluation, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    # The evaluation is read once, not once per chunk: a few queries and one insert
    # per chunk (four per chunk before).
    with django_assert_max_num_queries(100 + 15):
        batch = start_batch(
            evaluation,
            django_capture_on_commit_callbacks,
            "smaa",
            samples=100 * 100,
            chunk_size=100,
            execute=False,
        )
    assert batch.total == 100
    first, *rest = batch.runs.order_by("pk")
    assert all(run.inputs["matrix"] == first.inputs["matrix"] for run in rest)


# Without a broker: the most work inside one request ----------------------------------


def test_a_run_beyond_the_inline_work_limit_is_refused_saying_to_configure_workers(
    evaluation, settings, django_capture_on_commit_callbacks
):
    work = work_of_one_run(evaluation)
    settings.EAGER_MAX_WORK = work - 1
    with pytest.raises(queue.WorkTooLarge) as error:
        start(evaluation, django_capture_on_commit_callbacks)
    message = " ".join(error.value.messages)
    assert f"{work:,}" in message and f"{work - 1:,}" in message
    assert "EAGER_MAX_WORK" in message and "CELERY_BROKER_URL" in message
    assert not Run.objects.exists()
    settings.EAGER_MAX_WORK = work
    assert start(evaluation, django_capture_on_commit_callbacks).status == "done"


def test_with_workers_the_inline_limit_does_not_apply(
    evaluation, settings, with_a_broker, django_capture_on_commit_callbacks
):
    settings.EAGER_MAX_WORK = 1
    run = start(evaluation, django_capture_on_commit_callbacks, execute=False)
    assert run.status == Run.Status.QUEUED


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("profiles", {}),
        ("smaa", {"samples": 20_000}),
        ("rerank", {}),
    ],
)
def test_a_batch_beyond_the_inline_work_limit_is_refused_and_nothing_is_saved(
    evaluation, settings, django_capture_on_commit_callbacks, kind, options
):
    settings.EAGER_MAX_WORK = work_of_one_run(evaluation)  # one run, not more
    EvaluationFactory(  # a second follower of the profile in the workspace (rerank)
        workspace=evaluation.workspace,
        profile=evaluation.profile,
        tools=list(evaluation.tools.all()),
    )
    with pytest.raises(queue.WorkTooLarge, match="CELERY_BROKER_URL"):
        start_batch(evaluation, django_capture_on_commit_callbacks, kind, **options)
    assert not Batch.objects.exists() and not Run.objects.exists()


def test_a_rerank_after_an_edit_beyond_the_limit_is_recorded_as_owed(
    evaluation, settings, django_capture_on_commit_callbacks
):
    settings.EAGER_MAX_WORK = 1
    with django_capture_on_commit_callbacks(execute=True):
        outcome = start_rerank(user=None, profile=app_selection())
    assert not outcome.started and "CELERY_BROKER_URL" in outcome.error
    assert outcome.error.startswith("Too much to compute")  # the message, not a repr
    [owed] = outcome.batches
    assert owed.options["needs_rerun"] and owed.options["evaluations"] == [
        evaluation.pk
    ]
    assert not Run.objects.exists()


# The defaults --------------------------------------------------------------------------


def test_the_defaults_leave_the_demo_and_its_page_batches_alone(
    django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        user, workspace, _ = demo.seed_demo()
    evaluation = workspace.evaluations.get()
    assert evaluation.runs.get().status == Run.Status.DONE
    for kind in ("profiles", "smaa"):  # the result page's two buttons
        with django_capture_on_commit_callbacks(execute=True):
            batch = batches.start_batch(user=user, evaluation=evaluation, kind=kind)
        batch.refresh_from_db()
        assert batch.status == Batch.Status.DONE
    # The page's Monte Carlo study (20,000 samples in 10 chunks) of the 9 demo tools
    # is a small share of what one request may do.
    chunks = batch.runs.values_list("inputs", flat=True)
    assert sum(queue.run_work(inputs) for inputs in chunks) < (
        settings.EAGER_MAX_WORK / 20
    )


def test_the_default_inline_limit_allows_a_page_study_of_200_tools(settings):
    evaluation = scored_evaluation(tools=200)
    per_chunk = queue.run_work(
        {**snapshots.snapshot_inputs(evaluation), "smaa_samples": 2000}
    )
    assert 10 * per_chunk <= settings.EAGER_MAX_WORK < 10 * 2 * per_chunk

"""A Monte Carlo batch's chunks are merged as a stream: the merge's memory stays that
of a few chunks however many there are, and its result is the engine's merge of all
the chunks."""

import tracemalloc

import numpy as np
import pytest

from selector import engine
from selector.models import Run
from selector.services import computation
from selector.services.batch_results import batch_result
from tests.factories import scored_evaluation
from tests.services.delivering import start_batch

pytestmark = pytest.mark.django_db


def study_of(chunks: int, capture) -> object:
    """A batch of ``chunks`` done chunks of 30 tools (computed once, stored for all)."""
    evaluation = scored_evaluation(tools=30)
    batch = start_batch(
        evaluation, capture, "smaa", samples=chunks * 100, chunk_size=100, execute=False
    )
    first = batch.runs.order_by("pk").first()
    _, robustness = computation.compute(first.inputs)
    batch.runs.update(status=Run.Status.DONE, robustness=robustness)
    return batch


def merge_peak(batch) -> tuple[dict, int]:
    """The batch's merged result and the most memory (bytes) merging it took."""
    tracemalloc.start()
    try:
        result = batch_result(batch)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_merging_ten_times_as_many_chunks_takes_no_more_memory(
    django_capture_on_commit_callbacks,
):
    few, many = (study_of(n, django_capture_on_commit_callbacks) for n in (20, 200))
    few_result, few_peak = merge_peak(few)
    many_result, many_peak = merge_peak(many)
    assert (few_result["chunks"], many_result["chunks"]) == (20, 200)
    assert many_result["samples"] == 20_000
    # Streamed: about 0.14 MB for both; read all at once, 1.4 MB and 14 MB.
    assert many_peak < 1.5 * few_peak, (few_peak, many_peak)
    assert many_result["acceptability"] == few_result["acceptability"]


def test_the_merged_result_is_the_engines_merge_of_every_chunk(
    django_capture_on_commit_callbacks,
):
    evaluation = scored_evaluation(tools=6)
    batch = start_batch(
        evaluation,
        django_capture_on_commit_callbacks,
        "smaa",
        samples=2500,
        chunk_size=400,
    )
    chunks = [run.robustness for run in batch.runs.order_by("pk")]
    acceptability, central = engine.merge_smaa(
        [chunk["samples"] for chunk in chunks],
        [chunk["acceptability"] for chunk in chunks],
        [chunk["central_weights"] for chunk in chunks],
    )
    assert batch.result["chunks"] == 7 and batch.result["samples"] == 2500
    assert batch.result["acceptability"] == np.round(acceptability, 6).tolist()
    assert batch.result["central_weights"] == np.round(central, 6).tolist()

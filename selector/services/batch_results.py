"""What a finished batch found, kept in ``Batch.result``: each run's winner, or for a
Monte Carlo study its chunks merged into one rank-acceptability study."""

import numpy as np

from selector import engine
from selector.models import Batch, Run, RunResult


def batch_result(batch: Batch) -> dict:
    """What the finished batch found, as ``Batch.result`` keeps it."""
    if batch.kind == Batch.Kind.SMAA:
        return merge_smaa(batch)
    return _winners(batch)


def _winners(batch: Batch) -> dict:
    """Per run: what it stands for, its status, and the tool it ranked first."""
    runs = list(batch.runs.select_related("evaluation").order_by("pk"))
    firsts = {}
    for run_id, tool_name in (
        RunResult.objects.filter(run__batch=batch, rank=1)
        .order_by("run_id", "tool_name")
        .values_list("run_id", "tool_name")
    ):
        firsts.setdefault(run_id, tool_name)
    return {
        "runs": [
            {
                "run": run.pk,
                "evaluation": run.evaluation_id,
                "evaluation_name": run.evaluation.name,
                "profile": (run.inputs.get("profile") or {}).get("slug"),
                "profile_name": (run.inputs.get("profile") or {}).get("name"),
                "status": run.status,
                "winner": firsts.get(run.pk),
                "error": run.error,
            }
            for run in runs
        ]
    }


def merge_smaa(batch: Batch) -> dict:
    """Merge the chunks of a Monte Carlo batch into one rank-acceptability study.

    The engine merges them (``engine.merge_smaa``: exact for acceptability, weighted by
    first places for central weights). Confidence factors are per-chunk estimates and
    are not merged.
    """
    chunks = list(
        batch.runs.filter(status=Run.Status.DONE)
        .order_by("pk")
        .values_list("inputs", "robustness")
    )
    failed = batch.runs.exclude(status=Run.Status.DONE).count()
    if not chunks:
        return {"samples": 0, "chunks": 0, "failed_chunks": failed}
    inputs = chunks[0][0]
    counts = [robustness["samples"] for _, robustness in chunks]
    merged, central_merged = engine.merge_smaa(
        counts,
        [robustness["acceptability"] for _, robustness in chunks],
        [robustness["central_weights"] for _, robustness in chunks],
    )
    return {
        "samples": int(sum(counts)),
        "chunks": len(chunks),
        "failed_chunks": failed,
        "tools": [tool["name"] for tool in inputs["tools"]],
        "criteria": [criterion["key"] for criterion in inputs["criteria"]],
        "acceptability": np.round(merged, 6).tolist(),
        "central_weights": np.round(central_merged, 6).tolist(),
    }

"""What a finished batch found, kept in ``Batch.result``: each run's winner, or for a
Monte Carlo study its chunks merged into one rank-acceptability study.

Both read the runs as a stream: the merge holds one chunk (and the tools x ranks sums)
at a time, so its memory does not grow with the samples or the number of chunks.
"""

import numpy as np
from django.db.models.fields.json import KT, KeyTransform

from selector import engine
from selector.models import Batch, Run, RunResult

# Chunks read from the database at a time while merging (each has a tools x ranks
# table); a few, so the merge's memory stays that of a few chunks.
MERGE_FETCH = 4


def batch_result(batch: Batch) -> dict:
    """What the finished batch found, as ``Batch.result`` keeps it."""
    if batch.kind == Batch.Kind.SMAA:
        return merge_smaa(batch)
    return _winners(batch)


def _winners(batch: Batch) -> dict:
    """Per run: what it stands for (its evaluation, its profile, and whether it used
    the evaluation's adjusted weights or the profile's own), its status, and the tools
    it ranked first: ``winners`` names every tool tied for first, ``winner`` the first
    of them by name (as results kept before ties were named have it)."""
    firsts: dict[int, list[str]] = {}
    for run_id, tool_name in (
        RunResult.objects.filter(run__batch=batch, rank=1)
        .order_by("run_id", "tool_name")
        .values_list("run_id", "tool_name")
    ):
        firsts.setdefault(run_id, []).append(tool_name)
    # The profile and weight sources from each snapshot by key, not the whole snapshot.
    runs = (
        batch.runs.order_by("pk")
        .values(
            "pk",
            "evaluation_id",
            "evaluation__name",
            "status",
            "error",
            "error_message",
            profile_slug=KT("inputs__profile__slug"),
            profile_name=KT("inputs__profile__name"),
            profile_name_fr=KT("inputs__profile__name_fr"),
            weight_sources=KeyTransform("weight_sources", "inputs"),
        )
        .iterator()
    )
    return {
        "runs": [
            {
                "run": run["pk"],
                "evaluation": run["evaluation_id"],
                "evaluation_name": run["evaluation__name"],
                "profile": run["profile_slug"],
                "profile_name": run["profile_name"],
                "profile_name_fr": run["profile_name_fr"] or "",
                "adjusted": any(
                    source.get("overridden") for source in run["weight_sources"] or []
                ),
                "status": run["status"],
                "winner": (firsts.get(run["pk"]) or [None])[0],
                "winners": firsts.get(run["pk"], []),
                "error": run["error"],
                # Translated when read (selector.messages.with_shown_error).
                "error_message": run["error_message"],
            }
            for run in runs
        ]
    }


def merge_smaa(batch: Batch) -> dict:
    """Merge the chunks of a Monte Carlo batch into one rank-acceptability study.

    The chunks are read one after another and folded into ``engine.SMAAMerge``
    (exact for acceptability, weighted by first places for central weights).
    Confidence factors are per-chunk estimates and are not merged.
    """
    done = batch.runs.filter(status=Run.Status.DONE).order_by("pk")
    failed = batch.runs.exclude(status=Run.Status.DONE).count()
    inputs = done.values_list("inputs", flat=True).first()
    if inputs is None:
        return {"samples": 0, "chunks": 0, "failed_chunks": failed}
    merger = engine.SMAAMerge()
    for robustness in done.values_list("robustness", flat=True).iterator(
        chunk_size=MERGE_FETCH
    ):
        merger.add(
            robustness["samples"],
            robustness["acceptability"],
            robustness["central_weights"],
        )
    merged, central_merged = merger.result()
    return {
        "samples": int(merger.samples),
        "chunks": merger.chunks,
        "failed_chunks": failed,
        "tools": [tool["name"] for tool in inputs["tools"]],
        "criteria": [criterion["key"] for criterion in inputs["criteria"]],
        # How the weights were drawn (every chunk shares one snapshot), for the
        # sentence that says it.
        "concentration": inputs.get("concentration"),
        "score_bounds": bool(inputs.get("bounds")),
        "acceptability": np.round(merged, 6).tolist(),
        "central_weights": np.round(central_merged, 6).tolist(),
    }

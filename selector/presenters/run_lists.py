"""The lists of runs and batches: each run's kind, method and winner, a batch's runs
and its Monte Carlo rank acceptability table."""

from selector.models import Batch, Method, Run
from selector.presenters import batch_url
from selector.presenters.explanations import monte_carlo_explanation
from selector.presenters.rank_shares import percent_rows, rank_labels


def smaa_table(result: dict) -> dict:
    """A Monte Carlo batch's rank acceptability: column labels and, per tool (most
    often first on top), its whole percentages, adding up to 100; and how its
    weights were drawn (none for a study merged before that was recorded)."""
    rows = sorted(
        zip(result["tools"], result["acceptability"], strict=True),
        key=lambda row: -row[1][0],
    )
    percents = percent_rows([shares for _, shares in rows])
    return {
        "labels": rank_labels(len(result["tools"])),
        "rows": [(name, p) for (name, _), p in zip(rows, percents, strict=True)],
        "explanation": monte_carlo_explanation(
            result["samples"],
            result["concentration"],
            bounds=result.get("score_bounds", False),
        )
        if "concentration" in result
        else "",
    }


# A run's kind in the run lists: none means started by hand (or through the API).
RUN_KINDS = {
    None: "Manual",
    Batch.Kind.PROFILES: "Profile comparison",
    Batch.Kind.SMAA: "Monte Carlo",
    Batch.Kind.RERANK: "Re-rank",
}


def run_kind(batch: Batch | None) -> str:
    """A run's kind ("Manual", "Profile comparison", ...) from the batch it ran in."""
    return RUN_KINDS[batch.kind if batch else None]


def history_rows(runs: list[Run]) -> list[dict]:
    """The run list (``selectors.run_history``): each run, its kind, method, winner."""
    return [
        {
            "run": run,
            "kind": run_kind(run.batch),
            "method": Method(run.method).label if run.method in Method.values else "",
            "winner": run.winner or "",
            "batch_url": batch_url(run.batch) if run.batch else "",
        }
        for run in runs
    ]


def batch_rows(batches) -> list[dict]:
    """The evaluation's batches, each with its kind as the run list names it."""
    return [
        {"batch": batch, "kind": run_kind(batch), "url": batch_url(batch)}
        for batch in batches
    ]

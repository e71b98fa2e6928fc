"""The lists of runs and batches: each run's kind, method and winner, a batch's runs
and its Monte Carlo rank acceptability table."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from selector.formats import percent
from selector.messages import with_shown_error
from selector.models import Batch, Method, Run
from selector.presenters import batch_url
from selector.presenters.explanations import monte_carlo_explanation
from selector.presenters.rank_shares import has_lower, percent_rows, rank_labels
from selector.presenters.snapshot import weights_used
from survey.localized import localized


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
        "rows": [
            (name, [percent(share / 100) for share in p])
            for (name, _shares), p in zip(rows, percents, strict=True)
        ],
        "lower": has_lower(len(result["tools"])),
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
    None: _("Manual"),
    Batch.Kind.PROFILES: _("Profile comparison"),
    Batch.Kind.SMAA: _("Monte Carlo"),
    Batch.Kind.RERANK: _("Re-rank"),
}


def run_kind(batch: Batch | None) -> str:
    """A run's kind ("Manual", "Profile comparison", ...) from the batch it ran in."""
    return str(RUN_KINDS[batch.kind if batch else None])


def first_names(run: Run) -> list[str]:
    """The names of every tool the run ranked first (several when tied), by name;
    ``run.first_places`` when the run was read with them (``selectors.FIRST_PLACES``)."""
    places = getattr(run, "first_places", None)
    if places is None:
        places = [result for result in run.results.all() if result.rank == 1]
    return [result.tool_name for result in places]


def winner_label(names: list[str]) -> str:
    """The tool ranked first, or every tool tied for first."""
    if len(names) < 2:
        return names[0] if names else ""
    return gettext("%(tools)s (tied for first)") % {"tools": ", ".join(names)}


def profile_name(run: Run) -> str:
    """The name of the profile a run used, from its snapshot, in the reader's
    language (``run`` read with ``selectors.WEIGHTS_USED``)."""
    return localized(
        {
            "name": run.profile_name or "",
            "name_fr": getattr(run, "profile_name_fr", ""),
        },
        "name",
    )


def history_rows(runs: list[Run]) -> list[dict]:
    """The run list (``selectors.run_history``): each run, its kind, method, the
    weights it used, its winner (every tool tied for first)."""
    return [
        {
            "run": run,
            "kind": run_kind(run.batch),
            "method": Method(run.method).label if run.method in Method.values else "",
            "profile_name": profile_name(run),
            "weights": weights_used(run.weight_sources),
            "winner": winner_label(first_names(run)),
            "batch_url": batch_url(run.batch) if run.batch else "",
        }
        for run in runs
    ]


def batch_run_rows(runs: list[Run]) -> list[dict]:
    """A batch's runs (``selectors.batch_runs``): each with the weights it used and
    its winner (every tool tied for first)."""
    return [
        {
            "run": run,
            "profile_name": profile_name(run),
            "weights": weights_used(run.weight_sources),
            "winner": winner_label(first_names(run)),
        }
        for run in runs
    ]


def batch_winner_rows(result: dict) -> list[dict]:
    """A finished batch's winner per run (``Batch.result["runs"]``), each with the
    weights it used and every tool tied for first; results kept before those were
    recorded show what they have."""
    return [
        {
            **with_shown_error(row),
            "profile_name": localized(
                {
                    "name": row.get("profile_name"),
                    "name_fr": row.get("profile_name_fr"),
                },
                "name",
            ),
            "weights": ""
            if row.get("adjusted") is None
            else weights_used([{"overridden": row["adjusted"]}]),
            "winner": winner_label(row.get("winners") or [row.get("winner") or ""]),
            # the stored status value ("done") as the reader's language names it
            "status": Run.Status(row["status"]).label
            if row.get("status") in Run.Status.values
            else row.get("status", ""),
        }
        for row in result.get("runs", [])
    ]


def batch_rows(batches) -> list[dict]:
    """The evaluation's batches, each with its kind as the run list names it."""
    return [
        {"batch": batch, "kind": run_kind(batch), "url": batch_url(batch)}
        for batch in batches
    ]

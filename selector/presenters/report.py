"""The decision report of a done run: what the page, the PDF and the Markdown show.

Assembled from ``explain_run`` (ranking, weights, stability, rank acceptability) and the
run's own snapshot, so the report never words or computes a thing differently from the
result page. A report is a function of the run (immutable once done) and of the names
it shows from outside it: the evaluation's, the workspace's and the author's.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext

from selector.formats import percent
from selector.models import Run
from selector.presenters import explain_run
from selector.presenters.report_chart import acceptability_svg

# With more criteria than this, the ranking table is laid out on landscape pages.
PORTRAIT_CRITERIA = 5


def not_ready_message(run: Run) -> str:
    """Why a run has no report yet (or never will), for the page and the API."""
    if run.status == Run.Status.FAILED:
        return gettext(
            "Run #%(run)s failed, so it has no report. Start a new run of the "
            "evaluation to get one."
        ) % {"run": run.pk}
    return gettext(
        "Run #%(run)s is %(status)s: its report is ready once the run is done."
    ) % {"run": run.pk, "status": run.get_status_display().lower()}


def report_context(run: Run) -> dict:
    """Everything the report shows, for a done run with its results by rank."""
    results = list(run.results.all())
    explained = explain_run(run, results)
    inputs = run.inputs
    score_rows, evidence_notes = _score_rows(
        explained["ranking"], explained["criteria"]
    )
    names = {criterion["key"]: criterion["name"] for criterion in explained["criteria"]}
    return {
        **explained,
        "run": run,
        "evaluation": run.evaluation,
        "author": _author(run),
        "winner": results[0].tool_name if results else "",
        "score_rows": score_rows,
        "evidence_notes": evidence_notes,
        "has_bounds": bool(inputs.get("bounds")),
        "wide": len(inputs["criteria"]) > PORTRAIT_CRITERIA,
        "missing_sentence": _missing_sentence(explained["filled"]),
        "filled_cells": [
            {**cell, "criterion_name": names.get(cell["criterion"], cell["criterion"])}
            for cell in explained["filled"]
        ],
        "acceptability_svg": acceptability_svg(explained["acceptability_chart"]),
        "acceptability_rows": _acceptability_rows(explained["acceptability_chart"]),
        "engine_version": run.engine_version,
        "columns_sentence": columns_sentence(
            bool(inputs.get("bounds")), bool(evidence_notes)
        ),
        "columns_sentence_md": columns_sentence(
            bool(inputs.get("bounds")), bool(evidence_notes), markdown=True
        ),
        "acceptability_sentence": acceptability_sentence(
            explained["lower_ranks"], rows="bar"
        ),
        "acceptability_sentence_md": acceptability_sentence(
            explained["lower_ranks"], rows="row"
        ),
    }


def columns_sentence(bounds: bool, notes: bool, *, markdown: bool = False) -> str:
    """What the ranking's criterion columns show: the values entered, their ranges
    when given, and where the evidence notes are pointed to (a superscript number on
    the page and PDF, a number in square brackets in Markdown)."""
    if bounds and notes:
        if markdown:
            return gettext(
                "The criterion columns are the values entered for the tools, with "
                "their low–high range in brackets; a number in square brackets "
                "points to the evidence behind a score, listed below."
            )
        return gettext(
            "The criterion columns are the values entered for the tools, with their "
            "low–high range in brackets; a number in superscript points to the "
            "evidence behind a score, listed below."
        )
    if bounds:
        return gettext(
            "The criterion columns are the values entered for the tools, with their "
            "low–high range in brackets."
        )
    if notes:
        if markdown:
            return gettext(
                "The criterion columns are the values entered for the tools; a number "
                "in square brackets points to the evidence behind a score, listed "
                "below."
            )
        return gettext(
            "The criterion columns are the values entered for the tools; a number in "
            "superscript points to the evidence behind a score, listed below."
        )
    return gettext("The criterion columns are the values entered for the tools.")


def acceptability_sentence(lower: bool, *, rows: str) -> str:
    """What each bar of the chart (``rows="bar"``) or row of the Markdown table
    (``"row"``) shows; ``lower``: the last column sums the sixth rank and below."""
    if rows == "row":
        if lower:
            return gettext(
                "Each row shows how often the tool took each rank, adding up to 100% "
                '("Lower": sixth or below).'
            )
        return gettext(
            "Each row shows how often the tool took each rank, adding up to 100%."
        )
    if lower:
        return gettext(
            "Each bar shows how often the tool took each rank, adding up to 100% "
            '("Lower": sixth or below).'
        )
    return gettext(
        "Each bar shows how often the tool took each rank, adding up to 100%."
    )


def report_html(run: Run, *, pdf: bool = False) -> str:
    """The report page; ``pdf``: for WeasyPrint, which is given the stylesheet itself."""
    return render_to_string("report/report.html", {**report_context(run), "pdf": pdf})


def report_markdown(run: Run) -> str:
    """The report as Markdown: the same content as the page, as plain text."""
    return render_to_string("report/report.md", report_context(run))


def _author(run: Run) -> str:
    user = run.created_by
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _score_rows(ranking, criteria) -> tuple[list[dict], list[dict]]:
    """``explain_run``'s ranking (each value entered, its bounds and evidence from the
    snapshot), each evidence note numbered in reading order for the notes list."""
    rows, notes = [], []
    for ranked in ranking:
        cells = []
        for criterion, cell in zip(criteria, ranked["cells"], strict=True):
            note = None
            if cell.get("evidence"):
                notes.append(
                    {
                        "number": len(notes) + 1,
                        "tool": ranked["result"].tool_name,
                        "criterion": criterion["name"],
                        "text": cell["evidence"],
                    }
                )
                note = len(notes)
            cells.append({**cell, "note": note})
        rows.append({**ranked, "cells": cells})
    return rows, notes


def _missing_sentence(filled: list[dict]) -> str:
    if not filled:
        return gettext(
            "Every tool had a score on every criterion: no score was filled in."
        )
    return ngettext(
        "%(count)s missing score was counted as the worst value any tool had on "
        "its criterion (marked * in the ranking).",
        "%(count)s missing scores were counted as the worst value any tool had on "
        "their criterion (marked * in the ranking).",
        len(filled),
    ) % {"count": len(filled)}


def _acceptability_rows(chart: dict | None) -> list[dict]:
    """The rank-acceptability chart as a table: per tool, its share of each rank."""
    if not chart:
        return []
    return [
        {
            "tool": tool,
            "shares": [
                percent(dataset["data"][i] / 100) for dataset in chart["datasets"]
            ],
        }
        for i, tool in enumerate(chart["labels"])
    ]

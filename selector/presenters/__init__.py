"""What people read, made from runs and saves: the result page's ranking, charts and
sentences about robustness, a run's CSV, and what a catalogue edit did to rankings.

Shared by the pages, the admin and (later) the report, so they never word a thing
differently.
"""

import io

from django.contrib import messages
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from selector import engine
from selector.csv_cells import SafeWriter
from selector.formats import percent
from selector.models import Batch, Method, Normalization, Run, RunResult
from selector.presenters import explanations
from selector.presenters.rank_shares import percent_rows, rank_labels
from selector.presenters.snapshot import entered_cells, run_snapshot
from selector.presenters.verdict import run_verdict, what_it_takes_rows
from selector.services.catalogue.profiles import Rerank


def weight_range(criterion: str, low: float, high: float) -> str:
    """Where a criterion's weight may go, e.g. "while ROI's weight is below 44%"."""
    if low <= 1e-9 and high >= 1 - 1e-9:
        return f"whatever {criterion}'s weight"
    if high >= 1 - 1e-9:
        return f"while {criterion}'s weight is above {percent(low)}"
    if low <= 1e-9:
        return f"while {criterion}'s weight is below {percent(high)}"
    return f"while {criterion}'s weight is between {percent(low)} and {percent(high)}"


def stability_sentence(top: str, criterion: str, row: dict) -> str:
    """E.g. "Copilot stays first while ROI's weight is between 18% and 44% (now 30%)"."""
    low, high = row["top"]
    return (
        f"{top} stays first {weight_range(criterion, low, high)} "
        f"(now {percent(row['weight'])})."
    )


def order_sentence(criterion: str, row: dict) -> str:
    """E.g. "The whole order holds while Price's weight is below 11%"."""
    low, high = row["order"]
    return f"The whole order holds {weight_range(criterion, low, high)}."


def method_label(method: str, options: dict) -> str:
    """E.g. "VIKOR (v = 0.25)", "PROMETHEE II (linear preference, thresholds q and p)"."""
    label = Method(method).label
    if "v" in options:
        return f"{label} (v = {options['v']:g})"
    preference = options.get("preference")
    if preference and preference != "usual":
        given = [name for name in ("q", "p") if options.get(name) is not None]
        noun = "thresholds" if len(given) > 1 else "threshold"
        thresholds = f", {noun} {' and '.join(given)}" if given else ""
        return f"{label} ({preference} preference{thresholds})"
    return label


def explain_run(run: Run, results: list[RunResult]) -> dict:
    """Everything the result page draws, from the run's snapshot and stored output."""
    inputs, robustness = run.inputs, run.robustness or {}
    criteria = inputs["criteria"]
    tool_index = {tool["name"]: i for i, tool in enumerate(inputs["tools"])}
    method = inputs["method"]
    normalization = inputs.get("normalization") or engine.default_normalization(method)
    return {
        "ranking": _ranking_rows(results, criteria, tool_index, robustness, inputs),
        "criteria": criteria,
        "weights": _weights(inputs),
        "contribution_chart": _contribution_chart(results, criteria),
        "acceptability_chart": _acceptability_chart(results, tool_index, robustness),
        "stability": _stability(results, criteria, robustness),
        "method_label": method_label(method, inputs.get("method_options") or {}),
        "normalization_label": Normalization(normalization).label
        if normalization
        else "",
        "filled": inputs.get("filled_as_worst", []),
        "samples": robustness.get("samples"),
        "concentration": robustness.get("concentration"),
        "has_contributions": any(r.contributions for r in results),
        "snapshot": run_snapshot(inputs),
        "explanations": explanations.run_explanations(inputs, robustness),
        "verdict": run_verdict(inputs, run.robustness, results),
        "what_it_takes": what_it_takes_rows(inputs, run.robustness, results),
    }


def _weights(inputs: dict) -> list[dict]:
    """Each criterion's weight, its share of the total and the survey figure behind it."""
    total = sum(inputs["weights"]) or 1.0
    sources = {
        source["criterion"]: source for source in inputs.get("weight_sources", [])
    }
    return [
        {
            **criterion,
            "share": weight / total,
            "value": weight,
            "source": sources.get(criterion["key"], {}),
        }
        for criterion, weight in zip(inputs["criteria"], inputs["weights"], strict=True)
    ]


def _ranking_rows(results, criteria, tool_index, robustness, inputs) -> list[dict]:
    """Per tool, by rank: its contributions, each beside the value entered (from the
    snapshot: unit, bounds, evidence), how often it comes first (the whole percentage
    the rank chart shows), its confidence."""
    acceptability = percent_rows(robustness.get("acceptability") or [])
    confidence = robustness.get("confidence") or []
    entered = entered_cells(inputs)
    rows = []
    for result in results:
        i = tool_index.get(result.tool_name)
        cells = entered.get(result.tool_name) or [{} for _ in criteria]
        rows.append(
            {
                "result": result,
                "contributions": [result.contributions.get(c["key"]) for c in criteria],
                "cells": [
                    {**cell, "contribution": result.contributions.get(c["key"])}
                    for c, cell in zip(criteria, cells, strict=True)
                ],
                "first": acceptability[i][0]
                if acceptability and i is not None
                else None,
                "confidence": confidence[i] if confidence and i is not None else None,
            }
        )
    return rows


def _contribution_chart(results, criteria) -> dict:
    return {
        "labels": [result.tool_name for result in results],
        "datasets": [
            {
                "label": criterion["name"],
                "data": [
                    result.contributions.get(criterion["key"], 0) for result in results
                ],
            }
            for criterion in criteria
        ],
    }


def _acceptability_chart(results, tool_index, robustness) -> dict | None:
    """How often each tool takes each rank (the first five and "lower" when there are
    more than six), in whole percentages adding up to 100 per tool, in rank order."""
    acceptability = robustness.get("acceptability") or []
    if not acceptability:
        return None
    names = [result.tool_name for result in results]
    rows = percent_rows([acceptability[tool_index[name]] for name in names])
    return {
        "labels": names,
        "datasets": [
            {"label": label, "data": [row[r] for row in rows]}
            for r, label in enumerate(rank_labels(len(acceptability[0])))
        ],
    }


def _stability(results, criteria, robustness) -> list[dict]:
    """The stability rows with the sentences that say them."""
    top = results[0].tool_name if results else ""
    name_of = {c["key"]: c["name"] for c in criteria}
    return [
        {
            **row,
            "name": name_of.get(row["criterion"], row["criterion"]),
            "sentence": stability_sentence(top, name_of.get(row["criterion"], ""), row),
            "order_sentence": order_sentence(name_of.get(row["criterion"], ""), row),
        }
        for row in robustness.get("stability", [])
    ]


def run_csv(run: Run) -> str:
    """The run's ranking as CSV: rank, tool, score, then each criterion's contribution."""
    keys = [c["key"] for c in run.inputs["criteria"]]
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["rank", "tool", "score", *[f"contribution_{k}" for k in keys]])
    for result in run.results.all():
        writer.writerow(
            [
                result.rank,
                result.tool_name,
                _six_digits(result.score),
                *[_six_digits(result.contributions.get(k, 0)) for k in keys],
            ]
        )
    return out.getvalue()


def _six_digits(value: float) -> float:
    """A result rounded to 6 significant digits, still a number (written unescaped)."""
    return float(f"{value:.6g}")


# What a catalogue edit did to the rankings ---------------------------------------------


def batch_url(batch: Batch) -> str:
    """The batch's progress page when it belongs to a workspace, else its admin page."""
    if batch.workspace_id:
        try:
            return reverse("selector:batch-detail", kwargs={"pk": batch.pk})
        except NoReverseMatch:  # the pages' urls are not installed
            pass
    return reverse("admin:selector_batch_change", args=[batch.pk])


def rerank_message(
    request, rerank: Rerank, *, verb: str = "follow", subject: str = "this profile"
) -> None:
    """Tell the user how many evaluations a save affects and where their batch is.

    The evaluations ``verb`` (follow, weigh) the ``subject`` that was saved.
    """
    if rerank.evaluations == 0:
        messages.info(request, f"No evaluation {verb}s {subject}: nothing to re-rank.")
        return
    follow = f"{verb} {subject}"
    links = format_html_join(
        ", ",
        '<a href="{}">batch #{}</a>',
        ((batch_url(b), b.pk) for b in rerank.batches),
    )
    if rerank.started:
        messages.success(
            request,
            format_html(
                "{} evaluation(s) {}: re-ranking started in {}.",
                rerank.evaluations,
                follow,
                links or "a batch",
            ),
        )
        return
    problem = f" (re-ranking could not start: {rerank.error})" if rerank.error else ""
    messages.warning(
        request,
        format_html(
            "{} evaluation(s) {} and need re-running{}; recorded in {}.",
            rerank.evaluations,
            follow,
            problem,
            links,
        ),
    )

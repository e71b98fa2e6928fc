"""What people read, made from runs and saves: the result page's ranking, charts and
sentences about robustness, a run's CSV, and what a catalogue edit did to rankings.

Shared by the pages, the admin and (later) the report, so they never word a thing
differently.
"""

import io

from django.contrib import messages
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from selector import engine
from selector.csv_cells import SafeWriter
from selector.formats import number, percent
from selector.models import Batch, Method, Normalization, Run, RunResult
from selector.presenters import explanations
from selector.presenters.rank_shares import has_lower, percent_rows, rank_labels
from selector.presenters.snapshot import (
    entered_cells,
    run_snapshot,
    shown_criteria,
    shown_source,
)
from selector.presenters.verdict import run_verdict, what_it_takes_rows
from selector.services.catalogue.profiles import Rerank


def _range_case(low: float, high: float) -> str:
    """Which of the four ranges a weight may move in: "any", "above", "below" or
    "between"."""
    if low <= 1e-9 and high >= 1 - 1e-9:
        return "any"
    if high >= 1 - 1e-9:
        return "above"
    if low <= 1e-9:
        return "below"
    return "between"


def stability_sentence(top: str, criterion: str, row: dict) -> str:
    """E.g. "Copilot stays first while ROI's weight is between 18% and 44% (now 30%)"."""
    low, high = row["top"]
    values = {
        "tool": top,
        "criterion": criterion,
        "low": percent(low),
        "high": percent(high),
        "weight": percent(row["weight"]),
    }
    sentences = {
        "any": gettext(
            "%(tool)s stays first whatever %(criterion)s's weight (now %(weight)s)."
        ),
        "above": gettext(
            "%(tool)s stays first while %(criterion)s's weight is above %(low)s "
            "(now %(weight)s)."
        ),
        "below": gettext(
            "%(tool)s stays first while %(criterion)s's weight is below %(high)s "
            "(now %(weight)s)."
        ),
        "between": gettext(
            "%(tool)s stays first while %(criterion)s's weight is between %(low)s "
            "and %(high)s (now %(weight)s)."
        ),
    }
    return sentences[_range_case(low, high)] % values


def order_sentence(criterion: str, row: dict) -> str:
    """E.g. "The whole order holds while Price's weight is below 11%"."""
    low, high = row["order"]
    values = {"criterion": criterion, "low": percent(low), "high": percent(high)}
    sentences = {
        "any": gettext("The whole order holds whatever %(criterion)s's weight."),
        "above": gettext(
            "The whole order holds while %(criterion)s's weight is above %(low)s."
        ),
        "below": gettext(
            "The whole order holds while %(criterion)s's weight is below %(high)s."
        ),
        "between": gettext(
            "The whole order holds while %(criterion)s's weight is between %(low)s "
            "and %(high)s."
        ),
    }
    return sentences[_range_case(low, high)] % values


# PROMETHEE II's preference functions (engine.promethee.PREFERENCES), as the method
# label names them.
PREFERENCE_NAMES = {
    "usual": _("usual preference"),
    "ushape": _("ushape preference"),
    "vshape": _("vshape preference"),
    "level": _("level preference"),
    "linear": _("linear preference"),
}


def method_label(method: str, options: dict) -> str:
    """E.g. "VIKOR (v = 0.25)", "PROMETHEE II (linear preference, thresholds q and p)"."""
    label = str(Method(method).label)
    if "v" in options:
        return gettext("%(method)s (v = %(v)s)") % {
            "method": label,
            "v": number(options["v"]),
        }
    preference = options.get("preference")
    if preference and preference != "usual":
        values = {
            "method": label,
            "preference": str(PREFERENCE_NAMES.get(preference, preference)),
        }
        given = [name for name in ("q", "p") if options.get(name) is not None]
        if len(given) > 1:
            return gettext("%(method)s (%(preference)s, thresholds q and p)") % values
        if given:
            values["threshold"] = given[0]
            return (
                gettext("%(method)s (%(preference)s, threshold %(threshold)s)") % values
            )
        return gettext("%(method)s (%(preference)s)") % values
    return label


def explain_run(run: Run, results: list[RunResult]) -> dict:
    """Everything the result page draws, from the run's snapshot and stored output."""
    inputs, robustness = run.inputs, run.robustness or {}
    criteria = shown_criteria(inputs)
    names = {c["key"]: c["name"] for c in criteria}
    tool_index = {tool["name"]: i for i, tool in enumerate(inputs["tools"])}
    method = inputs["method"]
    normalization = inputs.get("normalization") or engine.default_normalization(method)
    return {
        "ranking": _ranking_rows(results, criteria, tool_index, robustness, inputs),
        "criteria": criteria,
        "weights": _weights(inputs, criteria),
        "contribution_chart": _contribution_chart(results, criteria),
        "acceptability_chart": _acceptability_chart(results, tool_index, robustness),
        "lower_ranks": has_lower(len(inputs["tools"])),
        "stability": _stability(results, criteria, robustness),
        "method_label": method_label(method, inputs.get("method_options") or {}),
        "normalization_label": Normalization(normalization).label
        if normalization
        else "",
        "filled": [
            {**cell, "criterion_name": names.get(cell["criterion"], cell["criterion"])}
            for cell in inputs.get("filled_as_worst", [])
        ],
        "samples": robustness.get("samples"),
        "concentration": robustness.get("concentration"),
        "has_contributions": any(r.contributions for r in results),
        "snapshot": run_snapshot(inputs),
        "explanations": explanations.run_explanations(inputs, robustness),
        "verdict": run_verdict(inputs, run.robustness, results),
        "what_it_takes": what_it_takes_rows(inputs, run.robustness, results),
    }


def _weights(inputs: dict, criteria: list[dict]) -> list[dict]:
    """Each criterion's weight, its share of the total and the survey figure behind it."""
    total = sum(inputs["weights"]) or 1.0
    sources = {
        source["criterion"]: shown_source(source)
        for source in inputs.get("weight_sources", [])
    }
    return [
        {
            **criterion,
            "share": weight / total,
            "share_text": percent(round(100 * weight / total) / 100),
            "value": weight,
            "source": sources.get(criterion["key"], {}),
        }
        for criterion, weight in zip(criteria, inputs["weights"], strict=True)
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
                "first_text": percent(acceptability[i][0] / 100)
                if acceptability and i is not None
                else "",
                "confidence": confidence[i] if confidence and i is not None else None,
            }
        )
    return rows


def _contribution_chart(results, criteria) -> dict:
    return {
        "axis": gettext("contribution to score"),
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
        "axis": gettext("share of weight draws"),
        # how a tick's whole percentage is written: "{}%" or "{} %"
        "percent": percent(0).replace("0", "{}"),
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


# rerank_message's sentences by (about a criterion?, case); English says
# "evaluation(s)" whatever the count, the translation has its plural forms.
RERANK_TEXTS = {
    (False, "none"): _("No evaluation follows this profile: nothing to re-rank."),
    (False, "started"): ngettext_lazy(
        "%(count)s evaluation(s) follow this profile: re-ranking started in "
        "%(batches)s.",
        "%(count)s evaluation(s) follow this profile: re-ranking started in "
        "%(batches)s.",
        "count",
    ),
    (False, "recorded"): ngettext_lazy(
        "%(count)s evaluation(s) follow this profile and need re-running; recorded "
        "in %(batches)s.",
        "%(count)s evaluation(s) follow this profile and need re-running; recorded "
        "in %(batches)s.",
        "count",
    ),
    (False, "failed"): ngettext_lazy(
        "%(count)s evaluation(s) follow this profile and need re-running "
        "(re-ranking could not start: %(error)s); recorded in %(batches)s.",
        "%(count)s evaluation(s) follow this profile and need re-running "
        "(re-ranking could not start: %(error)s); recorded in %(batches)s.",
        "count",
    ),
    (True, "none"): _("No evaluation weighs this criterion: nothing to re-rank."),
    (True, "started"): ngettext_lazy(
        "%(count)s evaluation(s) weigh this criterion: re-ranking started in "
        "%(batches)s.",
        "%(count)s evaluation(s) weigh this criterion: re-ranking started in "
        "%(batches)s.",
        "count",
    ),
    (True, "recorded"): ngettext_lazy(
        "%(count)s evaluation(s) weigh this criterion and need re-running; "
        "recorded in %(batches)s.",
        "%(count)s evaluation(s) weigh this criterion and need re-running; "
        "recorded in %(batches)s.",
        "count",
    ),
    (True, "failed"): ngettext_lazy(
        "%(count)s evaluation(s) weigh this criterion and need re-running "
        "(re-ranking could not start: %(error)s); recorded in %(batches)s.",
        "%(count)s evaluation(s) weigh this criterion and need re-running "
        "(re-ranking could not start: %(error)s); recorded in %(batches)s.",
        "count",
    ),
}


def rerank_message(request, rerank: Rerank, *, about: str = "profile") -> None:
    """Tell the user how many evaluations a save affects and where their batch is.

    ``about``: what was saved, "profile" (the evaluations follow it) or "criterion"
    (they weigh it)."""
    count = rerank.evaluations
    if count == 0:
        messages.info(request, str(RERANK_TEXTS[about == "criterion", "none"]))
        return
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (batch_url(b), gettext("batch #%(batch)s") % {"batch": b.pk})
            for b in rerank.batches
        ),
    )
    values = {
        "count": count,
        "batches": links or gettext("a batch"),
        "error": rerank.error or "",
    }
    if rerank.started:
        text = RERANK_TEXTS[about == "criterion", "started"]
        messages.success(request, _html(text, values))
        return
    case = "failed" if rerank.error else "recorded"
    messages.warning(request, _html(RERANK_TEXTS[about == "criterion", case], values))


def _html(text: str, values: dict):
    """A translated sentence with %(name)s placeholders filled with escaped values
    (the batch links are already safe HTML)."""
    escaped = {
        k: v if isinstance(v, int) else conditional_escape(v) for k, v in values.items()
    }
    return mark_safe(text % escaped)  # noqa: S308

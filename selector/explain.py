"""Turn a finished run into what people read: ranking, charts, sentences about robustness."""

from selector.models import Method, Normalization, Run, RunResult

DEFAULT_NORMALIZATION = {"wsm": "minmax", "wpm": "max", "topsis": "vector"}


def percent(share: float) -> str:
    """A share as a whole percentage; a share a hair below zero reads 0%, not -0%."""
    value = share * 100
    return f"{0.0 if abs(value) < 0.5 else value:.0f}%"


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
    inputs, robustness = run.inputs, run.robustness or {}
    criteria = inputs["criteria"]
    tool_index = {tool["name"]: i for i, tool in enumerate(inputs["tools"])}
    total = sum(inputs["weights"]) or 1.0
    sources = {
        source["criterion"]: source for source in inputs.get("weight_sources", [])
    }
    weights = [
        {
            **criterion,
            "share": weight / total,
            "value": weight,
            "source": sources.get(criterion["key"], {}),
        }
        for criterion, weight in zip(criteria, inputs["weights"], strict=True)
    ]
    acceptability = robustness.get("acceptability") or []
    confidence = robustness.get("confidence") or []

    ranking = []
    for result in results:
        i = tool_index.get(result.tool_name)
        ranking.append(
            {
                "result": result,
                "contributions": [result.contributions.get(c["key"]) for c in criteria],
                "first": acceptability[i][0]
                if acceptability and i is not None
                else None,
                "confidence": confidence[i] if confidence and i is not None else None,
            }
        )

    names = [result.tool_name for result in results]
    contribution_chart = {
        "labels": names,
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
    acceptability_chart = None
    if acceptability:
        order = [tool_index[name] for name in names]
        acceptability_chart = {
            "labels": names,
            "datasets": [
                {"label": f"Rank {r + 1}", "data": [acceptability[i][r] for i in order]}
                for r in range(min(len(order), 5))
            ],
        }

    top = results[0].tool_name if results else ""
    name_of = {c["key"]: c["name"] for c in criteria}
    stability = [
        {
            **row,
            "name": name_of.get(row["criterion"], row["criterion"]),
            "sentence": stability_sentence(top, name_of.get(row["criterion"], ""), row),
            "order_sentence": order_sentence(name_of.get(row["criterion"], ""), row),
        }
        for row in robustness.get("stability", [])
    ]
    method = inputs["method"]
    normalization = inputs.get("normalization") or DEFAULT_NORMALIZATION.get(method, "")
    return {
        "ranking": ranking,
        "criteria": criteria,
        "weights": weights,
        "contribution_chart": contribution_chart,
        "acceptability_chart": acceptability_chart,
        "stability": stability,
        "method_label": method_label(method, inputs.get("method_options") or {}),
        "normalization_label": Normalization(normalization).label
        if normalization
        else "",
        "filled": inputs.get("filled_as_worst", []),
        "samples": robustness.get("samples"),
        "concentration": robustness.get("concentration"),
        "has_contributions": any(r.contributions for r in results),
    }

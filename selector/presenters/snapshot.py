"""What a run used, read from its snapshot alone (never the evaluation's current
state): its profile, method options, weights for the what-if sliders, tools' scores."""

from django.utils.translation import gettext

from selector.formats import number, percent
from selector.models import Method
from survey.localized import localized
from survey.models import EvidenceLevel


def shown_criteria(inputs: dict) -> list[dict]:
    """The snapshot's criteria with their name and unit in the reader's language
    (the French twins ``name_fr``/``unit_fr`` new snapshots keep; English for older
    ones)."""
    return [
        {**c, "name": localized(c, "name"), "unit": localized(c, "unit")}
        for c in inputs["criteria"]
    ]


def shown_source(source: dict) -> dict:
    """A snapshot's weight source with its survey figure's texts in the reader's
    language, and the figure's value as a percentage ("30%" / "30 %")."""
    benchmark = source.get("benchmark")
    if not benchmark:
        return source
    value = benchmark.get("value") or 0
    digits = 0 if float(value).is_integer() else 1
    return {
        **source,
        "benchmark": {
            **benchmark,
            "label": localized(benchmark, "label"),
            "survey_title": localized(benchmark, "survey_title"),
            "evidence_meaning": localized(benchmark, "evidence_meaning"),
            "value_text": percent(value / 100, digits),
            "evidence_text": _evidence_text(benchmark),
        },
    }


def _evidence_text(benchmark: dict) -> str:
    """A figure's evidence level and what it means, e.g. "press: a press summary"."""
    level = benchmark.get("evidence_level") or ""
    if level in EvidenceLevel.values:
        level = str(
            EvidenceLevel(level).label
        )  # the level's name in the reader's language
    meaning = localized(benchmark, "evidence_meaning")
    if not (level and meaning):
        return level
    # Translators: a survey figure's evidence level and what it means.
    return gettext("%(level)s: %(meaning)s") % {"level": level, "meaning": meaning}


def run_snapshot(inputs: dict) -> dict:
    """What the run used, from its snapshot alone: profile, options, tools' scores."""
    criteria = shown_criteria(inputs)
    profile = inputs.get("profile") or {}
    return {
        "method_name": Method(inputs["method"]).label,
        "profile_name": localized(profile, "name"),
        "profile_slug": profile.get("slug", ""),
        "adjusted": any(s.get("overridden") for s in inputs.get("weight_sources", [])),
        "weights_used": weights_used(inputs.get("weight_sources")),
        "options": _option_items(inputs.get("method_options") or {}, criteria),
        "rows": [
            {"tool": tool["name"], "values": values}
            for tool, values in zip(inputs["tools"], inputs["matrix"], strict=True)
        ],
    }


def entered_cells(inputs: dict) -> dict[str, list[dict]]:
    """By tool name, per criterion: the value the run used as entered, its unit, its
    low and high bounds when they differ from it, its evidence note, and whether it
    was missing and filled with the worst value. Read from the snapshot alone; a run
    snapshotted before evidence was kept shows none."""
    criteria, matrix = shown_criteria(inputs), inputs["matrix"]
    bounds = inputs.get("bounds") or {}
    evidence = inputs.get("evidence") or [[""] * len(criteria) for _ in matrix]
    keys = [c["key"] for c in criteria]
    filled = {
        (cell["tool"], cell["criterion"]) for cell in inputs.get("filled_as_worst", [])
    }
    cells = {}
    for i, (tool, values) in enumerate(zip(inputs["tools"], matrix, strict=True)):
        row = []
        for j, value in enumerate(values):
            low = bounds["low"][i][j] if bounds else value
            high = bounds["high"][i][j] if bounds else value
            ranged = low != value or high != value
            row.append(
                {
                    "value": value,
                    "unit": criteria[j].get("unit", ""),
                    "low": low if ranged else None,
                    "high": high if ranged else None,
                    "evidence": evidence[i][j],
                    "filled": (tool["name"], keys[j]) in filled,
                }
            )
        cells[tool["name"]] = row
    return cells


def weights_used(sources: list[dict] | None) -> str:
    """Which weights a run used, from its snapshot's weight sources: its profile's own,
    or the evaluation's adjusted ones ("" for a snapshot without them)."""
    if not sources:
        return ""
    if any(source.get("overridden") for source in sources):
        return gettext("the evaluation's adjusted weights")
    return gettext("the profile's own weights")


def snapshot_weight_lines(inputs: dict) -> list[dict]:
    """The run's own weights as the what-if sliders take them (criterion, value,
    profile_value), so a run's page starts from the weights that run used."""
    sources = {s["criterion"]: s for s in inputs.get("weight_sources", [])}
    return [
        {
            "criterion": criterion,
            "value": weight,
            "profile_value": sources.get(criterion["key"], {}).get(
                "profile_value", weight
            ),
        }
        for criterion, weight in zip(inputs["criteria"], inputs["weights"], strict=True)
    ]


def _option_items(options: dict, criteria: list[dict]) -> list[str]:
    """Each method option as "name = value"; a per-criterion list names its criteria."""
    items = []
    for name, value in sorted(options.items()):
        if isinstance(value, list):
            value = ", ".join(
                f"{c['name']} {number(v)}"
                for c, v in zip(criteria, value, strict=False)
            )
        elif isinstance(value, float):
            value = number(value)
        items.append(f"{name} = {value}")
    return items

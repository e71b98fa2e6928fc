"""The snapshot a run keeps: an evaluation frozen into plain JSON.

``snapshot_inputs`` reads the database once and freezes everything a run needs (tools,
criteria and their French twins, weights and where they come from, the score matrix
with its bounds and evidence, method and options); ``current_inputs`` reads what a
snapshot would hold now, for the staleness check. ``computation`` ranks snapshots.
"""

import numpy as np
from django.core.exceptions import ValidationError

from selector import engine
from selector.models import Evaluation, Score, Tool
from selector.selectors import WeightLine, weight_lines
from selector.services.evaluations import engine_options

# Weight samples per run for the rank-acceptability analysis; kept modest so a run of
# 20 tools x 9 criteria stays well under a second.
DEFAULT_SMAA_SAMPLES = 2000


def survey_concentration(
    evaluation: Evaluation, lines: list[WeightLine], *, profile=None
) -> float | None:
    """Dirichlet concentration matching the survey's sampling error, when it applies.

    Only a profile taken straight from a survey with a known sample size has a sampling
    error; overridden weights are the user's own judgement, drawn uniformly (SMAA-2).
    """
    survey = (evaluation.profile if profile is None else profile).survey
    if (
        survey is None
        or not survey.respondents
        or any(line.overridden for line in lines)
    ):
        return None
    return float(engine.survey_concentration(survey.respondents))


def snapshot_inputs(evaluation: Evaluation, *, weights=None, profile=None) -> dict:
    """Freeze the evaluation into plain data; ValidationError when it cannot be ranked.

    ``weights`` replaces the evaluation's overrides (by criterion key), ``profile``
    snapshots the evaluation under another weight profile than its own.
    """
    profile = evaluation.profile if profile is None else profile
    lines = weight_lines(evaluation, weights, profile=profile)
    if not lines:
        raise ValidationError({"profile": "The weight profile has no criteria."})
    if not any(line.value > 0 for line in lines):
        raise ValidationError({"weights": "At least one weight must be above zero."})
    criteria = [line.criterion for line in lines]
    tools, scores = _tools_and_scores(evaluation, criteria)
    if len(tools) < 2:
        raise ValidationError({"tools": "Choose at least two tools to compare."})
    values, low, high, evidence = _score_matrices(tools, scores, criteria)
    filled = _fill_missing(evaluation, tools, criteria, values, low, high)
    return {
        **_sections(evaluation, profile, lines, tools, (values, low, high)),
        # The evidence note behind each score ("" where none), or None when no score
        # has one; runs snapshotted before it was kept have no such key.
        "evidence": evidence if any(any(row) for row in evidence) else None,
        "filled_as_worst": filled,
        "method_options": engine_options(
            evaluation.method,
            evaluation.method_options,
            [c.key for c in criteria],
            field="options",
        ),
        "smaa_samples": DEFAULT_SMAA_SAMPLES,
        "concentration": survey_concentration(evaluation, lines, profile=profile),
        "engine_version": engine.ENGINE_VERSION,
    }


def current_inputs(evaluation: Evaluation) -> dict:
    """What a snapshot of the evaluation would hold now, read but not checked (it may
    not be rankable any more): missing scores are NaN in the matrix and nothing is
    filled; method options the engine refuses are kept as the evaluation has them.
    The staleness check compares it with a run's snapshot; it ranks nothing."""
    lines = weight_lines(evaluation)
    criteria = [line.criterion for line in lines]
    tools, scores = _tools_and_scores(evaluation, criteria)
    matrices = _score_matrices(tools, scores, criteria)[:3]
    try:
        options = engine_options(
            evaluation.method,
            evaluation.method_options,
            [c.key for c in criteria],
            field="options",
        )
    except ValidationError:
        options = dict(evaluation.method_options or {})
    return {
        **_sections(evaluation, evaluation.profile, lines, tools, matrices),
        "filled_as_worst": [],
        "method_options": options,
    }


def _sections(evaluation, profile, lines, tools, matrices) -> dict:
    """The parts of a snapshot read straight from the evaluation, its weight lines and
    tools, shared by ``snapshot_inputs`` and ``current_inputs``."""
    values, low, high = matrices
    has_bounds = bool(np.any(low != values) or np.any(high != values))
    return {
        "tools": [{"id": tool.pk, "name": tool.name} for tool in tools],
        "criteria": [
            {
                "key": line.criterion.key,
                "name": line.criterion.name,
                "name_fr": line.criterion.name_fr,
                "direction": line.criterion.direction,
                "unit": line.criterion.unit,
                "unit_fr": line.criterion.unit_fr,
                # the range what it would take is searched over (search_ranges)
                "kind": line.criterion.kind,
                "scale_min": line.criterion.scale_min,
                "scale_max": line.criterion.scale_max,
            }
            for line in lines
        ],
        "weights": [line.value for line in lines],
        "weight_sources": [_weight_source(line) for line in lines],
        "matrix": values.tolist(),
        "bounds": {"low": low.tolist(), "high": high.tolist()} if has_bounds else None,
        "method": evaluation.method,
        "normalization": evaluation.normalization or None,
        "missing_scores": evaluation.missing_scores,
        "profile": dict(slug=profile.slug, name=profile.name, name_fr=profile.name_fr),
    }


def _tools_and_scores(evaluation: Evaluation, criteria) -> tuple[list[Tool], list]:
    """The evaluation's tools by name (id and name only) and their scores on
    ``criteria`` as (tool id, criterion id, value, low, high, evidence) rows: two
    queries and plain rows, as the staleness check reads them on every ranking
    request."""
    tools = list(evaluation.tools.order_by("name", "id").only("id", "name"))
    scores = list(
        Score.objects.filter(
            tool__evaluations=evaluation, criterion__in=criteria
        ).values_list("tool_id", "criterion_id", "value", "low", "high", "evidence")
    )
    return tools, scores


def _score_matrices(tools, scores, criteria) -> tuple:
    """Values, low and high bounds (n tools x m criteria arrays, NaN where no score)
    and the evidence notes (n lists of m strings, "" where none)."""
    values = np.full((len(tools), len(criteria)), np.nan)
    low, high = values.copy(), values.copy()
    evidence = [[""] * len(criteria) for _ in tools]
    row = {tool.pk: i for i, tool in enumerate(tools)}
    column = {criterion.pk: j for j, criterion in enumerate(criteria)}
    for tool_id, criterion_id, value, low_bound, high_bound, note in scores:
        if tool_id not in row:
            continue  # a tool added to the evaluation between the two reads
        i, j = row[tool_id], column[criterion_id]
        values[i, j] = value
        low[i, j] = value if low_bound is None else low_bound
        high[i, j] = value if high_bound is None else high_bound
        evidence[i][j] = note
    return values, low, high, evidence


def _fill_missing(evaluation, tools, criteria, values, low, high) -> list[dict]:
    """Fill missing scores with the criterion's worst value, in place, as the
    evaluation allows; the cells filled. ValidationError naming the tools otherwise."""
    holes = np.argwhere(np.isnan(values))
    if not len(holes):
        return []
    if evaluation.missing_scores == Evaluation.MissingScores.BLOCK:
        listing = "; ".join(
            f"{tools[i].name} ({', '.join(criteria[j].name for j in js)})"
            for i, js in _group_holes(holes).items()
        )
        raise ValidationError(
            {
                "tools": f"Missing scores: {listing}. Enter them, or choose to treat "
                "missing scores as the worst value."
            }
        )
    filled = []
    for j in sorted({int(j) for _, j in holes}):
        present = values[~np.isnan(values[:, j]), j]
        if present.size == 0:
            raise ValidationError(
                {
                    "tools": f"No tool has a score for {criteria[j].name}; enter at "
                    "least one or remove the criterion."
                }
            )
        worst = present.min() if criteria[j].sign > 0 else present.max()
        rows = np.isnan(values[:, j])
        values[rows, j] = low[rows, j] = high[rows, j] = worst
        filled.extend(
            {"tool": tools[int(i)].name, "criterion": criteria[j].key, "value": worst}
            for i in np.flatnonzero(rows)
        )
    return filled


def _group_holes(holes) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for i, j in holes:
        grouped.setdefault(int(i), []).append(int(j))
    return grouped


def _weight_source(line: WeightLine) -> dict:
    benchmark = line.benchmark
    return {
        "criterion": line.criterion.key,
        "profile_value": line.profile_value,
        "overridden": line.overridden,
        "benchmark": None
        if benchmark is None
        else {
            "survey": benchmark.survey.slug,
            "survey_title": benchmark.survey.title,
            "survey_title_fr": benchmark.survey.title_fr,
            "category": benchmark.category,
            "key": benchmark.key,
            "label": benchmark.label,
            "label_fr": benchmark.label_fr,
            "value": benchmark.value,
            "unit": benchmark.unit,
            "evidence_level": benchmark.evidence_level,
            "evidence_meaning": benchmark.evidence_meaning,
            "evidence_meaning_fr": benchmark.survey.evidence_levels_fr.get(
                benchmark.evidence_level, ""
            ),
        },
    }

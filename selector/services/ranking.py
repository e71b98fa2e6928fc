"""Rankings that store nothing: alternatives sent to the rank API, the what-if preview
of slider weights, and an evaluation ranked under two profiles side by side.

Each is ranked by the same ``computation.rank`` that runs use, so a preview, the API
and stored runs never disagree. None of them computes robustness.
"""

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from selector import engine
from selector.models import Evaluation, WeightProfile
from selector.selectors import weight_rows
from selector.services.computation import rank, snapshot_inputs
from selector.services.evaluations import clean_weight_overrides, engine_options

MAX_ALTERNATIVES = 10_000
MAX_CRITERIA = 100
# Stop collecting errors after this many: a 10,000-row request with a systematic
# mistake should get a readable answer, not 10,000 lines.
MAX_ERRORS = 50


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    @property
    def full(self) -> bool:
        return len(self) >= MAX_ERRORS


# The rank API ---------------------------------------------------------------------------


def rank_alternatives(
    *,
    method: str,
    normalization: str | None,
    criteria: Sequence[Mapping],
    alternatives: Sequence[Mapping],
    options: Mapping | None = None,
) -> list[dict]:
    """Rows ``{"name", "rank", "score", "contributions"}`` ordered by rank.

    ``criteria``: ``{"key", "direction", "weight"}``; ``alternatives``: ``{"name",
    "values": {criterion key: number}}``; ``options``: the method's (VIKOR ``v``,
    PROMETHEE II ``preference``, ``q``, ``p``; a threshold is one number or one per
    criterion key). Raises ValidationError keyed by field path
    (``alternatives.1.values.roi``) and ``engine.EngineError`` when the engine refuses
    the data (e.g. a constant column TOPSIS cannot use).
    """
    values = _finite_values(alternatives)
    errors = _Errors()
    keys = [criterion["key"] for criterion in criteria]
    weights = [float(criterion["weight"]) for criterion in criteria]
    _check_criteria(keys, weights, errors)
    if len(alternatives) < 2:
        errors.add("alternatives", "Send at least two alternatives to rank.")
    matrix = _matrix(alternatives, values, keys, errors)
    if errors:
        raise ValidationError(dict(errors))
    options = engine_options(method, options, keys, field="options")

    inputs = {
        "tools": [{"id": None, "name": a["name"]} for a in alternatives],
        "criteria": [{"key": c["key"], "direction": c["direction"]} for c in criteria],
        "weights": weights,
        "matrix": matrix,
        "method": method,
        "normalization": normalization or None,
        "method_options": options,
    }
    return [
        {
            "name": row["tool_name"],
            "rank": row["rank"],
            "score": row["score"],
            "contributions": row["contributions"],
        }
        for row in rank(inputs)
    ]


def _check_criteria(
    keys: Sequence[str], weights: Sequence[float], errors: _Errors
) -> None:
    """Criterion keys must be unique and at least one weight above zero."""
    seen_keys: dict[str, int] = {}
    for j, key in enumerate(keys):
        if key in seen_keys:
            errors.add(
                f"criteria.{j}.key", f"{key!r} is already criterion {seen_keys[key]}."
            )
        seen_keys.setdefault(key, j)
    if keys and not any(weight > 0 for weight in weights):
        errors.add("criteria", "At least one weight must be above zero.")


def _finite_values(alternatives: Sequence[Mapping]) -> list[dict[str, float]]:
    """Each alternative's values as floats, by criterion key.

    A value a float cannot hold (JSON's ``1e999`` reads as infinity, a 400-digit
    integer overflows) is refused on its own, before the other checks, which read the
    values as numbers; at most ``MAX_ERRORS`` alternatives are named.
    """
    errors: dict[str, list[str]] = {}
    rows, faulty = [], 0
    for i, alternative in enumerate(alternatives):
        if faulty >= MAX_ERRORS:
            break
        row = {key: _to_float(value) for key, value in alternative["values"].items()}
        infinite = [key for key, number in row.items() if not math.isfinite(number)]
        for key in infinite:
            errors[f"alternatives.{i}.values.{key}"] = ["A finite number is required."]
        faulty += bool(infinite)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


def _to_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float
        return math.inf


def _matrix(
    alternatives: Sequence[Mapping],
    values: Sequence[Mapping[str, float]],
    keys: Sequence[str],
    errors: _Errors,
) -> list[list[float]]:
    """The n x m matrix of ``values`` in the order of ``keys``; names that repeat (in
    any case), unknown criteria and missing values go to ``errors``."""
    known = set(keys)
    matrix = []
    seen_names: dict[str, int] = {}
    for i, (alternative, row_values) in enumerate(
        zip(alternatives, values, strict=True)
    ):
        if errors.full:
            break
        name = alternative["name"]
        folded = name.casefold()
        if folded in seen_names:
            errors.add(
                f"alternatives.{i}.name",
                f"{name!r} is already alternative {seen_names[folded]}; names must "
                "be unique.",
            )
        seen_names.setdefault(folded, i)
        for key in row_values:
            if key not in known:
                errors.add(
                    f"alternatives.{i}.values.{key}",
                    f"Unknown criterion {key!r}; the criteria are {', '.join(keys)}.",
                )
        row = []
        for key in keys:
            value = row_values.get(key)
            if value is None:
                errors.add(f"alternatives.{i}.values.{key}", "A value is required.")
                row.append(math.nan)
            else:
                row.append(value)
        matrix.append(row)
    return matrix


# The what-if preview -------------------------------------------------------------------


def preview_ranking(*, evaluation: Evaluation, weights: Mapping) -> list[dict]:
    """The evaluation's ranking under slider ``weights`` (by criterion key), stored
    nowhere; ValidationError or ``engine.EngineError`` saying why it cannot be ranked."""
    cleaned = clean_weight_overrides(evaluation.profile, weights)
    return rank(snapshot_inputs(evaluation, weights=cleaned))


# Two profiles side by side -------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRanking:
    profile: WeightProfile
    rows: list[dict]  # tool_name, rank, score
    error: str = ""


@dataclass(frozen=True)
class Comparison:
    a: WeightProfile
    b: WeightProfile
    weights: list[dict]
    evaluation: Evaluation | None
    rankings: tuple[ProfileRanking, ProfileRanking] | None
    tools: list[dict]

    @property
    def top_changes(self) -> bool:
        if not self.rankings or any(r.error for r in self.rankings):
            return False
        tops = [
            {row["tool_name"] for row in r.rows if row["rank"] == 1}
            for r in self.rankings
        ]
        return tops[0] != tops[1]


def rank_under_profile(
    evaluation: Evaluation, profile: WeightProfile
) -> ProfileRanking:
    """The evaluation ranked with ``profile``'s own weights; nothing is stored."""
    candidate = copy.copy(evaluation)
    candidate.profile = profile
    try:
        rows = rank(snapshot_inputs(candidate, weights={}))
    except ValidationError as error:
        return ProfileRanking(profile, [], error=" ".join(error.messages))
    except engine.EngineError as error:
        return ProfileRanking(profile, [], error=str(error))
    return ProfileRanking(
        profile,
        [
            {"tool_name": r["tool_name"], "rank": r["rank"], "score": r["score"]}
            for r in rows
        ],
    )


def compare_profiles(
    *, a: WeightProfile, b: WeightProfile, evaluation: Evaluation | None = None
) -> Comparison:
    """Two profiles' weights side by side and, given an evaluation, both rankings."""
    rows_a = {row.criterion.key: row for row in weight_rows(a)}
    rows_b = {row.criterion.key: row for row in weight_rows(b)}
    keys = sorted(
        rows_a.keys() | rows_b.keys(),
        key=lambda k: (
            -max(
                getattr(rows_a.get(k), "share", 0), getattr(rows_b.get(k), "share", 0)
            ),
            k,
        ),
    )
    weights = []
    for key in keys:
        ra, rb = rows_a.get(key), rows_b.get(key)
        criterion = (ra or rb).criterion
        share_a = ra.share if ra else 0.0
        share_b = rb.share if rb else 0.0
        weights.append(
            {
                "criterion": criterion,
                "a": ra,
                "b": rb,
                "share_a": share_a,
                "share_b": share_b,
                "difference": 100 * (share_b - share_a),  # percentage points
            }
        )
    rankings, tools = None, []
    if evaluation is not None:
        rankings = (
            rank_under_profile(evaluation, a),
            rank_under_profile(evaluation, b),
        )
        if not any(r.error for r in rankings):
            rank_b = {row["tool_name"]: row for row in rankings[1].rows}
            for row in rankings[0].rows:
                other = rank_b.get(row["tool_name"])
                tools.append(
                    {
                        "tool_name": row["tool_name"],
                        "rank_a": row["rank"],
                        "score_a": row["score"],
                        "rank_b": other["rank"] if other else None,
                        "score_b": other["score"] if other else None,
                        "moved": (row["rank"] - other["rank"]) if other else 0,
                    }
                )
    return Comparison(a, b, weights, evaluation, rankings, tools)

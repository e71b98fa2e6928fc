"""Rankings that store nothing: alternatives sent to the rank API, the what-if preview
of slider weights, and an evaluation ranked under two profiles side by side.

Each is ranked by the same ``computation.rank`` that runs use, so a preview, the API
and stored runs never disagree. None of them computes robustness.
"""

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from selector import engine
from selector.limits import MAX_ERRORS
from selector.messages import engine_message
from selector.models import Evaluation, WeightProfile
from selector.selectors import weight_rows
from selector.services.computation import rank
from selector.services.evaluations import clean_weight_overrides, engine_options
from selector.services.snapshots import snapshot_inputs

MAX_ALTERNATIVES = 10_000
MAX_CRITERIA = 100


class _Errors(dict):
    """Messages by field path, at most ``MAX_ERRORS`` in all (later ones are dropped)."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def add(self, field: str, message: str) -> None:
        if not self.full:
            self.setdefault(field, []).append(message)
            self.count += 1

    @property
    def full(self) -> bool:
        return self.count >= MAX_ERRORS


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
    (``alternatives.1.values.roi``; at most ``MAX_ERRORS`` messages) and
    ``engine.EngineError`` when the engine refuses the data (e.g. a constant column
    TOPSIS cannot use).
    """
    errors = _Errors()
    keys = [criterion["key"] for criterion in criteria]
    weights = [_to_float(criterion["weight"]) for criterion in criteria]
    _check_criteria(keys, weights, errors)
    if len(alternatives) < 2:
        errors.add("alternatives", gettext("Send at least two alternatives to rank."))
    matrix = _matrix(alternatives, keys, errors)
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
    """Criterion keys must be unique, weights finite and at least one above zero."""
    seen_keys: dict[str, int] = {}
    for j, (key, weight) in enumerate(zip(keys, weights, strict=True)):
        if key in seen_keys:
            errors.add(
                f"criteria.{j}.key",
                gettext("%(key)s is already criterion %(index)s.")
                % {"key": repr(key), "index": seen_keys[key]},
            )
        seen_keys.setdefault(key, j)
        if not math.isfinite(weight):
            errors.add(
                f"criteria.{j}.weight", gettext("A weight must be a finite number.")
            )
    if keys and not any(weight > 0 for weight in weights):
        errors.add("criteria", gettext("At least one weight must be above zero."))


def _to_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer too large for a float
        return math.inf


def _matrix(
    alternatives: Sequence[Mapping], keys: Sequence[str], errors: _Errors
) -> list[list[float]]:
    """The n x m matrix of the alternatives' values in the order of ``keys``; names
    that repeat (in any case), unknown criteria, missing values and values a float
    cannot hold (JSON's ``1e999`` reads as infinity, a 400-digit integer overflows) go
    to ``errors``, which stop the work once full."""
    known = set(keys)
    matrix = []
    seen_names: dict[str, int] = {}
    for i, alternative in enumerate(alternatives):
        if errors.full:
            break
        name, values = alternative["name"], alternative["values"]
        folded = name.casefold()
        if folded in seen_names:
            errors.add(
                f"alternatives.{i}.name",
                gettext(
                    "%(name)s is already alternative %(index)s; names must be unique."
                )
                % {"name": repr(name), "index": seen_names[folded]},
            )
        seen_names.setdefault(folded, i)
        if not values.keys() <= known:
            _unknown_keys(i, values, keys, errors)
        row = [_value(i, key, values.get(key), errors) for key in keys]
        matrix.append(row)
    return matrix


def _unknown_keys(
    i: int, values: Mapping, keys: Sequence[str], errors: _Errors
) -> None:
    """Errors for alternative ``i``'s values under no criterion, as many as
    ``errors`` still takes (the keys after those are not looked at)."""
    known = set(keys)
    listed = ", ".join(keys) if len(keys) <= 10 else f"{', '.join(keys[:10])}, ..."
    unknown = (key for key in values if key not in known)
    for key in islice(unknown, MAX_ERRORS - errors.count):
        errors.add(
            f"alternatives.{i}.values.{key}",
            gettext("Unknown criterion %(key)s; the criteria are %(criteria)s.")
            % {"key": repr(key), "criteria": listed},
        )


def _value(i: int, key: str, value, errors: _Errors) -> float:
    """Alternative ``i``'s value under ``key`` as a float; NaN after an error."""
    if value is None:
        errors.add(f"alternatives.{i}.values.{key}", gettext("A value is required."))
        return math.nan
    number = _to_float(value)
    if not math.isfinite(number):
        errors.add(
            f"alternatives.{i}.values.{key}", gettext("A finite number is required.")
        )
        return math.nan
    return number


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
        return ProfileRanking(profile, [], error=engine_message(error))
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

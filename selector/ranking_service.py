"""Stateless ranking: score alternatives sent by a caller, storing nothing.

The data is checked for what only the whole request can tell (unknown or missing
criteria, duplicate names, all-zero weights), then ranked by the same
``computation.rank`` that runs use, so the API and stored runs never disagree.
"""

import math
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError

from selector.computation import rank
from selector.method_options import engine_options

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
    errors = _Errors()
    keys = [criterion["key"] for criterion in criteria]
    seen_keys: dict[str, int] = {}
    for j, key in enumerate(keys):
        if key in seen_keys:
            errors.add(
                f"criteria.{j}.key", f"{key!r} is already criterion {seen_keys[key]}."
            )
        seen_keys.setdefault(key, j)
    weights = [float(criterion["weight"]) for criterion in criteria]
    if criteria and not any(weight > 0 for weight in weights):
        errors.add("criteria", "At least one weight must be above zero.")
    if len(alternatives) < 2:
        errors.add("alternatives", "Send at least two alternatives to rank.")

    known = set(keys)
    matrix = []
    seen_names: dict[str, int] = {}
    for i, alternative in enumerate(alternatives):
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
        values = alternative["values"]
        for key in values.keys() - known:
            errors.add(
                f"alternatives.{i}.values.{key}",
                f"Unknown criterion {key!r}; the criteria are {', '.join(keys)}.",
            )
        row = []
        for key in keys:
            value = values.get(key)
            if value is None:
                errors.add(f"alternatives.{i}.values.{key}", "A value is required.")
                row.append(math.nan)
            else:
                row.append(value)
        matrix.append(row)
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

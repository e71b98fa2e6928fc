"""From a run's snapshot to engine arrays and back: ranked results and robustness.

``compute`` turns a snapshot (``snapshots.snapshot_inputs``) into ranked results and
robustness output with the numpy engine, touching no model, so a run can be recomputed
from its snapshot.
"""

import numpy as np
from django.utils.translation import gettext_noop

from selector import engine
from selector.models import Criterion


def _engine_arguments(inputs: dict) -> tuple:
    matrix = np.asarray(inputs["matrix"], dtype=float)
    weights = np.asarray(inputs["weights"], dtype=float)
    with np.errstate(over="ignore"):
        total = weights.sum()
    if not np.isfinite(total):
        raise engine.EngineError(
            gettext_noop(
                "the weights are too large to add up; scale them down (only their "
                "ratios matter)"
            )
        )
    directions = np.array(
        [
            1 if c["direction"] == Criterion.Direction.BENEFIT else -1
            for c in inputs["criteria"]
        ]
    )
    options = {
        "method": inputs["method"],
        "normalization": inputs["normalization"],
        "tool_names": [tool["name"] for tool in inputs["tools"]],
        "criterion_names": [c["key"] for c in inputs["criteria"]],
        # The method's own options (VIKOR v, PROMETHEE II preference and thresholds).
        **inputs.get("method_options", {}),
    }
    return matrix, weights, directions, options


def rank(inputs: dict) -> list[dict]:
    """Result rows of a snapshot, ordered by rank; raises ``engine.EngineError``."""
    matrix, weights, directions, options = _engine_arguments(inputs)
    result = engine.evaluate(matrix, weights, directions, **options)
    if not np.isfinite(result.scores).all() or (
        result.contributions is not None and not np.isfinite(result.contributions).all()
    ):
        # Values near the float limit (e.g. 1e308) overflow inside the method; a NaN
        # score could neither be ranked nor stored as JSON.
        raise engine.EngineError(
            gettext_noop(
                "the values are too large for %(method)s to compute (a score "
                "overflowed); rescale the criteria with very large values"
            ),
            {"method": options["method"]},
        )
    keys = options["criterion_names"]
    rows = []
    for i, tool in enumerate(inputs["tools"]):
        contributions = (
            {}
            if result.contributions is None
            else {key: float(result.contributions[i, j]) for j, key in enumerate(keys)}
        )
        rows.append(
            {
                "tool_id": tool["id"],
                "tool_name": tool["name"],
                "rank": int(result.ranks[i]),
                "score": float(result.scores[i]),
                "contributions": contributions,
            }
        )
    rows.sort(key=lambda row: (row["rank"], row["tool_name"]))
    return rows


def robustness(inputs: dict) -> dict:
    """Rank acceptability (SMAA), weight stability intervals and what it would take
    (left out for the chunks of a Monte Carlo study) of a snapshot."""
    matrix, weights, directions, options = _engine_arguments(inputs)
    bounds = inputs.get("bounds")
    acceptability = engine.smaa(
        matrix,
        weights,
        directions,
        samples=inputs["smaa_samples"],
        concentration=inputs["concentration"],
        score_bounds=None
        if bounds is None
        else (np.asarray(bounds["low"]), np.asarray(bounds["high"])),
        # A chunk of a Monte Carlo batch carries its own seed (an independent stream).
        seed=inputs.get("smaa_seed", 0),
        **options,
    )
    stable = engine.stability(matrix, weights, directions, **options)
    names = options["tool_names"]
    found = {
        "samples": inputs["smaa_samples"],
        "concentration": inputs["concentration"],
        "acceptability": np.round(acceptability.acceptability, 6).tolist(),
        "central_weights": np.nan_to_num(acceptability.central_weights)
        .round(6)
        .tolist(),
        "confidence": np.nan_to_num(acceptability.confidence).round(6).tolist(),
        "stability": stability_rows(stable, weights, options["criterion_names"], names),
    }
    if "smaa_seed" not in inputs:
        # A chunk of a Monte Carlo study is only read for its rank counts.
        found["what_it_takes"] = what_it_takes(inputs)
    return found


def compute(inputs: dict) -> tuple[list[dict], dict]:
    """Rank a snapshot and measure its robustness; raises ``engine.EngineError``."""
    return rank(inputs), robustness(inputs)


def stability_rows(
    stable, weights: np.ndarray, keys: list[str], names: list[str]
) -> list[dict]:
    """Per criterion: its weight share, the share intervals keeping top tool / order,
    and the tool taking first place below and above the top interval (or None).

    Criteria the method cannot use (weight 0) have no interval and are left out.
    """
    shares = weights / weights.sum()
    return [
        {
            "criterion": key,
            "weight": float(shares[j]),
            "top": [float(x) for x in stable.top_interval[j]],
            "order": [float(x) for x in stable.order_interval[j]],
            "takes_over": [None if i < 0 else names[i] for i in stable.takes_over[j]],
        }
        for j, key in enumerate(keys)
        if not np.isnan(stable.top_interval[j]).any()
    ]


def search_ranges(inputs: dict) -> tuple[np.ndarray, np.ndarray]:
    """(m,) each: the values a tool's score may take on each criterion, for what it
    would take. A rating's scale; a quantity from its minimum (0 if none) to its
    maximum, or twice the largest candidate value when it has none. Snapshots taken
    before the scale was kept read as open-ended quantities."""
    matrix = np.asarray(inputs["matrix"], dtype=float)
    largest = matrix.max(axis=0)
    lower, upper = [], []
    for j, criterion in enumerate(inputs["criteria"]):
        low, high = criterion.get("scale_min"), criterion.get("scale_max")
        lower.append(0.0 if low is None else low)
        upper.append(max(2 * largest[j], largest[j]) if high is None else high)
    return np.array(lower, dtype=float), np.array(upper, dtype=float)


def what_it_takes(inputs: dict) -> dict:
    """Per tool (as the snapshot lists them), per criterion key: the score it would
    need to rank first, {"from", "to", "tie"} (and "rival", a tool name, for a tool
    first now), or None; and each criterion's search range by key."""
    matrix, weights, directions, options = _engine_arguments(inputs)
    lower, upper = search_ranges(inputs)
    found = engine.what_it_takes(
        matrix, weights, directions, lower=lower, upper=upper, **options
    )
    keys, names = options["criterion_names"], options["tool_names"]
    tools = []
    for row in found.table():
        entries = {}
        for key, entry in zip(keys, row, strict=True):
            if entry is not None and "rival" in entry:
                entry["rival"] = names[entry["rival"]]
            entries[key] = entry
        tools.append(entries)
    return {
        "ranges": {
            key: [float(found.lower[j]), float(found.upper[j])]
            for j, key in enumerate(keys)
        },
        "tools": tools,
    }

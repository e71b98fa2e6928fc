"""Whether a ranking is out of date: what changed in the evaluation since its run.

A run keeps a snapshot of its inputs (``snapshots.snapshot_inputs``). This compares
it, part by part, with what a snapshot of the evaluation would hold now
(``snapshots.current_inputs``, which shares the snapshot's code). It is a read, and
cheap: three queries for the evaluation's weights, tools and scores; nothing is ranked.

It lives beside the snapshot in services, not in ``selectors``: the snapshot checks the
method's options with the engine, which selectors may not import (tests/test_layout.py).

``CHANGES`` is the closed list of names the API and pages report, in their order; a new
input (requirements, demand, prices, ballots) adds one entry: its name and a function
telling whether it differs between the run's snapshot and now.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from selector.models import Evaluation
from selector.selectors import latest_done_snapshot
from selector.services.snapshots import current_inputs


def _tools(before: dict, now: dict) -> bool:
    return before["tools"] != now["tools"]


def _score_cells(inputs: dict) -> dict[tuple[int, str], tuple]:
    """(tool id, criterion key) -> (value, low, high) of every score entered; the
    cells a run filled with the worst value, and the ones missing now, are left out."""
    filled = {
        (cell["tool"], cell["criterion"]) for cell in inputs.get("filled_as_worst", [])
    }
    keys = [criterion["key"] for criterion in inputs["criteria"]]
    bounds = inputs.get("bounds") or {}
    low, high = bounds.get("low"), bounds.get("high")
    cells = {}
    for i, tool in enumerate(inputs["tools"]):
        for j, key in enumerate(keys):
            value = inputs["matrix"][i][j]
            if value is None or math.isnan(value) or (tool["name"], key) in filled:
                continue
            cells[tool["id"], key] = (
                value,
                value if low is None else low[i][j],
                value if high is None else high[i][j],
            )
    return cells


def _scores(before: dict, now: dict) -> bool:
    """Whether a score (or its bounds) of a tool on a criterion both have differs; a
    tool or criterion added or removed is a change of the tools or the weights."""
    tools = {t["id"] for t in before["tools"]} & {t["id"] for t in now["tools"]}
    keys = {c["key"] for c in before["criteria"]} & {c["key"] for c in now["criteria"]}

    def common(cells):
        return {
            cell: v for cell, v in cells.items() if cell[0] in tools and cell[1] in keys
        }

    return common(_score_cells(before)) != common(_score_cells(now))


def _weights(before: dict, now: dict) -> bool:
    """The profile, its criteria or their weights (the profile's or overridden)."""

    def weights(inputs):
        keys = [criterion["key"] for criterion in inputs["criteria"]]
        return (
            (inputs.get("profile") or {}).get("slug"),
            dict(zip(keys, inputs["weights"], strict=True)),
        )

    return weights(before) != weights(now)


def _method(before: dict, now: dict) -> bool:
    return before["method"] != now["method"]


def _options(before: dict, now: dict) -> bool:
    return (before.get("method_options") or {}) != now["method_options"]


def _normalization(before: dict, now: dict) -> bool:
    return before.get("normalization") != now["normalization"]


def _missing_scores(before: dict, now: dict) -> bool:
    """The missing-score policy; snapshots older than its key show it only when they
    filled a score (then it was "worst"), else it is not compared."""
    policy = before.get("missing_scores")
    if policy is None and before.get("filled_as_worst"):
        policy = Evaluation.MissingScores.WORST
    return policy is not None and policy != now["missing_scores"]


CHANGES: dict[str, Callable[[dict, dict], bool]] = {
    "tools": _tools,
    "scores": _scores,
    "weights": _weights,
    "method": _method,
    "options": _options,
    "normalization": _normalization,
    "missing_scores": _missing_scores,
}


def changed_inputs(before: dict, now: dict) -> list[str]:
    """The names in ``CHANGES`` whose part differs between two snapshots, in order."""
    return [name for name, differs in CHANGES.items() if differs(before, now)]


def changes_since(evaluation: Evaluation, inputs: dict) -> list[str]:
    """What changed in the evaluation since a run took the snapshot ``inputs``."""
    return changed_inputs(inputs, current_inputs(evaluation))


@dataclass(frozen=True)
class Staleness:
    """The evaluation's latest done run (None without one) and what changed since."""

    run_id: int | None
    changed: list[str] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        return bool(self.changed)


def evaluation_staleness(evaluation: Evaluation) -> Staleness:
    """Whether the evaluation's latest done run is out of date; never stale without one."""
    latest = latest_done_snapshot(evaluation)
    if latest is None:
        return Staleness(run_id=None)
    run_id, inputs = latest
    return Staleness(run_id=run_id, changed=changes_since(evaluation, inputs))

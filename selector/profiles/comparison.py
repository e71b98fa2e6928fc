"""Reading profiles: weight rows with their shares and sources, and two profiles
compared side by side on an evaluation's ranking."""

import copy
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from selector import engine
from selector.models import Criterion, Evaluation, WeightProfile
from survey.models import Benchmark


@dataclass(frozen=True)
class WeightRow:
    criterion: Criterion
    value: float
    share: float  # normalised, 0..1
    benchmark: Benchmark | None

    @property
    def percent(self) -> float:
        return 100 * self.share

    @property
    def edited(self) -> bool:
        return self.benchmark is not None and self.benchmark.value != self.value


def weight_rows(profile: WeightProfile) -> list[WeightRow]:
    """The profile's weights, heaviest first, with their normalised share and source."""
    weights = list(
        profile.weights.select_related("criterion", "benchmark__survey").order_by(
            "-value", "criterion__name"
        )
    )
    total = sum(w.value for w in weights)
    return [
        WeightRow(w.criterion, w.value, w.value / total if total else 0.0, w.benchmark)
        for w in weights
    ]


@dataclass(frozen=True)
class Ranking:
    profile: WeightProfile
    rows: list[dict]  # tool_name, rank, score
    error: str = ""


@dataclass(frozen=True)
class Comparison:
    a: WeightProfile
    b: WeightProfile
    weights: list[dict]
    evaluation: Evaluation | None
    rankings: tuple[Ranking, Ranking] | None
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


def rank_under_profile(evaluation: Evaluation, profile: WeightProfile) -> Ranking:
    """The evaluation ranked with ``profile``'s own weights; nothing is stored."""
    from selector.computation import compute, snapshot_inputs

    candidate = copy.copy(evaluation)
    candidate.profile = profile
    try:
        inputs = snapshot_inputs(candidate, weights={})
        # Only the ranking is used here: a small SMAA sample keeps the page fast.
        rows, _ = compute({**inputs, "smaa_samples": 50})
    except ValidationError as error:
        return Ranking(profile, [], error=" ".join(_messages(error)))
    except engine.EngineError as error:
        return Ranking(profile, [], error=str(error))
    return Ranking(
        profile,
        [
            {"tool_name": r["tool_name"], "rank": r["rank"], "score": r["score"]}
            for r in rows
        ],
    )


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for ms in error.message_dict.values() for m in ms]
    return error.messages


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

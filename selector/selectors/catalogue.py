"""Criteria, weight profiles and the weight lines an evaluation ranks with."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from selector.models import (
    Criterion,
    Evaluation,
    Score,
    Tool,
    Weight,
    WeightProfile,
)
from survey.models import Benchmark


def criteria() -> QuerySet[Criterion]:
    return Criterion.objects.select_related("benchmark__survey")


def profiles() -> QuerySet[WeightProfile]:
    return WeightProfile.objects.select_related("survey").prefetch_related(
        Prefetch(
            "weights",
            queryset=Weight.objects.select_related("criterion", "benchmark__survey"),
        )
    )


def profile_index() -> QuerySet[WeightProfile]:
    """Every weight profile for the index page: built-ins first, then by name."""
    return (
        WeightProfile.objects.select_related("survey")
        .annotate(criterion_count=Count("weights", distinct=True))
        .order_by("-builtin", "name")
    )


def profile_criteria(profile: WeightProfile) -> list[Criterion]:
    """The profile's criteria, heaviest weight first."""
    return [weight.criterion for weight in profile.weights.all()]


@dataclass(frozen=True)
class WeightRow:
    """One weight of a profile, its normalised share and the survey figure it is from."""

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
class WeightLine:
    """One criterion's weight in an evaluation, and where that weight comes from."""

    criterion: Criterion
    value: float
    profile_value: float
    benchmark: Benchmark | None

    @property
    def overridden(self) -> bool:
        return self.value != self.profile_value


def weight_lines(
    evaluation: Evaluation, weights=None, *, profile=None
) -> list[WeightLine]:
    """The profile's weights with the evaluation's overrides (or ``weights``) applied.

    ``profile`` replaces the evaluation's own profile (a batch under every profile).
    """
    overrides = evaluation.weight_overrides if weights is None else weights
    rows = (
        Weight.objects.filter(
            profile_id=evaluation.profile_id if profile is None else profile.pk
        )
        .select_related("criterion", "benchmark__survey")
        .order_by("-value", "criterion__name")
    )
    return [
        WeightLine(
            criterion=row.criterion,
            value=float(overrides.get(row.criterion.key, row.value)),
            profile_value=row.value,
            benchmark=row.benchmark,
        )
        for row in rows
    ]


def missing_scores(evaluation: Evaluation, lines=None) -> dict[str, list[str]]:
    """Tool name -> names of the profile's criteria it has no score for."""
    lines = lines if lines is not None else weight_lines(evaluation)
    keys = {line.criterion.pk: line.criterion.shown_name for line in lines}
    missing = {}
    for tool in evaluation.tools.prefetch_related("scores"):
        scored = {score.criterion_id for score in tool.scores.all()}
        absent = [name for pk, name in keys.items() if pk not in scored]
        if absent:
            missing[tool.name] = absent
    return missing


def compared_tools(evaluation: Evaluation) -> tuple[list[Tool], list[Criterion]]:
    """The evaluation's tools (by name) with their scores, and the criteria any of them
    has a score on: the profile's first, heaviest weight first, then the rest by name.
    Three queries whatever the number of tools."""
    tools = list(
        evaluation.tools.order_by("name", "id").prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion"))
        )
    )
    scored = {s.criterion.pk: s.criterion for t in tools for s in t.scores.all()}
    weighted = Weight.objects.filter(profile_id=evaluation.profile_id).order_by(
        "-value", "criterion__name"
    )
    order = list(weighted.values_list("criterion_id", flat=True))
    first = [scored.pop(pk) for pk in order if pk in scored]
    rest = sorted(scored.values(), key=lambda criterion: (criterion.name, criterion.pk))
    return tools, first + rest


def evaluations_using(criterion: Criterion) -> QuerySet[Evaluation]:
    """Every workspace's evaluations that weigh ``criterion`` (profile or override)."""
    return (
        Evaluation.objects.filter(
            Q(profile__weights__criterion=criterion)
            | Q(weight_overrides__has_key=criterion.key)
        )
        .select_related("workspace", "profile")
        .distinct()
    )


def criterion_usage(criterion: Criterion) -> dict:
    """The evaluations, profiles and scores that use a criterion."""
    evaluations = evaluations_using(criterion).order_by("workspace__name", "name", "pk")
    return {
        "evaluations": list(evaluations),
        "profiles": list(
            WeightProfile.objects.filter(weights__criterion=criterion).distinct()
        ),
        "scores": Score.objects.filter(criterion=criterion).count(),
    }

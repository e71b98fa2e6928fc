"""New profiles from a survey category's shares, or as a copy of another."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from selector.models import Criterion, WeightProfile
from selector.services.catalogue import builtin_catalogue
from selector.services.catalogue.profiles import ProfileSave, save_profile
from survey.models import Benchmark, Survey

PERCENT_UNITS = "percent"


def benchmark_criteria(category: str) -> dict[str, Criterion]:
    """Benchmark key -> criterion, for a survey category.

    Links come from each criterion's ``benchmark`` (matched by category and key, so they
    also hold for other surveys with the same figures) and from the built-in profiles'
    mapping (e.g. ``pilot_failure_reasons/disappointing_roi`` -> ``roi``).
    """
    criteria = {c.key: c for c in Criterion.objects.select_related("benchmark")}
    mapping = {}
    for spec in builtin_catalogue.PROFILES:
        if spec.category == category:
            for criterion_key, benchmark_key in spec.weights:
                if criterion_key in criteria:
                    mapping[benchmark_key] = criteria[criterion_key]
    for criterion in criteria.values():
        if criterion.benchmark is not None and criterion.benchmark.category == category:
            mapping.setdefault(criterion.benchmark.key, criterion)
    return mapping


def survey_categories(survey: Survey) -> list[tuple[str, int]]:
    """The survey's share categories that map to criteria: (category, figures)."""
    categories = (
        survey.benchmarks.filter(unit__startswith=PERCENT_UNITS)
        .values_list("category", flat=True)
        .distinct()
    )
    result = []
    for category in sorted(set(categories)):
        mapping = benchmark_criteria(category)
        count = survey.benchmarks.filter(
            category=category, key__in=list(mapping)
        ).count()
        if count:
            result.append((category, count))
    return result


def _share_figures(survey: Survey, category: str) -> list[Benchmark]:
    """The category's figures, refused unless there are some and all are shares."""
    figures = list(
        survey.benchmarks.filter(category=category).order_by("position", "pk")
    )
    if not figures:
        raise ValidationError(
            {
                "category": gettext(
                    "The survey %(survey)r has no figures in %(category)r."
                )
                % {"survey": survey.slug, "category": category}
            }
        )
    not_shares = sorted(
        {f.unit for f in figures if not f.unit.startswith(PERCENT_UNITS)}
    )
    if not_shares:
        raise ValidationError(
            {
                "category": gettext(
                    "%(category)r is not a set of shares (its unit is %(units)s); "
                    "choose a category measured in percent."
                )
                % {"category": category, "units": ", ".join(not_shares)}
            }
        )
    return figures


def derive_profile_from_survey(
    *,
    user,
    survey: Survey,
    category: str,
    slug: str,
    name: str,
    description: str = "",
) -> tuple[ProfileSave, list[Benchmark]]:
    """A new profile weighted by a survey category's shares, linked to each figure.

    Returns the save and the category's figures that map to no criterion (left out).
    """
    figures = _share_figures(survey, category)
    mapping = benchmark_criteria(category)
    mapped = [f for f in figures if f.key in mapping]
    unmapped = [f for f in figures if f.key not in mapping]
    if not mapped:
        raise ValidationError(
            {
                "category": gettext(
                    "No figure of %(category)r maps to a criterion: link a criterion "
                    "to one of them (its “benchmark” field) first."
                )
                % {"category": category}
            }
        )
    weights = {mapping[f.key].key: f.value for f in mapped}
    benchmarks = {mapping[f.key].key: f for f in mapped}
    description = description or (
        f"Shares of {survey.title} ({survey.publisher}, {survey.year}"
        f"{f', n={survey.respondents}' if survey.respondents else ''}) for "
        f"{category.replace('_', ' ')}."
    )
    saved = save_profile(
        user=user,
        profile=WeightProfile(survey=survey),
        data={"slug": slug, "name": name, "description": description},
        weights=weights,
        benchmarks=benchmarks,
        reason=f"Derived from {survey.slug}/{category}",
    )
    return saved, unmapped


def _unique_slug(base: str) -> str:
    slug, n = base[:80], 2
    while WeightProfile.objects.filter(slug__iexact=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: 80 - len(suffix)] + suffix, n + 1
    return slug


def duplicate_profile(
    *, user, profile: WeightProfile, slug: str = "", name: str = ""
) -> ProfileSave:
    """A copy of the profile and its weights (with their sources); never built-in."""
    weights = {
        w.criterion.key: w
        for w in profile.weights.select_related("criterion", "benchmark")
    }
    return save_profile(
        user=user,
        profile=WeightProfile(survey=profile.survey),
        data={
            "slug": slug or _unique_slug(f"{profile.slug}-copy"),
            "name": name or f"{profile.name} (copy)",
            "description": profile.description,
            "builtin": False,
        },
        weights={key: w.value for key, w in weights.items()},
        benchmarks={key: w.benchmark for key, w in weights.items()},
        reason=f"Duplicated from {profile.slug}"[:100],
        ahp=profile.ahp,
    )

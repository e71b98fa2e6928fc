"""Built-in criteria and weight profiles derived from the Menlo Ventures 2024 survey.

Each weight is the share of respondents who named the criterion (survey figures in
``survey/data/menlo-2024.json``), and keeps a link to that figure. Loaded by a data
migration and by ``manage.py load_builtins``; loading is idempotent.
"""

from dataclasses import dataclass

from django.apps import apps as installed_apps
from django.db import transaction

SURVEY = "menlo-2024"


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    name: str
    description: str
    direction: str  # "benefit" | "cost"
    kind: str = "rating"
    scale_min: float | None = 1
    scale_max: float | None = 5
    unit: str = ""
    benchmark: tuple[str, str] | None = None  # (category, key) in the survey


@dataclass(frozen=True)
class ProfileSpec:
    slug: str
    name: str
    description: str
    category: str  # survey category the weights come from
    weights: tuple[tuple[str, str], ...]  # (criterion key, benchmark key)


CRITERIA = (
    CriterionSpec(
        "roi",
        "Measurable ROI",
        "Expected measurable return on investment (1 = none shown, 5 = strong, "
        "quantified ROI).",
        "benefit",
        benchmark=("app_selection_criteria", "roi"),
    ),
    CriterionSpec(
        "industry_customization",
        "Industry customization",
        "How well the tool is tailored to your sector's data, workflows and rules "
        "(1 = generic, 5 = built for your industry).",
        "benefit",
        benchmark=("app_selection_criteria", "industry_customization"),
    ),
    CriterionSpec(
        "price",
        "Price",
        "List price per seat per month, in US dollars.",
        "cost",
        kind="quantity",
        scale_min=0,
        scale_max=None,
        unit="USD/seat/month",
        benchmark=("app_selection_criteria", "price"),
    ),
    CriterionSpec(
        "security_safety",
        "Security and safety",
        "Security, privacy controls and safety of the model (1 = weak, 5 = strong).",
        "benefit",
        benchmark=("llm_switching_motivations", "security_safety"),
    ),
    CriterionSpec(
        "performance",
        "Performance",
        "Quality and speed of the results on your tasks (1 = poor, 5 = excellent).",
        "benefit",
        benchmark=("llm_switching_motivations", "performance"),
    ),
    CriterionSpec(
        "expanded_capabilities",
        "Expanded capabilities",
        "Breadth of capabilities: tools, integrations, modalities, agents "
        "(1 = narrow, 5 = broad).",
        "benefit",
        benchmark=("llm_switching_motivations", "expanded_capabilities"),
    ),
    CriterionSpec(
        "implementation_costs",
        "Implementation costs",
        "Expected cost and effort to roll the tool out (1 = low, 5 = high); "
        "unexpected implementation costs are the first reason pilots fail.",
        "cost",
        benchmark=("pilot_failure_reasons", "implementation_costs"),
    ),
    CriterionSpec(
        "data_privacy_risk",
        "Data privacy risk",
        "Risk of data privacy issues (1 = low, 5 = high).",
        "cost",
        benchmark=("pilot_failure_reasons", "data_privacy"),
    ),
    CriterionSpec(
        "hallucination_risk",
        "Hallucination risk",
        "Risk of hallucinations and technical issues (1 = low, 5 = high).",
        "cost",
        benchmark=("pilot_failure_reasons", "hallucinations"),
    ),
)

PROFILES = (
    ProfileSpec(
        "menlo-2024-app-selection",
        "Menlo 2024: how buyers select AI applications",
        "Share of 600 US IT decision-makers naming each criterion when selecting "
        "gen-AI applications (Menlo Ventures, 2024). Only the three published shares "
        "are used.",
        "app_selection_criteria",
        (
            ("roi", "roi"),
            ("industry_customization", "industry_customization"),
            ("price", "price"),
        ),
    ),
    ProfileSpec(
        "menlo-2024-llm-switching",
        "Menlo 2024: why enterprises switch LLMs",
        "Share of respondents naming each motivation for switching model providers "
        "(Menlo Ventures, 2024).",
        "llm_switching_motivations",
        (
            ("security_safety", "security_safety"),
            ("price", "price"),
            ("performance", "performance"),
            ("expanded_capabilities", "expanded_capabilities"),
        ),
    ),
    ProfileSpec(
        "menlo-2024-pilot-risks",
        "Menlo 2024: avoid the reasons pilots fail",
        "Share of failed pilots attributed to each reason (Menlo Ventures, 2024); each "
        "reason becomes a criterion to minimize (ROI to maximize).",
        "pilot_failure_reasons",
        (
            ("implementation_costs", "implementation_costs"),
            ("data_privacy_risk", "data_privacy"),
            ("roi", "disappointing_roi"),
            ("hallucination_risk", "hallucinations"),
        ),
    ),
)


# Built-in texts as earlier releases wrote them (British spelling) and the field they
# are in: a row still carrying one takes the current text when loaded again; a row an
# admin has changed keeps its text.
PREVIOUS_TEXTS = (
    ("Criterion", "key", "industry_customization", "name", "Industry customisation"),
    (
        "WeightProfile",
        "slug",
        "menlo-2024-pilot-risks",
        "description",
        "Share of failed pilots attributed to each reason (Menlo Ventures, 2024); each "
        "reason becomes a criterion to minimise (ROI to maximise).",
    ),
)


def _current_texts() -> dict[tuple[str, str], str]:
    """The current built-in text by (model, key) for the fields PREVIOUS_TEXTS lists."""
    texts = {("Criterion", c.key): c.name for c in CRITERIA}
    texts.update({("WeightProfile", p.slug): p.description for p in PROFILES})
    return texts


def _respell_previous_texts(apps) -> None:
    current = _current_texts()
    for model, field, key, text_field, old in PREVIOUS_TEXTS:
        apps.get_model("selector", model).objects.filter(
            **{field: key, text_field: old}
        ).update(**{text_field: current[(model, key)]})


@transaction.atomic
def load_builtins(*, apps=None) -> dict[str, int]:
    """Create the built-in criteria, profiles and weights that are missing; return counts.

    Rows that exist are left alone, so an admin's edits survive a reload (a built-in
    text still spelled as an earlier release wrote it is respelled). ``apps`` is
    the migration state's registry when called from a data migration.
    """
    apps = apps or installed_apps
    Benchmark = apps.get_model("survey", "Benchmark")
    Survey = apps.get_model("survey", "Survey")
    Criterion = apps.get_model("selector", "Criterion")
    WeightProfile = apps.get_model("selector", "WeightProfile")
    Weight = apps.get_model("selector", "Weight")

    _respell_previous_texts(apps)
    survey = Survey.objects.filter(slug=SURVEY).first()
    benchmarks = {
        (b.category, b.key): b for b in Benchmark.objects.filter(survey__slug=SURVEY)
    }
    criteria = {}
    for spec in CRITERIA:
        criteria[spec.key], _ = Criterion.objects.get_or_create(
            key=spec.key,
            defaults={
                "name": spec.name,
                "description": spec.description,
                "direction": spec.direction,
                "kind": spec.kind,
                "scale_min": spec.scale_min,
                "scale_max": spec.scale_max,
                "unit": spec.unit,
                "benchmark": benchmarks.get(spec.benchmark),
                "builtin": True,
            },
        )
    weights = 0
    for spec in PROFILES:
        profile, _ = WeightProfile.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "description": spec.description,
                "survey": survey,
                "builtin": True,
            },
        )
        for criterion_key, benchmark_key in spec.weights:
            benchmark = benchmarks.get((spec.category, benchmark_key))
            if benchmark is None:
                raise LookupError(
                    f"Survey figure {SURVEY}/{spec.category}/{benchmark_key} is missing; "
                    "run `manage.py load_surveys` first."
                )
            Weight.objects.get_or_create(
                profile=profile,
                criterion=criteria[criterion_key],
                defaults={"value": benchmark.value, "benchmark": benchmark},
            )
            weights += 1
    return {"criteria": len(criteria), "profiles": len(PROFILES), "weights": weights}

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
    # French twins (survey.localized shows them to French readers)
    name_fr: str = ""
    description_fr: str = ""
    unit_fr: str = ""


@dataclass(frozen=True)
class ProfileSpec:
    slug: str
    name: str
    description: str
    category: str  # survey category the weights come from
    weights: tuple[tuple[str, str], ...]  # (criterion key, benchmark key)
    name_fr: str = ""
    description_fr: str = ""


CRITERIA = (
    CriterionSpec(
        "roi",
        "Measurable ROI",
        "Expected measurable return on investment (1 = none shown, 5 = strong, "
        "quantified ROI).",
        "benefit",
        benchmark=("app_selection_criteria", "roi"),
        name_fr="Retour sur investissement mesurable",
        description_fr=(
            "Retour sur investissement mesurable attendu (1 = rien de démontré, 5 = un retour "
            "solide et chiffré)."
        ),
    ),
    CriterionSpec(
        "industry_customization",
        "Industry customization",
        "How well the tool is tailored to your sector's data, workflows and rules "
        "(1 = generic, 5 = built for your industry).",
        "benefit",
        benchmark=("app_selection_criteria", "industry_customization"),
        name_fr="Personnalisation sectorielle",
        description_fr=(
            "À quel point l'outil épouse les données, les processus et les règles de votre "
            "secteur (1 = générique, 5 = conçu pour votre secteur)."
        ),
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
        name_fr="Prix",
        description_fr=("Prix public par siège et par mois, en dollars américains."),
        unit_fr="USD/siège/mois",
    ),
    CriterionSpec(
        "security_safety",
        "Security and safety",
        "Security, privacy controls and safety of the model (1 = weak, 5 = strong).",
        "benefit",
        benchmark=("llm_switching_motivations", "security_safety"),
        name_fr="Sécurité et sûreté",
        description_fr=(
            "Sécurité, contrôles de confidentialité et sûreté du modèle (1 = faibles, "
            "5 = solides)."
        ),
    ),
    CriterionSpec(
        "performance",
        "Performance",
        "Quality and speed of the results on your tasks (1 = poor, 5 = excellent).",
        "benefit",
        benchmark=("llm_switching_motivations", "performance"),
        name_fr="Performance",
        description_fr=(
            "Qualité et rapidité des résultats sur vos propres tâches (1 = médiocres, "
            "5 = excellentes)."
        ),
    ),
    CriterionSpec(
        "expanded_capabilities",
        "Expanded capabilities",
        "Breadth of capabilities: tools, integrations, modalities, agents "
        "(1 = narrow, 5 = broad).",
        "benefit",
        benchmark=("llm_switching_motivations", "expanded_capabilities"),
        name_fr="Capacités étendues",
        description_fr=(
            "Étendue des capacités\u00a0: outils, intégrations, modalités, agents "
            "(1 = restreinte, 5 = large)."
        ),
    ),
    CriterionSpec(
        "implementation_costs",
        "Implementation costs",
        "Expected cost and effort to roll the tool out (1 = low, 5 = high); "
        "unexpected implementation costs are the first reason pilots fail.",
        "cost",
        benchmark=("pilot_failure_reasons", "implementation_costs"),
        name_fr="Coûts de mise en œuvre",
        description_fr=(
            "Coût et effort à prévoir pour déployer l'outil (1 = faibles, 5 = élevés)\u202f; "
            "les coûts de mise en œuvre imprévus sont la première cause d'échec des "
            "projets pilotes."
        ),
    ),
    CriterionSpec(
        "data_privacy_risk",
        "Data privacy risk",
        "Risk of data privacy issues (1 = low, 5 = high).",
        "cost",
        benchmark=("pilot_failure_reasons", "data_privacy"),
        name_fr="Risque pour la confidentialité des données",
        description_fr=(
            "Risque d'incidents touchant la confidentialité des données (1 = faible, "
            "5 = élevé)."
        ),
    ),
    CriterionSpec(
        "hallucination_risk",
        "Hallucination risk",
        "Risk of hallucinations and technical issues (1 = low, 5 = high).",
        "cost",
        benchmark=("pilot_failure_reasons", "hallucinations"),
        name_fr="Risque d'hallucination",
        description_fr=(
            "Risque d'hallucinations et de défaillances techniques (1 = faible, "
            "5 = élevé)."
        ),
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
        name_fr="Menlo 2024\u00a0: comment les acheteurs choisissent leurs applications d'IA",
        description_fr=(
            "Part des 600 décideurs informatiques américains qui citent chaque critère quand ils "
            "choisissent une application d'IA générative (Menlo Ventures, 2024). Seules "
            "les trois parts publiées sont retenues."
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
        name_fr="Menlo 2024\u00a0: pourquoi les entreprises changent de LLM",
        description_fr=(
            "Part des répondants qui citent chaque motivation pour changer de "
            "fournisseur de modèles (Menlo Ventures, 2024)."
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
        name_fr="Menlo 2024\u00a0: éviter les causes d'échec des projets pilotes",
        description_fr=(
            "Part des projets pilotes en échec imputée à chaque cause (Menlo Ventures, "
            "2024)\u202f; chaque cause devient un critère à faire baisser, sauf le retour "
            "sur investissement, qu'il faut faire monter."
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


# The English field of a built-in text and its French twin, per model.
TWINS = {
    "Criterion": (
        ("name", "name_fr"),
        ("description", "description_fr"),
        ("unit", "unit_fr"),
    ),
    "WeightProfile": (("name", "name_fr"), ("description", "description_fr")),
}


def _fill_french_twins(apps) -> int:
    """Give each built-in row the French twins it lacks; return how many were filled.

    A twin is filled only while it is blank and its English text is still the
    shipped one: an admin's own French is kept, and a text an admin rewrote in
    English gets no French that would translate the old wording. (A migration
    state from before the twins existed has no twin columns: nothing to do.)
    """
    filled = 0
    for model_name, specs, key_field in (
        ("Criterion", CRITERIA, "key"),
        ("WeightProfile", PROFILES, "slug"),
    ):
        model = apps.get_model("selector", model_name)
        columns = {f.attname for f in model._meta.concrete_fields}
        for spec in specs:
            for field, twin in TWINS[model_name]:
                french = getattr(spec, twin)
                if twin not in columns or not french:
                    continue
                filled += model.objects.filter(
                    **{key_field: getattr(spec, key_field)},
                    **{field: getattr(spec, field), twin: ""},
                ).update(**{twin: french})
    return filled


def _criterion_defaults(spec: CriterionSpec, benchmarks: dict) -> dict:
    return {
        "name": spec.name,
        "description": spec.description,
        "direction": spec.direction,
        "kind": spec.kind,
        "scale_min": spec.scale_min,
        "scale_max": spec.scale_max,
        "unit": spec.unit,
        "benchmark": benchmarks.get(spec.benchmark),
        "builtin": True,
    }


@transaction.atomic
def load_builtins(*, apps=None) -> dict[str, int]:
    """Create the built-in criteria, profiles and weights that are missing; return counts.

    Rows that exist are left alone, so an admin's edits survive a reload (a built-in
    text still spelled as an earlier release wrote it is respelled), but a built-in
    row still lacking a French twin gets it (``_fill_french_twins``). ``apps`` is
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
            key=spec.key, defaults=_criterion_defaults(spec, benchmarks)
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
    twins = _fill_french_twins(apps)
    return {
        "criteria": len(criteria),
        "profiles": len(PROFILES),
        "weights": weights,
        "french_twins": twins,
    }

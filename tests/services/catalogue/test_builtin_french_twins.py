"""The French twins of the built-in criteria and profiles (issue 14): the loader fills
them on a database whose rows predate them, and keeps what an admin wrote."""

import pytest
from django.utils import translation

from selector.models import Criterion, WeightProfile
from selector.services.catalogue.builtin_catalogue import load_builtins
from survey.localized import localized

pytestmark = pytest.mark.django_db

FRENCH_NAMES = {
    "roi": "Retour sur investissement mesurable",
    "industry_customization": "Personnalisation sectorielle",
    "price": "Prix",
    "security_safety": "Sécurité et sûreté",
    "performance": "Performance",
    "expanded_capabilities": "Capacités étendues",
    "implementation_costs": "Coûts de mise en œuvre",
    "data_privacy_risk": "Risque pour la confidentialité des données",
    "hallucination_risk": "Risque d'hallucination",
}


def _as_before_the_twins():
    """The built-in rows as a database migrated before issue 14 holds them."""
    Criterion.objects.update(name_fr="", description_fr="", unit_fr="")
    WeightProfile.objects.update(name_fr="", description_fr="")


def test_loading_fills_every_builtin_criterion_twin_on_an_existing_database():
    _as_before_the_twins()

    counts = load_builtins()

    names = dict(Criterion.objects.filter(builtin=True).values_list("key", "name_fr"))
    assert names == FRENCH_NAMES
    assert "" not in Criterion.objects.values_list("description_fr", flat=True)
    price = Criterion.objects.get(key="price")
    assert (price.unit, price.unit_fr) == ("USD/seat/month", "USD/siège/mois")
    assert price.description_fr == (
        "Prix public par siège et par mois, en dollars américains."
    )
    # 9 names + 9 descriptions + 1 unit; 3 profile names + 3 descriptions
    assert counts["french_twins"] == 9 + 9 + 1 + 3 + 3


def test_loading_fills_the_profile_twins_in_french_typography():
    _as_before_the_twins()

    load_builtins()

    profiles = dict(WeightProfile.objects.values_list("slug", "name_fr"))
    assert profiles == {
        "menlo-2024-app-selection": (
            "Menlo 2024\u00a0: comment les acheteurs choisissent leurs applications d'IA"
        ),
        "menlo-2024-llm-switching": (
            "Menlo 2024\u00a0: pourquoi les entreprises changent de LLM"
        ),
        "menlo-2024-pilot-risks": (
            "Menlo 2024\u00a0: éviter les causes d'échec des projets pilotes"
        ),
    }
    pilots = WeightProfile.objects.get(slug="menlo-2024-pilot-risks")
    assert "(Menlo Ventures, 2024)\u202f; chaque cause" in pilots.description_fr


def test_loading_again_changes_nothing():
    load_builtins()

    assert load_builtins()["french_twins"] == 0


def test_loading_keeps_the_french_an_admin_wrote():
    Criterion.objects.filter(key="roi").update(name_fr="ROI chiffré (le nôtre)")
    WeightProfile.objects.filter(slug="menlo-2024-llm-switching").update(
        description_fr="Notre lecture de l'enquête."
    )

    load_builtins()

    assert Criterion.objects.get(key="roi").name_fr == "ROI chiffré (le nôtre)"
    assert (
        WeightProfile.objects.get(slug="menlo-2024-llm-switching").description_fr
        == "Notre lecture de l'enquête."
    )


def test_a_text_an_admin_rewrote_in_english_gets_no_stale_french():
    _as_before_the_twins()
    Criterion.objects.filter(key="performance").update(name="Speed on our tasks")

    load_builtins()

    performance = Criterion.objects.get(key="performance")
    assert (performance.name, performance.name_fr) == ("Speed on our tasks", "")
    assert performance.description_fr.startswith("Qualité et rapidité")
    with translation.override("fr"):
        assert localized(performance, "name") == "Speed on our tasks"


def test_a_name_respelled_from_an_earlier_release_gets_its_twin():
    _as_before_the_twins()
    Criterion.objects.filter(key="industry_customization").update(
        name="Industry customisation"
    )

    load_builtins()

    criterion = Criterion.objects.get(key="industry_customization")
    assert criterion.name == "Industry customization"
    assert criterion.name_fr == "Personnalisation sectorielle"


def test_french_readers_get_the_twin_and_english_readers_the_text():
    load_builtins()
    roi = Criterion.objects.get(key="roi")

    with translation.override("fr"):
        assert localized(roi, "name") == "Retour sur investissement mesurable"
    with translation.override("en"):
        assert localized(roi, "name") == "Measurable ROI"

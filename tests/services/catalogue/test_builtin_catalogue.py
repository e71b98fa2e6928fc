"""Built-in criteria and profiles from the Menlo 2024 survey: the published shares,
linked to their figures, and kept as an admin edited them when loaded again."""

import pytest

from selector.models import Criterion, Weight, WeightProfile
from selector.services.catalogue.builtin_catalogue import load_builtins

pytestmark = pytest.mark.django_db


def weights(slug: str) -> dict:
    return dict(
        Weight.objects.filter(profile__slug=slug).values_list("criterion__key", "value")
    )


def test_the_three_survey_profiles_exist_with_the_published_shares():
    assert weights("menlo-2024-app-selection") == {
        "roi": 30,
        "industry_customization": 26,
        "price": 1,
    }
    assert weights("menlo-2024-llm-switching") == {
        "security_safety": 46,
        "price": 44,
        "performance": 42,
        "expanded_capabilities": 41,
    }
    assert weights("menlo-2024-pilot-risks") == {
        "implementation_costs": 26,
        "data_privacy_risk": 21,
        "roi": 18,
        "hallucination_risk": 15,
    }


def test_each_builtin_weight_links_to_its_survey_figure():
    for weight in Weight.objects.select_related("benchmark__survey"):
        assert weight.benchmark.survey.slug == "menlo-2024"
        assert weight.benchmark.value == weight.value


def test_risks_are_costs_and_price_is_a_quantity():
    directions = dict(Criterion.objects.values_list("key", "direction"))
    assert directions["price"] == directions["implementation_costs"] == "cost"
    assert directions["data_privacy_risk"] == directions["hallucination_risk"] == "cost"
    assert directions["roi"] == "benefit"
    price = Criterion.objects.get(key="price")
    assert (price.kind, price.unit, price.scale_min) == (
        "quantity",
        "USD/seat/month",
        0,
    )


def test_loading_builtins_again_keeps_an_admins_edit():
    weight = Weight.objects.get(
        profile__slug="menlo-2024-app-selection", criterion__key="price"
    )
    weight.value = 10
    weight.save()
    load_builtins()
    assert Weight.objects.filter(profile__slug="menlo-2024-app-selection").count() == 3
    weight.refresh_from_db()
    assert weight.value == 10
    assert WeightProfile.objects.filter(builtin=True).count() == 3


def test_loading_again_respells_builtin_texts_left_as_an_earlier_release_wrote_them():
    Criterion.objects.filter(key="industry_customization").update(
        name="Industry customisation"
    )
    pilots = WeightProfile.objects.filter(slug="menlo-2024-pilot-risks")
    pilots.update(description=pilots.get().description.replace("minimize", "minimise"))
    pilots.update(description=pilots.get().description.replace("maximize", "maximise"))

    load_builtins()

    assert Criterion.objects.get(key="industry_customization").name == (
        "Industry customization"
    )
    assert "to minimize (ROI to maximize)" in pilots.get().description


def test_loading_again_keeps_a_builtin_text_an_admin_changed():
    Criterion.objects.filter(key="industry_customization").update(
        name="Sector customisation (ours)"
    )

    load_builtins()

    assert Criterion.objects.get(key="industry_customization").name == (
        "Sector customisation (ours)"
    )

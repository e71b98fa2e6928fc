"""Deriving a profile with AHP: the engine's weights and consistency ratio on Saaty's
published example (``tests/saaty_drinks.py``), the 0.10 limit, bad judgements, and the
judgements kept with the profile so that they can be revised."""

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from selector import selectors
from selector.models import WeightProfile
from selector.services.catalogue.ahp import ahp_preview, derive_profile_with_ahp
from selector.services.catalogue.deriving import duplicate_profile
from selector.services.catalogue.history import profile_change_log, revert_profile
from selector.services.catalogue.profiles import save_profile
from tests.saaty_drinks import (
    DRINK_JUDGEMENTS,
    DRINKS,
    PUBLISHED_CR,
    PUBLISHED_WEIGHTS,
    derive_drinks,
)

pytestmark = pytest.mark.django_db


def test_the_published_drinks_example_gives_saatys_weights_and_consistency_ratio(
    drinks,
):
    result = ahp_preview(DRINKS, DRINK_JUDGEMENTS)
    weights = [result.weights[key] for key in DRINKS]
    np.testing.assert_allclose(weights, PUBLISHED_WEIGHTS, atol=5e-4)
    assert round(result.consistency_ratio, 3) == PUBLISHED_CR
    assert result.consistent


def test_a_profile_derived_from_the_drinks_example_stores_those_weights(
    drinks, ahp_editor
):
    profile = derive_drinks(ahp_editor)
    rows = {row.criterion.key: row.share for row in selectors.weight_rows(profile)}
    np.testing.assert_allclose([rows[k] for k in DRINKS], PUBLISHED_WEIGHTS, atol=5e-4)
    assert "CR 0.022" in profile.description
    assert profile_change_log(profile)[0].reason.startswith("Derived with AHP")


def test_the_order_of_a_judgement_does_not_matter(drinks):
    flipped = {(b, a): v for (a, b), v in DRINK_JUDGEMENTS.items()}
    flipped = {
        pair: (f"1/{v}" if not isinstance(v, str) else v.split("/")[1])
        for pair, v in flipped.items()
    }
    result = ahp_preview(DRINKS, flipped)
    np.testing.assert_allclose(
        [result.weights[k] for k in DRINKS], PUBLISHED_WEIGHTS, atol=5e-4
    )


# A cycle: roi beats price, price beats performance, performance beats roi (CR >> 0.10).
CYCLE = {("roi", "price"): 9, ("price", "performance"): 9, ("performance", "roi"): 9}


def test_judgements_above_the_consistency_limit_are_refused_and_nothing_saved(
    ahp_editor,
):
    with pytest.raises(ValidationError) as error:
        derive_profile_with_ahp(
            user=ahp_editor,
            keys=["roi", "price", "performance"],
            pairwise=CYCLE,
            slug="cycle",
            name="Cycle",
        )
    message = error.value.message_dict["confirm_inconsistent"][0]
    assert "above Saaty's limit of 0.10" in message
    assert not WeightProfile.objects.filter(slug="cycle").exists()


def test_inconsistent_judgements_are_saved_when_the_admin_confirms(ahp_editor):
    saved, result = derive_profile_with_ahp(
        user=ahp_editor,
        keys=["roi", "price", "performance"],
        pairwise=CYCLE,
        slug="cycle",
        name="Cycle",
        confirm_inconsistent=True,
    )
    assert result.consistency_ratio > 0.10
    assert "saved above 0.10 on confirmation" in saved.profile.description
    assert saved.profile.weights.count() == 3


@pytest.mark.parametrize(
    ("judgements", "message"),
    [
        (
            {
                ("roi", "price"): 12,
                ("roi", "performance"): 1,
                ("price", "performance"): 1,
            },
            "12 is outside Saaty's scale (1/9 to 9)",
        ),
        (
            {
                ("roi", "price"): 0,
                ("roi", "performance"): 1,
                ("price", "performance"): 1,
            },
            "0 is outside Saaty's scale",
        ),
        (
            {
                ("roi", "price"): "x",
                ("roi", "performance"): 1,
                ("price", "performance"): 1,
            },
            "'x' is not a number",
        ),
        ({("roi", "price"): 3}, "Compare roi vs performance, price vs performance."),
        (
            {
                ("roi", "price"): 3,
                ("price", "roi"): 3,
                ("roi", "performance"): 1,
                ("price", "performance"): 1,
            },
            "is not reciprocal",
        ),
    ],
)
def test_bad_judgements_are_refused_with_a_clear_message(
    ahp_editor, judgements, message
):
    with pytest.raises(ValidationError) as error:
        derive_profile_with_ahp(
            user=ahp_editor,
            keys=["roi", "price", "performance"],
            pairwise=judgements,
            slug="bad",
            name="Bad",
        )
    assert message in str(error.value)
    assert not WeightProfile.objects.filter(slug="bad").exists()


def test_ahp_can_replace_the_weights_of_an_existing_profile(ahp_editor):
    profile = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    saved, _ = derive_profile_with_ahp(
        user=ahp_editor,
        keys=["roi", "industry_customization", "price"],
        pairwise={
            ("roi", "industry_customization"): 1,
            ("roi", "price"): 1,
            ("industry_customization", "price"): 1,
        },
        profile=profile,
    )
    shares = [row.share for row in selectors.weight_rows(profile)]
    np.testing.assert_allclose(shares, [1 / 3] * 3)
    assert profile.weights.filter(benchmark__isnull=False).count() == 0
    assert saved.rerank.evaluations == 0


def test_a_derived_profile_keeps_its_judgements_and_consistency_ratio(
    drinks, ahp_editor
):
    profile = derive_drinks(ahp_editor)
    assert profile.ahp["judgements"] == {
        f"{a}|{b}": str(value) for (a, b), value in DRINK_JUDGEMENTS.items()
    }
    assert round(profile.ahp["consistency_ratio"], 3) == PUBLISHED_CR
    assert profile.ahp_judgement("coffee", "wine") == "9"
    assert profile.ahp_judgement("wine", "coffee") == "1/9"
    assert profile.ahp_judgement("water", "coffee") == "2"
    assert profile.ahp_judgement("milk", "beer") == "1"
    assert profile.ahp_judgement("coffee", "roi") is None


def test_weights_set_another_way_drop_the_judgements_and_a_revert_brings_them_back(
    drinks, ahp_editor
):
    profile = derive_drinks(ahp_editor)
    ahp_version = profile.history.latest().history_id
    copy = duplicate_profile(user=ahp_editor, profile=profile).profile
    assert copy.ahp == profile.ahp
    weights = {key: 1 for key in DRINKS}
    save_profile(user=ahp_editor, profile=profile, weights=weights)
    assert WeightProfile.objects.get(pk=profile.pk).ahp == {}
    revert_profile(user=ahp_editor, profile=profile, history_id=ahp_version)
    assert WeightProfile.objects.get(pk=profile.pk).ahp == copy.ahp

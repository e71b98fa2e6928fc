"""Deriving a profile with AHP: the engine's weights and consistency ratio, the 0.10
limit, and the form page with its htmx preview.

Published example: Saaty, T. L. (2008), "Decision making with the analytic hierarchy
process", Int. J. Services Sciences 1(1):83-98, the "which drink is consumed more in
the U.S.?" matrix (coffee, wine, tea, beer, sodas, milk, water). Saaty's derived
priorities are .177, .019, .042, .116, .190, .129, .327 and the consistency ratio is
0.022 with Saaty's random index (RI = 1.32 for n = 7). The same judgements and numbers
are in the AHPy test suite (github.com/PhilipGriffith/AHPy, tests/test_ahp.py).
"""

import itertools

import numpy as np
import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.urls import reverse

from selector import selectors
from selector.models import Criterion, WeightProfile
from selector.services.catalogue.ahp import (
    ahp_preview,
    derive_profile_with_ahp,
    parse_judgement,
    saaty_text,
)
from selector.services.catalogue.deriving import duplicate_profile
from selector.services.catalogue.history import profile_change_log, revert_profile
from selector.services.catalogue.profiles import save_profile

pytestmark = pytest.mark.django_db

DRINKS = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
# Saaty (2008), the upper triangle as published: row drink over column drink.
DRINK_JUDGEMENTS = {
    ("coffee", "wine"): 9,
    ("coffee", "tea"): 5,
    ("coffee", "beer"): 2,
    ("coffee", "sodas"): 1,
    ("coffee", "milk"): 1,
    ("coffee", "water"): "1/2",
    ("wine", "tea"): "1/3",
    ("wine", "beer"): "1/9",
    ("wine", "sodas"): "1/9",
    ("wine", "milk"): "1/9",
    ("wine", "water"): "1/9",
    ("tea", "beer"): "1/3",
    ("tea", "sodas"): "1/4",
    ("tea", "milk"): "1/3",
    ("tea", "water"): "1/9",
    ("beer", "sodas"): "1/2",
    ("beer", "milk"): 1,
    ("beer", "water"): "1/3",
    ("sodas", "milk"): 2,
    ("sodas", "water"): "1/2",
    ("milk", "water"): "1/3",
}
PUBLISHED_WEIGHTS = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
PUBLISHED_CR = 0.022


@pytest.fixture
def drinks(db):
    for key in DRINKS:
        Criterion.objects.create(
            key=key, name=key.capitalize(), scale_min=1, scale_max=5
        )


@pytest.fixture
def editor():
    user = User.objects.create_user(
        "ahp-editor", password="pw-editor-123", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "add_weightprofile",
                "change_weightprofile",
                "view_weightprofile",
            ]
        )
    )
    return User.objects.get(pk=user.pk)


def test_the_published_drinks_example_gives_saatys_weights_and_consistency_ratio(
    drinks,
):
    result = ahp_preview(DRINKS, DRINK_JUDGEMENTS)
    weights = [result.weights[key] for key in DRINKS]
    np.testing.assert_allclose(weights, PUBLISHED_WEIGHTS, atol=5e-4)
    assert round(result.consistency_ratio, 3) == PUBLISHED_CR
    assert result.consistent


def derive_drinks(editor) -> WeightProfile:
    saved, _ = derive_profile_with_ahp(
        user=editor,
        keys=DRINKS,
        pairwise=DRINK_JUDGEMENTS,
        slug="drinks",
        name="Drinks",
    )
    return WeightProfile.objects.get(pk=saved.profile.pk)


def test_a_profile_derived_from_the_drinks_example_stores_those_weights(drinks, editor):
    profile = derive_drinks(editor)
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


def test_judgements_above_the_consistency_limit_are_refused_and_nothing_saved(editor):
    with pytest.raises(ValidationError) as error:
        derive_profile_with_ahp(
            user=editor,
            keys=["roi", "price", "performance"],
            pairwise=CYCLE,
            slug="cycle",
            name="Cycle",
        )
    message = error.value.message_dict["confirm_inconsistent"][0]
    assert "above Saaty's limit of 0.10" in message
    assert not WeightProfile.objects.filter(slug="cycle").exists()


def test_inconsistent_judgements_are_saved_when_the_admin_confirms(editor):
    saved, result = derive_profile_with_ahp(
        user=editor,
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
def test_bad_judgements_are_refused_with_a_clear_message(editor, judgements, message):
    with pytest.raises(ValidationError) as error:
        derive_profile_with_ahp(
            user=editor,
            keys=["roi", "price", "performance"],
            pairwise=judgements,
            slug="bad",
            name="Bad",
        )
    assert message in str(error.value)
    assert not WeightProfile.objects.filter(slug="bad").exists()


def test_ahp_can_replace_the_weights_of_an_existing_profile(editor):
    profile = WeightProfile.objects.get(slug="menlo-2024-app-selection")
    saved, _ = derive_profile_with_ahp(
        user=editor,
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


# The page and its live preview.


def pair_data(judgements) -> dict:
    return {f"pair__{a}__{b}": str(v) for (a, b), v in judgements.items()}


def test_the_ahp_page_needs_the_add_permission(client):
    staff = User.objects.create_user(
        "bare-staff", password="pw-staff-123", is_staff=True
    )
    client.force_login(staff)
    assert client.get(reverse("selector:profile-ahp")).status_code == 403
    plain = User.objects.create_user("plain", password="pw-plain-123")
    client.force_login(plain)
    assert client.get(reverse("selector:profile-ahp")).status_code == 403
    client.logout()
    assert client.get(reverse("selector:profile-ahp")).status_code == 302


def test_the_preview_shows_the_engines_weights_and_consistency_ratio(
    client, drinks, editor
):
    client.force_login(editor)
    data = {"criteria": DRINKS, **pair_data(DRINK_JUDGEMENTS)}
    response = client.post(
        reverse("selector:profile-ahp-preview"), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-key="water">32.7%<' in page
    assert 'data-key="wine">1.9%<' in page
    assert "Consistency ratio:" in page and "0.022" in page
    assert not WeightProfile.objects.filter(name="Drinks").exists()


def test_the_page_lists_one_choice_per_pair_of_chosen_criteria(client, drinks, editor):
    client.force_login(editor)
    response = client.get(reverse("selector:profile-ahp"), {"criteria": DRINKS})
    assert response.status_code == 200
    page = response.content.decode()
    for a, b in itertools.combinations(DRINKS, 2):
        assert f'name="pair__{a}__{b}"' in page
    assert 'hx-post="/profiles/ahp/preview/"' in page


def test_saving_from_the_page_refuses_inconsistency_until_confirmed(client, editor):
    client.force_login(editor)
    keys = ["roi", "price", "performance"]
    data = {
        "criteria": keys,
        "name": "Cycle",
        "slug": "cycle",
        "pair__roi__price": "9",
        "pair__roi__performance": "1/9",
        "pair__price__performance": "9",
    }
    response = client.post(reverse("selector:profile-ahp"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "above Saaty&#x27;s limit of 0.10" in page
    assert 'value="Cycle"' in page  # what the admin typed is kept
    assert not WeightProfile.objects.filter(slug="cycle").exists()

    data["confirm_inconsistent"] = "on"
    response = client.post(reverse("selector:profile-ahp"), data)
    assert response.status_code == 302
    assert response.url == reverse("selector:profile-detail", kwargs={"slug": "cycle"})
    assert WeightProfile.objects.get(slug="cycle").weights.count() == 3


def test_saving_a_consistent_profile_from_the_page(client, drinks, editor):
    client.force_login(editor)
    data = {
        "criteria": DRINKS,
        "name": "Drinks",
        "slug": "drinks",
        **pair_data(DRINK_JUDGEMENTS),
    }
    response = client.post(reverse("selector:profile-ahp"), data)
    assert response.status_code == 302
    profile = WeightProfile.objects.get(slug="drinks")
    shares = {row.criterion.key: row.share for row in selectors.weight_rows(profile)}
    assert round(shares["water"], 3) == 0.327


# The judgements are kept with the profile, so they can be revised.


def test_a_derived_profile_keeps_its_judgements_and_consistency_ratio(drinks, editor):
    profile = derive_drinks(editor)
    assert profile.ahp["judgements"] == {
        f"{a}|{b}": str(value) for (a, b), value in DRINK_JUDGEMENTS.items()
    }
    assert round(profile.ahp["consistency_ratio"], 3) == PUBLISHED_CR
    assert profile.ahp_judgement("coffee", "wine") == "9"
    assert profile.ahp_judgement("wine", "coffee") == "1/9"
    assert profile.ahp_judgement("water", "coffee") == "2"
    assert profile.ahp_judgement("milk", "beer") == "1"
    assert profile.ahp_judgement("coffee", "roi") is None


def test_the_ahp_page_for_a_derived_profile_starts_from_its_judgements(
    client, drinks, editor
):
    derive_drinks(editor)
    client.force_login(editor)
    response = client.get(reverse("selector:profile-ahp"), {"profile": "drinks"})
    form = response.context["form"]
    initial = {
        tuple(name.split("__")[1:]): form[name].initial
        for name in form.fields
        if name.startswith("pair__")
    }
    assert len(initial) == len(DRINK_JUDGEMENTS)
    for (a, b), value in initial.items():
        published = DRINK_JUDGEMENTS.get((a, b))
        if published is None:  # the page lists this pair the other way round
            published = saaty_text(1 / parse_judgement(str(DRINK_JUDGEMENTS[(b, a)])))
        assert value == str(published), (a, b)


def test_the_profile_page_says_the_weights_come_from_ahp_judgements(
    client, drinks, editor
):
    derive_drinks(editor)
    client.force_login(editor)
    page = client.get(
        reverse("selector:profile-detail", kwargs={"slug": "drinks"})
    ).content.decode()
    assert "Weights derived with AHP from 21 pairwise judgements" in page
    assert "(consistency ratio 0.022)" in page
    assert "Revise the judgements" in page


def test_weights_set_another_way_drop_the_judgements_and_a_revert_brings_them_back(
    drinks, editor
):
    profile = derive_drinks(editor)
    ahp_version = profile.history.latest().history_id
    copy = duplicate_profile(user=editor, profile=profile).profile
    assert copy.ahp == profile.ahp
    weights = {key: 1 for key in DRINKS}
    save_profile(user=editor, profile=profile, weights=weights)
    assert WeightProfile.objects.get(pk=profile.pk).ahp == {}
    revert_profile(user=editor, profile=profile, history_id=ahp_version)
    assert WeightProfile.objects.get(pk=profile.pk).ahp == copy.ahp

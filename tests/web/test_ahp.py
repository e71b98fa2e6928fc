"""The AHP page: who may use it, one choice per pair of criteria, the htmx preview of
the engine's weights and consistency ratio, saving (inconsistency refused until
confirmed), and revising a derived profile's judgements."""

import itertools

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from selector import selectors
from selector.models import WeightProfile
from selector.services.catalogue.ahp import parse_judgement, saaty_text
from tests.saaty_drinks import DRINK_JUDGEMENTS, DRINKS, derive_drinks

pytestmark = pytest.mark.django_db


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
    client, drinks, ahp_editor
):
    client.force_login(ahp_editor)
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


def test_the_page_lists_one_choice_per_pair_of_chosen_criteria(
    client, drinks, ahp_editor
):
    client.force_login(ahp_editor)
    response = client.get(reverse("selector:profile-ahp"), {"criteria": DRINKS})
    assert response.status_code == 200
    page = response.content.decode()
    for a, b in itertools.combinations(DRINKS, 2):
        assert f'name="pair__{a}__{b}"' in page
    assert 'hx-post="/profiles/ahp/preview/"' in page


def test_saving_from_the_page_refuses_inconsistency_until_confirmed(client, ahp_editor):
    client.force_login(ahp_editor)
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


def test_saving_a_consistent_profile_from_the_page(client, drinks, ahp_editor):
    client.force_login(ahp_editor)
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


def test_the_ahp_page_for_a_derived_profile_starts_from_its_judgements(
    client, drinks, ahp_editor
):
    derive_drinks(ahp_editor)
    client.force_login(ahp_editor)
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
    client, drinks, ahp_editor
):
    derive_drinks(ahp_editor)
    client.force_login(ahp_editor)
    page = client.get(
        reverse("selector:profile-detail", kwargs={"slug": "drinks"})
    ).content.decode()
    assert "Weights derived with AHP from 21 pairwise judgments" in page
    assert "(consistency ratio 0.022)" in page
    assert "Revise the judgments" in page

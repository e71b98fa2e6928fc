"""``/profiles/`` lists the weight profiles (it used to be a 404), linked from the nav."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from selector.models import WeightProfile

pytestmark = pytest.mark.django_db


def test_the_profile_index_lists_every_profile_with_its_survey_and_links(
    member_client,
):
    response = member_client.get("/profiles/")
    assert response.status_code == 200
    page = response.content.decode()
    profiles = list(WeightProfile.objects.select_related("survey"))
    assert profiles
    for profile in profiles:
        assert escape(profile.name) in page
        assert f'href="{profile.get_absolute_url()}"' in page
        assert f"{reverse('selector:profile-compare')}?a={profile.slug}" in page
        if profile.survey:
            assert escape(profile.survey.title) in page


def test_the_profile_index_needs_a_signed_in_user(client):
    response = client.get("/profiles/")
    assert response.status_code == 302


def test_the_header_links_to_the_profile_index(member_client):
    page = member_client.get(reverse("selector:tool-list")).content.decode()
    assert f'href="{reverse("selector:profile-list")}"' in page

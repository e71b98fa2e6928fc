"""The weight profile admin's tools: derive from a survey, duplicate, compare two
profiles, the links on the change page, and deleting (refused, with the reason, for a
followed or built-in profile)."""

import pytest
from django.urls import reverse

from selector.models import WeightProfile
from selector.services.catalogue.deriving import duplicate_profile
from survey.models import Survey
from tests.admin.profile_forms import APP_WEIGHTS, change_url
from tests.factories import EvaluationFactory, weights_of

pytestmark = pytest.mark.django_db


def test_derive_from_survey_creates_a_profile_from_a_category(profile_editor_client):
    url = reverse("admin:selector_weightprofile_derive_survey")
    page = profile_editor_client.get(url)
    assert page.status_code == 200
    assert "llm_switching_motivations" in page.content.decode()
    survey = Survey.objects.get(slug="menlo-2024")
    response = profile_editor_client.post(
        url,
        {
            "survey": survey.pk,
            "category": "llm_switching_motivations",
            "slug": "switching-2",
            "name": "Switching (derived)",
        },
    )
    assert response.status_code == 302
    profile = WeightProfile.objects.get(slug="switching-2")
    assert weights_of(profile) == {
        "security_safety": 46,
        "price": 44,
        "performance": 42,
        "expanded_capabilities": 41,
    }


def test_derive_from_survey_shows_the_reason_when_refused(profile_editor_client):
    survey = Survey.objects.get(slug="menlo-2024")
    response = profile_editor_client.post(
        reverse("admin:selector_weightprofile_derive_survey"),
        {
            "survey": survey.pk,
            "category": "spend",
            "slug": "spend",
            "name": "Spend",
        },
    )
    assert response.status_code == 200
    assert "is not a set of shares" in response.content.decode()
    assert not WeightProfile.objects.filter(slug="spend").exists()


def test_the_duplicate_button_copies_the_profile(profile_editor_client, app_selection):
    url = reverse("admin:selector_weightprofile_duplicate", args=[app_selection.pk])
    response = profile_editor_client.post(url)
    copy = WeightProfile.objects.get(slug="menlo-2024-app-selection-copy")
    assert response.url == change_url(copy)
    assert weights_of(copy) == APP_WEIGHTS


def test_the_compare_action_opens_the_comparison_of_two_profiles(profile_editor_client):
    chosen = WeightProfile.objects.filter(builtin=True).order_by("name")[:2]
    response = profile_editor_client.post(
        reverse("admin:selector_weightprofile_changelist"),
        {"action": "compare_selected", "_selected_action": [p.pk for p in chosen]},
    )
    assert response.status_code == 302
    assert response.url == (
        f"{reverse('selector:profile-compare')}?a={chosen[0].slug}&b={chosen[1].slug}"
    )


def test_the_change_page_links_to_the_profile_tools(
    profile_editor_client, app_selection
):
    page = profile_editor_client.get(change_url(app_selection)).content.decode()
    assert (
        reverse("selector:profile-detail", kwargs={"slug": app_selection.slug}) in page
    )
    assert f"{reverse('selector:profile-ahp')}?profile={app_selection.slug}" in page
    assert (
        reverse("admin:selector_weightprofile_duplicate", args=[app_selection.pk])
        in page
    )


def test_the_delete_page_says_why_a_followed_or_builtin_profile_stays(
    profile_editor_client, profile_editor, member, app_selection
):
    _, workspace = member
    EvaluationFactory(workspace=workspace, name="Pick a copilot")  # follows it
    url = reverse("admin:selector_weightprofile_delete", args=[app_selection.pk])
    page = profile_editor_client.get(url).content.decode()
    assert "it is built in" in page
    assert "evaluation “Pick a copilot”" in page
    response = profile_editor_client.post(url, {"post": "yes"})
    assert "Pick a copilot" in response.content.decode()
    assert WeightProfile.objects.filter(pk=app_selection.pk).exists()


def test_an_unfollowed_profile_is_deleted_from_the_admin(
    profile_editor_client, profile_editor
):
    copy = duplicate_profile(
        user=profile_editor,
        profile=WeightProfile.objects.get(slug="menlo-2024-pilot-risks"),
    ).profile
    response = profile_editor_client.post(
        reverse("admin:selector_weightprofile_delete", args=[copy.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not WeightProfile.objects.filter(pk=copy.pk).exists()
    assert WeightProfile.history.get(id=copy.pk, history_type="-").history_user == (
        profile_editor
    )

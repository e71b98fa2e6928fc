"""Profile pages for signed-in users: weights with their share and survey source, the
change log, and the comparison of two profiles on an evaluation's ranking."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils.html import escape

from selector.models import Run, WeightProfile
from selector.selectors import DEMO_WORKSPACE
from selector.services.catalogue.profiles import save_profile
from selector.services.demo import seed_demo
from tests.factories import (
    EvaluationFactory,
    MembershipFactory,
    cheap_and_strong_tools,
    scored_tool,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_selection():
    return WeightProfile.objects.get(slug="menlo-2024-app-selection")


def detail_url(profile):
    return reverse("selector:profile-detail", kwargs={"slug": profile.slug})


def test_the_profile_page_needs_a_signed_in_user(client, app_selection):
    response = client.get(detail_url(app_selection))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_profile_page_shows_weights_shares_and_survey_sources(
    member_client, app_selection
):
    response = member_client.get(detail_url(app_selection))
    assert response.status_code == 200
    page = response.content.decode()
    assert app_selection.name in page
    assert "52.6%" in page and "45.6%" in page and "1.8%" in page
    assert "Measurable ROI / return on investment = 30" in page
    assert 'href="/surveys/menlo-2024/#app_selection_criteria"' in page
    assert "Edit in the admin" not in page  # not staff


def test_the_profile_page_shows_each_sources_evidence_level(
    member_client, app_selection
):
    press = escape(app_selection.survey.evidence_levels["press"])
    page = member_client.get(detail_url(app_selection)).content.decode()
    weights = page[page.index('id="weights"') :]
    weights = weights[: weights.index("</table>")]
    # 30/26/1 all come from the press summary of the report.
    assert weights.count(f'title="press: {press}">press</span>') == 3
    for marker in ("SEED:", "shared/", "seeds/", ".txt", "confirmed"):
        assert marker not in page


def test_the_profile_page_shows_the_change_log(member_client, app_selection):
    editor = User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_weightprofile"))
    editor = User.objects.get(pk=editor.pk)
    save_profile(
        user=editor,
        profile=app_selection,
        weights={"roi": 35, "industry_customization": 26, "price": 1},
    )
    page = member_client.get(detail_url(app_selection)).content.decode()
    assert "Weight of Measurable ROI:</strong> 30 → 35" in page
    assert "editor" in page
    assert "edited from the survey's 30" in page


def test_an_unknown_profile_is_a_404(member_client):
    response = member_client.get(
        reverse("selector:profile-detail", kwargs={"slug": "nope"})
    )
    assert response.status_code == 404


def test_staff_editors_get_links_to_the_admin_and_ahp(client, app_selection):
    editor = User.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_weightprofile"))
    client.force_login(editor)
    page = client.get(detail_url(app_selection)).content.decode()
    assert (
        reverse("admin:selector_weightprofile_change", args=[app_selection.pk]) in page
    )
    assert f"{reverse('selector:profile-ahp')}?profile={app_selection.slug}" in page


def test_the_comparison_shows_weights_side_by_side_and_how_the_ranking_moves(
    member_client, member
):
    _, workspace = member
    tools = cheap_and_strong_tools(workspace)
    evaluation = EvaluationFactory(workspace=workspace, name="Our pick", tools=tools)
    runs = Run.objects.count()
    response = member_client.get(
        reverse("selector:profile-compare"),
        {
            "a": "menlo-2024-app-selection",
            "b": "menlo-2024-llm-switching",
            "evaluation": evaluation.pk,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="compare-weights"' in page
    assert "52.6%" in page  # ROI under A
    assert "26.6%" in page  # security and safety under B: 46 of 173
    assert "How “Our pick” ranks under each" in page
    comparison = response.context["comparison"]
    assert {t["tool_name"] for t in comparison.tools} == {"Cheap", "Strong"}
    assert Run.objects.count() == runs


def test_the_comparison_refuses_another_workspaces_evaluation(member_client):
    other = EvaluationFactory(name="Not yours")
    response = member_client.get(
        reverse("selector:profile-compare"),
        {
            "a": "menlo-2024-app-selection",
            "b": "menlo-2024-llm-switching",
            "evaluation": other.pk,
        },
    )
    assert response.status_code == 404


def test_the_comparison_defaults_to_and_offers_only_the_current_workspaces_evaluations(
    client,
):
    """Two users: each sees only their own current workspace's evaluations (the demo's,
    another user's, and their own other workspace's are not offered)."""
    seed_demo()
    first, second = MembershipFactory(), MembershipFactory()
    EvaluationFactory(workspace=first.workspace, name="First's pick")
    EvaluationFactory(workspace=second.workspace, name="Second's pick")
    elsewhere = MembershipFactory(user=second.user)
    EvaluationFactory(workspace=elsewhere.workspace, name="Second's other pick")
    pair = {"a": "menlo-2024-app-selection", "b": "menlo-2024-llm-switching"}
    for membership, own in ((first, "First's pick"), (second, "Second's pick")):
        client.force_login(membership.user)
        session = client.session
        session["workspace_id"] = membership.workspace_id
        session.save()
        response = client.get(reverse("selector:profile-compare"), pair)
        assert response.status_code == 200
        assert [e.name for e in response.context["evaluations"]] == [own]
        assert response.context["comparison"].evaluation.name == own
        page = response.content.decode()
        assert "Company-wide AI assistant" not in page
        assert "other pick" not in page


def test_another_of_ones_workspaces_evaluation_is_not_offered_either(client):
    membership = MembershipFactory()
    other = EvaluationFactory(
        workspace=MembershipFactory(user=membership.user).workspace
    )
    client.force_login(membership.user)
    session = client.session
    session["workspace_id"] = membership.workspace_id
    session.save()
    response = client.get(reverse("selector:profile-compare"), {"evaluation": other.pk})
    assert response.status_code == 404


def test_a_workspace_named_like_the_demo_does_not_leak_into_comparisons(client):
    impostor = MembershipFactory(workspace__name=DEMO_WORKSPACE)
    tools = [
        scored_tool(impostor.workspace, n, roi=3, industry_customization=3, price=3)
        for n in "XY"
    ]
    EvaluationFactory(workspace=impostor.workspace, tools=tools, name="Private plans")
    client.force_login(MembershipFactory().user)
    page = client.get("/profiles/compare/").content.decode()
    assert "Private plans" not in page

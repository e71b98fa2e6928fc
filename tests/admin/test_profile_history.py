"""The weight profile admin's change log and revert: who changed which weight from what
to what, one-click revert (itself recorded), and not for those who may only view."""

import pytest
from django.urls import reverse

from selector.services.catalogue.profiles import save_profile
from tests.admin.profile_forms import APP_WEIGHTS, change_url, form_data
from tests.factories import make_user, weights_of

pytestmark = pytest.mark.django_db


def test_the_history_page_shows_who_changed_which_weight_from_what_to_what(
    profile_editor_client, profile_editor, app_selection
):
    profile_editor_client.post(
        change_url(app_selection), form_data(app_selection, {**APP_WEIGHTS, "roi": 45})
    )
    response = profile_editor_client.get(
        reverse("admin:selector_weightprofile_history", args=[app_selection.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Weight of Measurable ROI:</strong> 30 → 45" in page
    assert "profile-editor" in page
    assert "State before the change log began" in page


def test_one_click_revert_restores_the_weights_and_is_itself_recorded(
    profile_editor_client, profile_editor, app_selection
):
    profile_editor_client.post(
        change_url(app_selection),
        form_data(app_selection, {"roi": 45, "performance": 10}, name="Edited"),
    )
    baseline = app_selection.history.order_by("history_date").first()
    url = reverse(
        "admin:selector_weightprofile_simple_history",
        args=[app_selection.pk, baseline.history_id],
    )
    page = profile_editor_client.get(url)
    assert page.status_code == 200
    assert "Revert to this version" in page.content.decode()
    rows_before = app_selection.history.count()
    response = profile_editor_client.post(url)
    assert response.status_code == 302
    app_selection.refresh_from_db()
    assert app_selection.name == "Menlo 2024: how buyers select AI applications"
    assert weights_of(app_selection) == APP_WEIGHTS
    assert app_selection.weights.get(criterion__key="roi").benchmark.key == "roi"
    assert app_selection.history.count() == rows_before + 1
    newest = app_selection.history.order_by("-history_date").first()
    assert newest.history_user == profile_editor
    assert newest.history_change_reason.startswith(
        f"Reverted to version #{baseline.history_id}"
    )
    history_page = profile_editor_client.get(
        reverse("admin:selector_weightprofile_history", args=[app_selection.pk])
    ).content.decode()
    assert "Reverted to version" in history_page


def test_staff_who_may_only_view_cannot_revert(client, profile_editor, app_selection):
    save_profile(
        user=profile_editor, profile=app_selection, weights={**APP_WEIGHTS, "roi": 50}
    )
    baseline = app_selection.history.order_by("history_date").first()
    client.force_login(make_user("viewer-staff", perms=["view_weightprofile"]))
    url = reverse(
        "admin:selector_weightprofile_simple_history",
        args=[app_selection.pk, baseline.history_id],
    )
    assert "Revert to this version" not in client.get(url).content.decode()
    assert client.post(url).status_code == 403
    assert weights_of(app_selection)["roi"] == 50

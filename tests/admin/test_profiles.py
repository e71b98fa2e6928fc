"""The weight profile admin: who may use it, and editing weights inline (validated,
recorded, re-ranking the evaluations that follow the profile)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from selector.models import Batch, Criterion, WeightProfile
from selector.services.catalogue.history import profile_change_log
from tests.admin.profile_forms import APP_WEIGHTS, PROFILE_PERMS, change_url, form_data
from tests.factories import EvaluationFactory, make_user, scored_tool, weights_of

pytestmark = pytest.mark.django_db


def test_staff_with_the_permissions_see_the_list_and_the_weights_with_share_and_source(
    profile_editor_client, app_selection
):
    response = profile_editor_client.get(
        reverse("admin:selector_weightprofile_changelist")
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == WeightProfile.objects.count()
    response = profile_editor_client.get(change_url(app_selection))
    assert response.status_code == 200
    page = response.content.decode()
    assert "52.6%" in page  # ROI: 30 of 57
    assert "1.8%" in page  # price: 1 of 57
    assert "2024: The State of Generative AI in the Enterprise" in page
    assert "Measurable ROI / return on investment = 30" in page


def test_staff_without_the_model_permissions_are_refused(client, app_selection):
    client.force_login(make_user("bare-staff"))
    assert (
        client.get(reverse("admin:selector_weightprofile_changelist")).status_code
        == 403
    )
    assert client.get(change_url(app_selection)).status_code == 403
    response = client.post(
        change_url(app_selection), form_data(app_selection, {"roi": 99})
    )
    assert response.status_code == 403
    assert weights_of(app_selection) == APP_WEIGHTS
    url = reverse("admin:selector_weightprofile_duplicate", args=[app_selection.pk])
    assert client.post(url).status_code == 403
    url = reverse("admin:selector_weightprofile_derive_survey")
    assert client.get(url).status_code == 403


def test_staff_who_may_only_view_cannot_save(client, app_selection):
    client.force_login(make_user("viewer-staff", perms=["view_weightprofile"]))
    assert client.get(change_url(app_selection)).status_code == 200
    response = client.post(
        change_url(app_selection), form_data(app_selection, {"roi": 99})
    )
    assert response.status_code == 403
    assert weights_of(app_selection) == APP_WEIGHTS


def test_plain_users_are_sent_to_the_admin_login(client, app_selection):
    client.force_login(make_user("plain", staff=False, perms=PROFILE_PERMS))
    for url in (
        reverse("admin:selector_weightprofile_changelist"),
        change_url(app_selection),
        reverse("admin:selector_weightprofile_history", args=[app_selection.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    response = client.post(
        change_url(app_selection), form_data(app_selection, {"roi": 99})
    )
    assert response.status_code == 302
    assert weights_of(app_selection) == APP_WEIGHTS


def test_staff_edit_a_weight_and_it_is_saved_recorded_and_logged(
    profile_editor_client, profile_editor, app_selection
):
    values = {**APP_WEIGHTS, "roi": 40}
    response = profile_editor_client.post(
        change_url(app_selection), form_data(app_selection, values)
    )
    assert response.status_code == 302
    assert weights_of(app_selection) == values
    newest = profile_change_log(app_selection)[0]
    assert newest.user == profile_editor
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("Weight of Measurable ROI", "30", "40")
    ]
    history = app_selection.weights.get(criterion__key="roi").history.order_by(
        "history_date"
    )
    assert [row.value for row in history] == [30, 40]
    assert history.last().history_user == profile_editor


def test_adding_and_removing_weights_inline(profile_editor_client, app_selection):
    values = {"roi": 30, "industry_customization": 26, "performance": 12}
    response = profile_editor_client.post(
        change_url(app_selection), form_data(app_selection, values)
    )
    assert response.status_code == 302
    assert weights_of(app_selection) == values


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"roi": -5, "industry_customization": 26, "price": 1},
            "A weight must be a finite number ≥ 0, not -5.0.",
        ),
        ({"roi": "abc", "industry_customization": 26, "price": 1}, "Enter a number."),
        ({"roi": "inf", "industry_customization": 26, "price": 1}, "Enter a number."),
        (
            {"roi": 0, "industry_customization": 0, "price": 0},
            "At least one weight must be above zero; all are 0.",
        ),
        ({}, "A profile needs at least one weight."),
    ],
)
def test_bad_weights_are_refused_in_the_form_and_nothing_is_saved(
    profile_editor_client, app_selection, values, message
):
    history_rows = app_selection.history.count()
    response = profile_editor_client.post(
        change_url(app_selection), form_data(app_selection, values)
    )
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert weights_of(app_selection) == APP_WEIGHTS
    assert app_selection.history.count() == history_rows
    assert not Batch.objects.exists()


def test_a_slug_with_capitals_is_refused_next_to_the_field(
    profile_editor_client, app_selection
):
    data = form_data(app_selection, APP_WEIGHTS)
    data["slug"] = "Menlo-2024"
    response = profile_editor_client.post(change_url(app_selection), data)
    assert response.status_code == 200
    assert "is not a lower-case slug" in response.content.decode()
    app_selection.refresh_from_db()
    assert app_selection.slug == "menlo-2024-app-selection"


def test_adding_a_profile_with_its_weights(profile_editor_client):
    data = {
        "slug": "security-first",
        "name": "Security first",
        "description": "",
        "survey": "",
        "weights-TOTAL_FORMS": 2,
        "weights-INITIAL_FORMS": 0,
        "weights-MIN_NUM_FORMS": 0,
        "weights-MAX_NUM_FORMS": 1000,
        "weights-0-criterion": Criterion.objects.get(key="security_safety").pk,
        "weights-0-value": 3,
        "weights-1-criterion": Criterion.objects.get(key="price").pk,
        "weights-1-value": 1,
    }
    response = profile_editor_client.post(
        reverse("admin:selector_weightprofile_add"), data
    )
    assert response.status_code == 302
    profile = WeightProfile.objects.get(slug="security-first")
    assert weights_of(profile) == {"security_safety": 3, "price": 1}
    assert profile_change_log(profile)[0].kind == "created"


def test_saving_starts_the_rerank_and_says_how_many_evaluations_with_a_batch_link(
    profile_editor_client, member, app_selection, django_capture_on_commit_callbacks
):
    _, workspace = member
    tools = [
        scored_tool(workspace, "A", roi=4, industry_customization=3, price=30),
        scored_tool(workspace, "B", roi=3, industry_customization=5, price=20),
    ]
    EvaluationFactory(workspace=workspace, tools=tools)
    EvaluationFactory(workspace=workspace, tools=tools)
    with django_capture_on_commit_callbacks(execute=True):
        response = profile_editor_client.post(
            change_url(app_selection),
            form_data(app_selection, {**APP_WEIGHTS, "price": 20}),
        )
    assert response.status_code == 302
    batch = Batch.objects.get(kind=Batch.Kind.RERANK, profile=app_selection)
    assert batch.runs.count() == 2
    assert {run.inputs["weights"][-1] for run in batch.runs.all()} == {20}
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(
        "2 evaluation(s) follow this profile: re-ranking started in" in text
        and f"batch #{batch.pk}</a>" in text
        for text in texts
    ), texts
    # The link opens for the profile_editor (read-only batch page).
    assert (
        profile_editor_client.get(
            reverse("admin:selector_batch_change", args=[batch.pk])
        ).status_code
        == 200
    )


def test_a_save_with_no_follower_says_so(profile_editor_client, app_selection):
    response = profile_editor_client.post(
        change_url(app_selection),
        form_data(app_selection, {**APP_WEIGHTS, "roi": 31}),
        follow=True,
    )
    assert "No evaluation follows this profile" in response.content.decode()

"""Weight profile admin: who may use it, editing weights inline (validated, recorded,
re-ranking), the change log and revert, and the profile tools (derive, duplicate,
compare)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from selector.models import Batch, Criterion, WeightProfile
from selector.services.catalogue.deriving import duplicate_profile
from selector.services.catalogue.history import profile_change_log
from selector.services.catalogue.profiles import save_profile
from survey.models import Survey
from tests.factories import EvaluationFactory, make_user, scored_tool

pytestmark = pytest.mark.django_db

PROFILE_PERMS = [
    "add_weightprofile",
    "change_weightprofile",
    "delete_weightprofile",
    "view_weightprofile",
    "view_batch",
]


@pytest.fixture
def editor():
    return make_user("profile-editor", perms=PROFILE_PERMS)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def app_selection():
    return WeightProfile.objects.get(slug="menlo-2024-app-selection")


def change_url(profile):
    return reverse("admin:selector_weightprofile_change", args=[profile.pk])


def form_data(profile, values: dict[str, object], *, name=None) -> dict:
    """The change form as the admin would post it, with ``values`` by criterion key
    (a key missing from ``values`` is deleted; a new key is added)."""
    weights = list(profile.weights.select_related("criterion").order_by("pk"))
    data = {
        "slug": profile.slug,
        "name": name or profile.name,
        "description": profile.description,
        "survey": profile.survey_id or "",
        "weights-TOTAL_FORMS": 0,
        "weights-INITIAL_FORMS": len(weights),
        "weights-MIN_NUM_FORMS": 0,
        "weights-MAX_NUM_FORMS": 1000,
    }
    if profile.builtin:
        data["builtin"] = "on"
    i = 0
    for weight in weights:
        prefix = f"weights-{i}"
        data.update(
            {
                f"{prefix}-id": weight.pk,
                f"{prefix}-profile": profile.pk,
                f"{prefix}-criterion": weight.criterion_id,
                f"{prefix}-value": values.get(weight.criterion.key, weight.value),
                f"{prefix}-benchmark": weight.benchmark_id or "",
            }
        )
        if weight.criterion.key not in values:
            data[f"{prefix}-DELETE"] = "on"
        i += 1
    existing = {w.criterion.key for w in weights}
    for key, value in values.items():
        if key in existing:
            continue
        prefix = f"weights-{i}"
        data.update(
            {
                f"{prefix}-profile": profile.pk,
                f"{prefix}-criterion": Criterion.objects.get(key=key).pk,
                f"{prefix}-value": value,
                f"{prefix}-benchmark": "",
            }
        )
        i += 1
    data["weights-TOTAL_FORMS"] = i
    return data


def weights_of(profile) -> dict[str, float]:
    return {
        w.criterion.key: w.value for w in profile.weights.select_related("criterion")
    }


APP_WEIGHTS = {"roi": 30, "industry_customization": 26, "price": 1}


# Who may use it.


def test_staff_with_the_permissions_see_the_list_and_the_weights_with_share_and_source(
    editor_client, app_selection
):
    response = editor_client.get(reverse("admin:selector_weightprofile_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == WeightProfile.objects.count()
    response = editor_client.get(change_url(app_selection))
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


# Editing.


def test_staff_edit_a_weight_and_it_is_saved_recorded_and_logged(
    editor_client, editor, app_selection
):
    values = {**APP_WEIGHTS, "roi": 40}
    response = editor_client.post(
        change_url(app_selection), form_data(app_selection, values)
    )
    assert response.status_code == 302
    assert weights_of(app_selection) == values
    newest = profile_change_log(app_selection)[0]
    assert newest.user == editor
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("Weight of Measurable ROI", "30", "40")
    ]
    history = app_selection.weights.get(criterion__key="roi").history.order_by(
        "history_date"
    )
    assert [row.value for row in history] == [30, 40]
    assert history.last().history_user == editor


def test_adding_and_removing_weights_inline(editor_client, app_selection):
    values = {"roi": 30, "industry_customization": 26, "performance": 12}
    response = editor_client.post(
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
    editor_client, app_selection, values, message
):
    history_rows = app_selection.history.count()
    response = editor_client.post(
        change_url(app_selection), form_data(app_selection, values)
    )
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    assert weights_of(app_selection) == APP_WEIGHTS
    assert app_selection.history.count() == history_rows
    assert not Batch.objects.exists()


def test_a_slug_with_capitals_is_refused_next_to_the_field(
    editor_client, app_selection
):
    data = form_data(app_selection, APP_WEIGHTS)
    data["slug"] = "Menlo-2024"
    response = editor_client.post(change_url(app_selection), data)
    assert response.status_code == 200
    assert "is not a lower-case slug" in response.content.decode()
    app_selection.refresh_from_db()
    assert app_selection.slug == "menlo-2024-app-selection"


def test_adding_a_profile_with_its_weights(editor_client):
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
    response = editor_client.post(reverse("admin:selector_weightprofile_add"), data)
    assert response.status_code == 302
    profile = WeightProfile.objects.get(slug="security-first")
    assert weights_of(profile) == {"security_safety": 3, "price": 1}
    assert profile_change_log(profile)[0].kind == "created"


def test_saving_starts_the_rerank_and_says_how_many_evaluations_with_a_batch_link(
    editor_client, member, app_selection, django_capture_on_commit_callbacks
):
    _, workspace = member
    tools = [
        scored_tool(workspace, "A", roi=4, industry_customization=3, price=30),
        scored_tool(workspace, "B", roi=3, industry_customization=5, price=20),
    ]
    EvaluationFactory(workspace=workspace, tools=tools)
    EvaluationFactory(workspace=workspace, tools=tools)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
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
    # The link opens for the editor (read-only batch page).
    assert (
        editor_client.get(
            reverse("admin:selector_batch_change", args=[batch.pk])
        ).status_code
        == 200
    )


def test_a_save_with_no_follower_says_so(editor_client, app_selection):
    response = editor_client.post(
        change_url(app_selection),
        form_data(app_selection, {**APP_WEIGHTS, "roi": 31}),
        follow=True,
    )
    assert "No evaluation follows this profile" in response.content.decode()


# History and revert.


def test_the_history_page_shows_who_changed_which_weight_from_what_to_what(
    editor_client, editor, app_selection
):
    editor_client.post(
        change_url(app_selection), form_data(app_selection, {**APP_WEIGHTS, "roi": 45})
    )
    response = editor_client.get(
        reverse("admin:selector_weightprofile_history", args=[app_selection.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Weight of Measurable ROI:</strong> 30 &rarr; 45" in page
    assert "profile-editor" in page
    assert "State before the change log began" in page


def test_one_click_revert_restores_the_weights_and_is_itself_recorded(
    editor_client, editor, app_selection
):
    editor_client.post(
        change_url(app_selection),
        form_data(app_selection, {"roi": 45, "performance": 10}, name="Edited"),
    )
    baseline = app_selection.history.order_by("history_date").first()
    url = reverse(
        "admin:selector_weightprofile_simple_history",
        args=[app_selection.pk, baseline.history_id],
    )
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "Revert to this version" in page.content.decode()
    rows_before = app_selection.history.count()
    response = editor_client.post(url)
    assert response.status_code == 302
    app_selection.refresh_from_db()
    assert app_selection.name == "Menlo 2024: how buyers select AI applications"
    assert weights_of(app_selection) == APP_WEIGHTS
    assert app_selection.weights.get(criterion__key="roi").benchmark.key == "roi"
    assert app_selection.history.count() == rows_before + 1
    newest = app_selection.history.order_by("-history_date").first()
    assert newest.history_user == editor
    assert newest.history_change_reason.startswith(
        f"Reverted to version #{baseline.history_id}"
    )
    history_page = editor_client.get(
        reverse("admin:selector_weightprofile_history", args=[app_selection.pk])
    ).content.decode()
    assert "Reverted to version" in history_page


def test_staff_who_may_only_view_cannot_revert(client, editor, app_selection):
    save_profile(user=editor, profile=app_selection, weights={**APP_WEIGHTS, "roi": 50})
    baseline = app_selection.history.order_by("history_date").first()
    client.force_login(make_user("viewer-staff", perms=["view_weightprofile"]))
    url = reverse(
        "admin:selector_weightprofile_simple_history",
        args=[app_selection.pk, baseline.history_id],
    )
    assert "Revert to this version" not in client.get(url).content.decode()
    assert client.post(url).status_code == 403
    assert weights_of(app_selection)["roi"] == 50


# Tools: derive from survey, duplicate, compare.


def test_derive_from_survey_creates_a_profile_from_a_category(editor_client):
    url = reverse("admin:selector_weightprofile_derive_survey")
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "llm_switching_motivations" in page.content.decode()
    survey = Survey.objects.get(slug="menlo-2024")
    response = editor_client.post(
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


def test_derive_from_survey_shows_the_reason_when_refused(editor_client):
    survey = Survey.objects.get(slug="menlo-2024")
    response = editor_client.post(
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


def test_the_duplicate_button_copies_the_profile(editor_client, app_selection):
    url = reverse("admin:selector_weightprofile_duplicate", args=[app_selection.pk])
    response = editor_client.post(url)
    copy = WeightProfile.objects.get(slug="menlo-2024-app-selection-copy")
    assert response.url == change_url(copy)
    assert weights_of(copy) == APP_WEIGHTS


def test_the_compare_action_opens_the_comparison_of_two_profiles(editor_client):
    chosen = WeightProfile.objects.filter(builtin=True).order_by("name")[:2]
    response = editor_client.post(
        reverse("admin:selector_weightprofile_changelist"),
        {"action": "compare_selected", "_selected_action": [p.pk for p in chosen]},
    )
    assert response.status_code == 302
    assert response.url == (
        f"{reverse('selector:profile-compare')}?a={chosen[0].slug}&b={chosen[1].slug}"
    )


def test_the_change_page_links_to_the_profile_tools(editor_client, app_selection):
    page = editor_client.get(change_url(app_selection)).content.decode()
    assert (
        reverse("selector:profile-detail", kwargs={"slug": app_selection.slug}) in page
    )
    assert f"{reverse('selector:profile-ahp')}?profile={app_selection.slug}" in page
    assert (
        reverse("admin:selector_weightprofile_duplicate", args=[app_selection.pk])
        in page
    )


def test_the_delete_page_says_why_a_followed_or_builtin_profile_stays(
    editor_client, editor, member, app_selection
):
    _, workspace = member
    EvaluationFactory(workspace=workspace, name="Pick a copilot")  # follows it
    url = reverse("admin:selector_weightprofile_delete", args=[app_selection.pk])
    page = editor_client.get(url).content.decode()
    assert "it is built in" in page
    assert "evaluation “Pick a copilot”" in page
    response = editor_client.post(url, {"post": "yes"})
    assert "Pick a copilot" in response.content.decode()
    assert WeightProfile.objects.filter(pk=app_selection.pk).exists()


def test_an_unfollowed_profile_is_deleted_from_the_admin(editor_client, editor):
    copy = duplicate_profile(
        user=editor, profile=WeightProfile.objects.get(slug="menlo-2024-pilot-risks")
    ).profile
    response = editor_client.post(
        reverse("admin:selector_weightprofile_delete", args=[copy.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not WeightProfile.objects.filter(pk=copy.pk).exists()
    assert WeightProfile.history.get(id=copy.pk, history_type="-").history_user == (
        editor
    )

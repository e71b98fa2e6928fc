"""Criterion admin: permissions, validation next to the fields, history with a readable
diff, revert (recorded), and deletion refused while evaluations use the criterion."""

import pytest
from django.urls import reverse

from selector.models import Batch, Criterion, Run
from tests.factories import EvaluationFactory, make_user

pytestmark = pytest.mark.django_db

CRITERION_PERMS = [
    "add_criterion",
    "change_criterion",
    "delete_criterion",
    "view_criterion",
]


@pytest.fixture
def editor():
    return make_user("criteria-editor", perms=CRITERION_PERMS)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def criterion_data(criterion: Criterion, **changes) -> dict:
    data = {
        "key": criterion.key,
        "name": criterion.name,
        "description": criterion.description,
        "parent": criterion.parent_id or "",
        "kind": criterion.kind,
        "scale_min": "" if criterion.scale_min is None else criterion.scale_min,
        "scale_max": "" if criterion.scale_max is None else criterion.scale_max,
        "unit": criterion.unit,
        "direction": criterion.direction,
        "benchmark": criterion.benchmark_id or "",
    }
    if criterion.builtin:
        data["builtin"] = "on"
    data.update(changes)
    return data


def change_url(criterion):
    return reverse("admin:selector_criterion_change", args=[criterion.pk])


NEW = {
    "key": "time-to-value",
    "name": "Time to value",
    "description": "",
    "parent": "",
    "kind": "rating",
    "scale_min": 1,
    "scale_max": 5,
    "unit": "",
    "direction": "benefit",
    "benchmark": "",
}


def test_staff_with_the_permissions_list_and_add_criteria(editor_client, editor):
    response = editor_client.get(reverse("admin:selector_criterion_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == Criterion.objects.count()
    response = editor_client.post(reverse("admin:selector_criterion_add"), NEW)
    assert response.status_code == 302
    created = Criterion.objects.get(key="time-to-value")
    assert created.history.get().history_user == editor


def test_staff_without_the_model_permissions_are_refused(client):
    roi = Criterion.objects.get(key="roi")
    client.force_login(make_user("bare-staff"))
    assert client.get(reverse("admin:selector_criterion_changelist")).status_code == 403
    assert (
        client.post(change_url(roi), criterion_data(roi, name="X")).status_code == 403
    )
    assert client.post(reverse("admin:selector_criterion_add"), NEW).status_code == 403
    assert Criterion.objects.get(key="roi").name == "Measurable ROI"


def test_plain_users_are_sent_to_the_admin_login(client):
    roi = Criterion.objects.get(key="roi")
    client.force_login(make_user("plain", staff=False, perms=CRITERION_PERMS))
    response = client.post(change_url(roi), criterion_data(roi, name="X"))
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert Criterion.objects.get(key="roi").name == "Measurable ROI"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"scale_min": 5, "scale_max": 1},
            "The scale&#x27;s maximum (1) must be above its minimum (5).",
        ),
        ({"scale_min": 3, "scale_max": 3}, "must be above its minimum (3)"),
        ({"scale_max": ""}, "A rating needs both ends of its scale"),
        ({"key": "Time-To-Value"}, "is not a lower-case slug"),
        ({"key": "roi"}, "&#x27;roi&#x27; is already used by Measurable ROI."),
        ({"key": "ROI"}, "is not a lower-case slug"),
    ],
)
def test_bad_criteria_are_refused_next_to_the_field_and_nothing_saved(
    editor_client, changes, message
):
    response = editor_client.post(
        reverse("admin:selector_criterion_add"), {**NEW, **changes}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Criterion.objects.filter(name="Time to value").exists()


def test_an_edit_is_in_the_history_with_a_readable_diff(editor_client, editor):
    roi = Criterion.objects.get(key="roi")
    response = editor_client.post(
        change_url(roi), criterion_data(roi, name="Return on investment")
    )
    assert response.status_code == 302
    rows = roi.history.order_by("history_date")
    # The migration recorded nothing: the first edit records the loaded values first.
    assert [r.name for r in rows] == ["Measurable ROI", "Return on investment"]
    assert rows.last().history_user == editor
    response = editor_client.post(
        change_url(roi), criterion_data(roi, name="ROI (measured)", scale_max=10)
    )
    page = editor_client.get(
        reverse("admin:selector_criterion_history", args=[roi.pk])
    ).content.decode()
    assert "Measurable ROI" in page
    assert "Return on investment" in page and "ROI (measured)" in page
    assert "&rarr;" in page  # simple_history's old → new list
    assert "criteria-editor" in page


def test_a_revert_restores_the_version_and_is_recorded(editor_client, editor):
    roi = Criterion.objects.get(key="roi")
    editor_client.post(change_url(roi), criterion_data(roi, name="First name"))
    first = roi.history.get(name="First name")
    roi.refresh_from_db()
    editor_client.post(change_url(roi), criterion_data(roi, name="Second name"))
    url = reverse(
        "admin:selector_criterion_simple_history", args=[roi.pk, first.history_id]
    )
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, criterion_data(first.instance))
    assert response.status_code == 302
    roi.refresh_from_db()
    assert roi.name == "First name"
    newest = roi.history.order_by("-history_date").first()
    assert newest.history_user == editor
    assert newest.history_change_reason == f"Reverted to version #{first.history_id}"
    assert roi.history.count() == 4  # loaded, first, second, revert


def test_deleting_a_criterion_in_use_is_refused_and_names_the_evaluations(
    editor_client, member
):
    _, workspace = member
    EvaluationFactory(workspace=workspace, name="Pick a copilot")
    roi = Criterion.objects.get(key="roi")
    url = reverse("admin:selector_criterion_delete", args=[roi.pk])
    page = editor_client.get(url).content.decode()
    assert "Pick a copilot" in page
    assert "Menlo 2024: how buyers select AI applications" in page
    response = editor_client.post(url, {"post": "yes"})
    assert Criterion.objects.filter(key="roi").exists()
    assert "Pick a copilot" in response.content.decode()


def test_the_bulk_delete_action_refuses_criteria_in_use(editor_client, member):
    _, workspace = member
    EvaluationFactory(workspace=workspace, name="Pick a copilot")
    roi = Criterion.objects.get(key="roi")
    response = editor_client.post(
        reverse("admin:selector_criterion_changelist"),
        {"action": "delete_selected", "_selected_action": [roi.pk], "post": "yes"},
    )
    assert "Pick a copilot" in response.content.decode()
    assert Criterion.objects.filter(key="roi").exists()


def test_an_unused_criterion_can_be_deleted(editor_client):
    editor_client.post(reverse("admin:selector_criterion_add"), NEW)
    criterion = Criterion.objects.get(key="time-to-value")
    response = editor_client.post(
        reverse("admin:selector_criterion_delete", args=[criterion.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Criterion.objects.filter(key="time-to-value").exists()
    assert criterion.history.filter(history_type="-").exists()


def test_flipping_the_direction_says_which_evaluations_are_reranked(
    editor_client, member, three_tools, django_capture_on_commit_callbacks
):
    _, workspace = member
    EvaluationFactory(workspace=workspace, name="Pick a copilot", tools=three_tools)
    price = Criterion.objects.get(key="price")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(price), criterion_data(price, direction="benefit"), follow=True
        )
    page = response.content.decode()
    assert "1 evaluation(s) weigh this criterion: re-ranking started in" in page
    batch = Batch.objects.get(options__criterion="price")
    assert f">batch #{batch.pk}</a>" in page
    assert batch.runs.get().status == Run.Status.DONE  # no broker: ran eagerly


def test_renaming_a_criterion_starts_no_rerank(editor_client, member, three_tools):
    _, workspace = member
    EvaluationFactory(workspace=workspace, tools=three_tools)
    price = Criterion.objects.get(key="price")
    response = editor_client.post(
        change_url(price), criterion_data(price, name="Total price"), follow=True
    )
    assert "re-rank" not in response.content.decode()
    assert not Batch.objects.exists()

"""Criteria and weight profiles: everyone signed in reads them, only staff write."""

import pytest
from django.contrib.auth.models import Permission

from selector.models import Batch, Criterion, Run, WeightProfile
from tests.factories import EvaluationFactory, UserFactory, api_client

pytestmark = pytest.mark.django_db

PROFILE = "menlo-2024-app-selection"


@pytest.fixture
def api():
    return api_client(UserFactory())


@pytest.fixture
def staff():
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="selector",
            codename__in=[
                "add_criterion",
                "change_criterion",
                "delete_criterion",
                "add_weightprofile",
                "change_weightprofile",
                "delete_weightprofile",
            ],
        )
    )
    return api_client(user)


def test_criteria_are_listed_with_their_keys(api):
    body = api.get("/api/v1/criteria/").json()
    keys = {c["key"] for c in body["results"]}
    assert {"roi", "industry_customization", "price"} <= keys
    price = api.get("/api/v1/criteria/price/").json()
    assert price["direction"] == "cost"
    assert price["benchmark"]["survey"] == "menlo-2024"


def test_profiles_are_listed_by_slug_with_weights_by_criterion_key(api):
    slugs = {p["slug"] for p in api.get("/api/v1/profiles/").json()["results"]}
    assert PROFILE in slugs
    profile = api.get(f"/api/v1/profiles/{PROFILE}/").json()
    assert profile["weights"] == {"roi": 30, "industry_customization": 26, "price": 1}
    assert profile["survey"] == "menlo-2024"


def test_an_unknown_profile_is_a_404(api):
    assert api.get("/api/v1/profiles/nope/").status_code == 404


def test_others_cannot_write_criteria_or_profiles(api):
    assert api.post("/api/v1/criteria/", {"key": "x", "name": "X"}).status_code == 403
    assert api.patch("/api/v1/criteria/roi/", {"name": "Y"}).status_code == 403
    assert api.delete("/api/v1/criteria/roi/").status_code == 403
    assert api.post("/api/v1/profiles/", {"slug": "x", "name": "X"}).status_code == 403
    assert api.patch(f"/api/v1/profiles/{PROFILE}/", {"name": "Y"}).status_code == 403
    assert Criterion.objects.get(key="roi").name == "Measurable ROI"


def test_staff_create_and_edit_a_criterion(staff):
    response = staff.post(
        "/api/v1/criteria/",
        {
            "key": "latency",
            "name": "Latency",
            "kind": "quantity",
            "unit": "ms",
            "scale_min": 0,
            "direction": "cost",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["key"] == "latency"
    response = staff.patch("/api/v1/criteria/latency/", {"name": "p95 latency"})
    assert response.status_code == 200
    assert Criterion.objects.get(key="latency").name == "p95 latency"
    assert staff.delete("/api/v1/criteria/latency/").status_code == 204


def test_a_bad_criterion_is_a_400_naming_the_field(staff):
    response = staff.post(
        "/api/v1/criteria/",
        {
            "key": "speed",
            "name": "Speed",
            "kind": "rating",
            "scale_min": 5,
            "scale_max": 1,
        },
    )
    assert response.status_code == 400
    assert "scale_max" in [e["field"] for e in response.json()["errors"]]


def test_a_criterion_in_use_is_not_deleted(staff):
    response = staff.delete("/api/v1/criteria/roi/")
    assert response.status_code == 409
    assert "in use" in response.json()["detail"]
    assert Criterion.objects.filter(key="roi").exists()


def test_a_new_direction_through_the_api_reranks_the_evaluations_that_weigh_it(
    staff, three_tools, member, django_capture_on_commit_callbacks
):
    _, workspace = member
    evaluation = EvaluationFactory(workspace=workspace, tools=three_tools)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.patch("/api/v1/criteria/price/", {"direction": "benefit"})
    assert response.status_code == 200, response.json()
    assert response.json()["direction"] == "benefit"
    batch = Batch.objects.get(kind=Batch.Kind.RERANK)
    assert batch.options["criterion"] == "price"
    run = batch.runs.get()
    assert (run.evaluation, run.status) == (evaluation, Run.Status.DONE)


def test_staff_delete_a_profile_nobody_follows_and_get_a_409_for_others(
    staff, api, member
):
    staff.post(
        "/api/v1/profiles/",
        {"slug": "cost-first", "name": "Cost first", "weights": {"price": 1}},
    )
    assert api.delete("/api/v1/profiles/cost-first/").status_code == 403
    followed = WeightProfile.objects.get(slug="cost-first")
    EvaluationFactory(workspace=member[1], profile=followed, name="Pick one")
    response = staff.delete("/api/v1/profiles/cost-first/")
    assert response.status_code == 409
    assert "evaluation “Pick one”" in response.json()["detail"]
    builtin = staff.delete(f"/api/v1/profiles/{PROFILE}/")
    assert builtin.status_code == 409
    assert "built in" in builtin.json()["detail"]
    followed.evaluations.all().delete()
    assert staff.delete("/api/v1/profiles/cost-first/").status_code == 204
    assert staff.get("/api/v1/profiles/cost-first/").status_code == 404


def test_staff_create_and_edit_a_profile(staff):
    response = staff.post(
        "/api/v1/profiles/",
        {"slug": "cost-first", "name": "Cost first", "weights": {"price": 3, "roi": 1}},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["weights"] == {"price": 3, "roi": 1}
    response = staff.patch("/api/v1/profiles/cost-first/", {"weights": {"roi": 2}})
    assert response.status_code == 200, response.json()
    assert response.json()["weights"] == {"roi": 2}


@pytest.mark.parametrize(
    ("weights", "field"),
    [
        ({"price": -1}, "weights.price"),
        ({"nope": 1}, "weights.nope"),
        ({"price": 0}, "weights"),
    ],
)
def test_bad_profile_weights_are_400s(staff, weights, field):
    response = staff.post(
        "/api/v1/profiles/", {"slug": "bad", "name": "Bad", "weights": weights}
    )
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not WeightProfile.objects.filter(slug="bad").exists()


def test_lists_take_a_bounded_number_of_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        criteria = api.get("/api/v1/criteria/")
    assert criteria.status_code == 200, criteria.json()
    assert criteria.json()["count"] == Criterion.objects.count()
    with django_assert_max_num_queries(4):
        profiles = api.get("/api/v1/profiles/")
    assert profiles.status_code == 200, profiles.json()
    listed = {profile["slug"]: profile for profile in profiles.json()["results"]}
    assert set(listed) == set(WeightProfile.objects.values_list("slug", flat=True))
    assert listed["menlo-2024-app-selection"]["weights"] == {
        "roi": 30,
        "industry_customization": 26,
        "price": 1,
    }

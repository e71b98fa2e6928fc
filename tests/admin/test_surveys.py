"""Django admin for surveys and benchmarks: lists, filters, search; staff only."""

import pytest
from django.contrib.auth.models import User

from survey.models import Benchmark, Survey

pytestmark = pytest.mark.django_db


def test_staff_can_list_filter_and_search_benchmarks(admin_client):
    survey = Survey.objects.get(slug="menlo-2024")
    response = admin_client.get(
        "/admin/survey/benchmark/",
        {"survey__id__exact": survey.pk, "category": "app_selection_criteria"},
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    response = admin_client.get("/admin/survey/benchmark/", {"q": "hallucinations"})
    assert [b.key for b in response.context["cl"].result_list] == ["hallucinations"]


def test_staff_can_open_a_survey_with_its_benchmarks_inline(admin_client):
    survey = Survey.objects.get(slug="menlo-2024")
    response = admin_client.get(f"/admin/survey/survey/{survey.pk}/change/")
    assert response.status_code == 200
    assert "Measurable ROI / return on investment" in response.content.decode()


def test_staff_can_search_surveys(admin_client):
    response = admin_client.get("/admin/survey/survey/", {"q": "Menlo"})
    assert response.context["cl"].result_count == 3


def test_anonymous_users_are_sent_to_the_admin_login(client):
    response = client.get("/admin/survey/benchmark/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_non_staff_users_cannot_use_the_admin(client):
    user = User.objects.create_user("viewer", password="pw-not-staff-123")
    client.force_login(user)
    response = client.get("/admin/survey/benchmark/")
    assert response.status_code == 302
    assert Benchmark.objects.exists()

"""Read-only survey API: public, with benchmarks, filterable by category."""

import pytest

from survey.models import Benchmark, Survey

pytestmark = pytest.mark.django_db


def test_the_survey_list_is_public_and_paginated(client):
    response = client.get("/api/v1/surveys/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    menlo = next(s for s in body["results"] if s["slug"] == "menlo-2024")
    assert menlo["respondents"] == 600
    assert menlo["publisher"] == "Menlo Ventures"
    assert menlo["benchmark_count"] == 37
    assert menlo["url"].endswith("/api/v1/surveys/menlo-2024/")


def test_a_survey_has_its_benchmarks_with_evidence(client):
    response = client.get("/api/v1/surveys/menlo-2024/")
    assert response.status_code == 200
    benchmarks = response.json()["benchmarks"]
    assert len(benchmarks) == 37
    roi = next(b for b in benchmarks if b["key"] == "roi")
    assert roi == {
        "category": "app_selection_criteria",
        "key": "roi",
        "label": "Measurable ROI / return on investment",
        "value": 30.0,
        "unit": "percent_of_respondents",
        "evidence": "Reported in the French-language press summary of the report "
        "(2024).",
        "evidence_level": "press",
    }


def test_a_survey_says_what_each_evidence_level_means(client):
    listed = client.get("/api/v1/surveys/").json()["results"]
    detail = client.get("/api/v1/surveys/menlo-2024/").json()
    for survey in [*listed, detail]:
        assert set(survey["evidence_levels"]) == {
            "quoted",
            "press",
            "secondary",
            "single",
        }
    assert detail["evidence_levels"]["single"] == (
        "one secondary summary only: treat with care"
    )
    assert detail["note"].startswith("Every figure comes from this report.")
    levels = {b["evidence_level"] for b in detail["benchmarks"]}
    assert levels <= set(detail["evidence_levels"])
    assert not any("confirmed" in b for b in detail["benchmarks"])


def test_benchmarks_filter_by_category(client):
    response = client.get("/api/v1/surveys/menlo-2024/?category=app_selection_criteria")
    figures = [(b["key"], b["value"]) for b in response.json()["benchmarks"]]
    assert figures == [("roi", 30), ("industry_customization", 26), ("price", 1)]


def test_an_unknown_category_gives_no_benchmarks(client):
    response = client.get("/api/v1/surveys/menlo-2024/?category=nothing_here")
    assert response.status_code == 200
    assert response.json()["benchmarks"] == []


def test_an_unknown_survey_is_a_json_404(client):
    response = client.get("/api/v1/surveys/nope/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_survey_api_is_read_only(client, admin_client):
    for http in (client, admin_client):  # not even a superuser may write
        assert http.post("/api/v1/surveys/", {}).status_code == 405
        assert http.delete("/api/v1/surveys/menlo-2024/").status_code == 405
    assert Survey.objects.filter(slug="menlo-2024").exists()


def test_list_and_detail_use_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        listed = client.get("/api/v1/surveys/")
    assert listed.status_code == 200
    assert listed.json()["count"] == Survey.objects.count()
    with django_assert_max_num_queries(2):
        detail = client.get("/api/v1/surveys/menlo-2024/")
    assert detail.status_code == 200
    assert detail.json()["slug"] == "menlo-2024"
    assert (
        len(detail.json()["benchmarks"])
        == Benchmark.objects.filter(survey__slug="menlo-2024").count()
    )


def test_the_openapi_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()

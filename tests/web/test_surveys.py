"""Survey pages: public, one table and one chart per category, vendored chart library."""

import pytest
from django.urls import reverse

from survey.models import Survey

pytestmark = pytest.mark.django_db


def test_the_survey_list_shows_every_survey_without_login(client):
    response = client.get(reverse("survey:survey-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2024: The State of Generative AI in the Enterprise" in page
    assert "How 100 Enterprise CIOs Are Building and Buying Gen AI in 2025" in page
    assert 'href="/surveys/menlo-2024/"' in page


def test_the_survey_list_runs_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("survey:survey-list"))
    assert response.status_code == 200
    page = response.content.decode()
    for survey in Survey.objects.all():
        assert f'href="/surveys/{survey.slug}/"' in page


def test_a_survey_page_shows_its_figures_as_tables_with_evidence(client):
    response = client.get(reverse("survey:survey-detail", args=["menlo-2024"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "n = 600" in page
    assert "App selection criteria" in page
    assert "Measurable ROI / return on investment" in page
    assert "SEED: seed article" in page
    categories = [category for category, _ in response.context["categories"]]
    assert categories[0] == "app_selection_criteria"
    rows = dict(response.context["categories"])["app_selection_criteria"]
    assert [(row.key, row.value) for row in rows] == [
        ("roi", 30),
        ("industry_customization", 26),
        ("price", 1),
    ]


def test_a_survey_page_draws_a_bar_chart_per_category_from_vendored_files(client):
    response = client.get(reverse("survey:survey-detail", args=["menlo-2024"]))
    page = response.content.decode()
    charts = {chart["id"]: chart for chart in response.context["charts"]}
    selection = charts["chart-app_selection_criteria"]
    assert selection["values"] == [30, 26, 1]
    assert selection["unit"] == "% of respondents"
    assert '<canvas id="chart-app_selection_criteria"' in page
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in page
    assert "cdn" not in page.lower()


def test_the_survey_page_runs_two_queries(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(reverse("survey:survey-detail", args=["menlo-2024"]))
    assert response.status_code == 200
    assert "Measurable ROI / return on investment" in response.content.decode()


def test_an_unknown_survey_is_a_404(client):
    response = client.get("/surveys/no-such-survey/")
    assert response.status_code == 404


def test_the_home_page_points_to_the_surveys(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/surveys/"' in response.content.decode()


def test_the_vendored_chart_library_is_served(client):
    response = client.get("/static/vendor/chartjs/chart.umd.min.js")
    assert response.status_code == 200

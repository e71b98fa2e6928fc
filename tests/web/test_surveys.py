"""Survey pages: public, one table and one chart per category, vendored chart library."""

import pytest
from django.urls import reverse
from django.utils.html import escape

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
    categories = [category for category, _ in response.context["categories"]]
    assert categories[0] == "app_selection_criteria"
    rows = dict(response.context["categories"])["app_selection_criteria"]
    assert [(row.key, row.value) for row in rows] == [
        ("roi", 30),
        ("industry_customization", 26),
        ("price", 1),
    ]


PRESS_SENTENCE = "Reported in the French-language press summary of the report (2024)."
# What research notes looked like: a tag and the path of an internal file.
NOTE_MARKERS = ("SEED:", "QUOTE:", "shared/", "seeds/", ".txt")


def test_the_headline_figures_carry_the_shared_evidence_sentence(client):
    response = client.get(reverse("survey:survey-detail", args=["menlo-2024"]))
    rows = dict(response.context["categories"])["app_selection_criteria"]
    assert [(row.key, row.evidence, row.evidence_level) for row in rows] == [
        ("roi", PRESS_SENTENCE, "press"),
        ("industry_customization", PRESS_SENTENCE, "press"),
        ("price", PRESS_SENTENCE, "press"),
    ]
    page = response.content.decode()
    assert PRESS_SENTENCE in page
    for marker in NOTE_MARKERS:
        assert marker not in page
    assert "confirmed" not in page
    assert "left out rather than guessed" in page  # the survey's note


def test_no_survey_page_shows_research_notes(client):
    for survey in Survey.objects.all():
        page = client.get(survey.get_absolute_url()).content.decode()
        for marker in NOTE_MARKERS:
            assert marker not in page, (survey.slug, marker)


def test_a_survey_page_shows_each_level_as_a_badge_with_its_meaning(client):
    survey = Survey.objects.get(slug="menlo-2024")
    page = client.get(survey.get_absolute_url()).content.decode()
    legend = page[page.index('id="evidence-levels"') :]
    legend = legend[: legend.index("</section>")]
    for level in ("quoted", "press", "secondary", "single"):
        meaning = escape(survey.evidence_levels[level])
        assert f'class="badge evidence-level evidence-{level}"' in legend
        assert f"<dd>{meaning}</dd>" in legend  # readable without hovering
    # Each figure's badge explains itself on hover.
    single = escape(survey.evidence_levels["single"])
    assert (
        f'<span class="badge evidence-level evidence-single" title="single: {single}">'
        "single</span>" in page
    )
    press = escape(survey.evidence_levels["press"])
    figures = page[page.index('id="app_selection_criteria"') :]
    figures = figures[: figures.index("</section>")]
    assert figures.count(f'title="press: {press}">press</span>') == 3


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

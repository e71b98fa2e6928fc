"""Survey category headings are proper labels, not keys with the first letter raised:
"LLM switching motivations", with the acronyms LLM, AI, ROI and API kept upper case."""

import pytest
from django.utils.html import escape

from survey.models import Benchmark, Survey

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "label"),
    [
        ("llm_switching_motivations", "LLM switching motivations"),
        ("ai_spend", "AI spend"),
        ("roi_and_api_costs", "ROI and API costs"),
        ("open_vs_closed", "Open vs. closed"),
        ("app_selection_criteria", "App selection criteria"),
    ],
)
def test_a_category_key_reads_as_a_label(category, label):
    assert Benchmark(category=category).category_label == label


def test_the_survey_page_heads_its_categories_with_labels(client):
    survey = Benchmark.objects.filter(category="llm_switching_motivations").first()
    assert survey is not None
    page = client.get(survey.survey.get_absolute_url()).content.decode()
    assert escape("LLM switching motivations") in page
    assert "Llm switching motivations" not in page
    assert Survey.objects.exists()

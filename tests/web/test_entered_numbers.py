"""Scores show as they were typed: 2, 2.5 (not "2.0"), on the tool form, in the grid
and through the ``entered`` template filter."""

import pytest
from django.template import Context, Template

from tests.factories import ToolFactory, score

pytestmark = pytest.mark.django_db


def test_the_tool_form_shows_entered_scores_as_typed(member_client, member):
    tool = ToolFactory(workspace=member[1])
    score(tool, "roi", 2)
    score(tool, "industry_customization", 2.5, low=2.1234567, high=3)
    page = member_client.get(f"/tools/{tool.pk}/").content.decode()
    assert 'name="score_roi"' in page
    assert 'value="2.0"' not in page
    assert 'value="2"' in page
    assert 'value="2.5"' in page
    assert "range 2.1234567 to 3 kept" in page  # the bounds too, not rounded


@pytest.mark.parametrize(
    ("value", "shown"), [(2.0, "2"), (2.5, "2.5"), (0.1, "0.1"), (None, "")]
)
def test_the_entered_filter(value, shown):
    template = Template("{% load numbers %}[{{ value|entered }}]")
    assert template.render(Context({"value": value})) == f"[{shown}]"

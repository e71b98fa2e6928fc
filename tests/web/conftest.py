"""Fixtures of the page tests."""

import pytest

from tests.factories import EvaluationFactory, MembershipFactory, scored_tool


@pytest.fixture
def foreign_evaluation(db):
    """Another workspace's owner and an evaluation of two of its tools."""
    other = MembershipFactory()
    tools = [
        scored_tool(other.workspace, n, roi=3, industry_customization=3, price=3)
        for n in "XY"
    ]
    return other.user, EvaluationFactory(workspace=other.workspace, tools=tools)

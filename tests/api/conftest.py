"""Fixtures of the API tests that need more than the suite's own."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.api.crafted import Target
from tests.factories import (
    EvaluationFactory,
    UserFactory,
    WorkspaceFactory,
    api_client,
    scored_tool,
)


@pytest.fixture
def target(db, monkeypatch) -> Target:
    """A superuser owning a workspace of three scored tools and an evaluation of them;
    the throttles, which are not under test, are off."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None}
    )
    user = UserFactory(is_staff=True, is_superuser=True)
    workspace = WorkspaceFactory()
    workspace.memberships.create(user=user, role="owner")
    tools = [
        scored_tool(workspace, name, roi=roi, industry_customization=fit, price=price)
        for name, roi, fit, price in [("A", 4, 3, 30), ("B", 5, 2, 25), ("C", 2, 5, 10)]
    ]
    evaluation = EvaluationFactory(workspace=workspace, tools=tools)
    return Target(
        client=api_client(user),
        workspace=workspace.pk,
        tools=[tool.pk for tool in tools],
        evaluation=evaluation.pk,
    )

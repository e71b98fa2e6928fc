"""API throttling: too many requests are a 429, for signed-in and anonymous callers
alike."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import UserFactory, api_client

pytestmark = pytest.mark.django_db


def test_too_many_requests_are_a_429(monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min"}
    )
    api = api_client(UserFactory())
    statuses = [api.get("/api/v1/criteria/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "throttled" in api.get("/api/v1/criteria/").json()["detail"].lower()
    anonymous = [APIClient().get("/api/v1/surveys/").status_code for _ in range(3)]
    assert anonymous == [200, 200, 429]

"""API throttling: too many requests are a 429, for signed-in and anonymous callers
alike, and so are repeated bad tokens from one address."""

import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.config.test_settings import run_python
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


def bad_token_client(address="203.0.113.7") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    return client


def good_token_client(address: str) -> APIClient:
    client = api_client(UserFactory())
    client.defaults["REMOTE_ADDR"] = address
    return client


def test_drf_throttles_never_see_a_failed_token(monkeypatch):
    """Why failed tokens need a counter of their own: DRF throttles after
    authentication, so even an anonymous rate of 2/min lets every bad token through
    to its 401."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "2/min"}
    )
    client = bad_token_client()
    statuses = [client.get("/api/v1/tools/").status_code for _ in range(5)]
    assert statuses == [401] * 5


@override_settings(TOKEN_FAILURE_LIMIT=3)
def test_repeated_bad_tokens_from_one_address_are_a_429_with_retry_after():
    client = bad_token_client()
    statuses = [client.get("/api/v1/tools/").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = client.get("/api/v1/tools/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= settings.TOKEN_FAILURE_WINDOW_SECONDS
    body = response.json()
    assert "Too many failed token authentications" in body["detail"]
    assert body["errors"] == [{"field": None, "message": body["detail"]}]


@override_settings(TOKEN_FAILURE_LIMIT=3)
def test_a_throttled_address_is_refused_even_a_good_token_and_others_are_not():
    client = bad_token_client()
    for _ in range(3):
        client.get("/api/v1/tools/")
    assert good_token_client("203.0.113.7").get("/api/v1/tools/").status_code == 429
    assert good_token_client("198.51.100.9").get("/api/v1/tools/").status_code == 200
    # Sessions and public endpoints do not go through the token counter.
    assert (
        APIClient(REMOTE_ADDR="203.0.113.7").get("/api/v1/surveys/").status_code == 200
    )


@override_settings(TOKEN_FAILURE_LIMIT=2)
def test_good_tokens_are_never_counted():
    client = good_token_client("203.0.113.7")
    statuses = [client.get("/api/v1/criteria/").status_code for _ in range(5)]
    assert statuses == [200] * 5


def exhaust_and_wait_out():
    """Three bad tokens in one short window, then the wait that Retry-After names.

    Windows are aligned on multiples of their length: start at the beginning of one,
    so the three failures cannot straddle two windows.
    """
    window = settings.TOKEN_FAILURE_WINDOW_SECONDS
    time.sleep(window - time.time() % window)
    client = bad_token_client()
    for _ in range(3):
        client.get("/api/v1/tools/")
    refused = client.get("/api/v1/tools/")
    assert refused.status_code == 429
    time.sleep(int(refused["Retry-After"]) + 0.1)
    assert good_token_client("203.0.113.7").get("/api/v1/tools/").status_code == 200
    assert client.get("/api/v1/tools/").status_code == 401


@override_settings(TOKEN_FAILURE_LIMIT=3, TOKEN_FAILURE_WINDOW_SECONDS=1)
def test_the_bad_token_count_expires_with_its_window():
    exhaust_and_wait_out()


@pytest.mark.services("redis")
def test_the_bad_token_count_works_in_the_redis_cache(redis_url):
    """With REDIS_URL the cache is Redis (config/settings.py), shared by every worker."""
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": f"test-token-failures-{uuid.uuid4().hex}",
    }
    with override_settings(
        CACHES={"default": redis}, TOKEN_FAILURE_LIMIT=3, TOKEN_FAILURE_WINDOW_SECONDS=1
    ):
        assert isinstance(caches["default"], RedisCache)
        exhaust_and_wait_out()


def test_the_bad_token_limit_and_window_are_read_from_the_environment():
    result = run_python(
        "from django.conf import settings as s\n"
        "print(s.TOKEN_FAILURE_LIMIT, s.TOKEN_FAILURE_WINDOW_SECONDS)",
        API_TOKEN_FAILURE_LIMIT="4",
        API_TOKEN_FAILURE_WINDOW_MINUTES="2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["4", "120"]

"""The configured production services really work on this machine."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache

PROJECT = Path(__file__).resolve().parents[2]


@pytest.mark.services("postgres")
def test_the_app_migrates_and_loads_surveys_on_postgresql(postgres_url):
    database = f"shortlist_check_{uuid.uuid4().hex[:8]}"
    admin = subprocess.run(
        ["psql", postgres_url, "-c", f"CREATE DATABASE {database}"],
        capture_output=True,
        text=True,
    )
    assert admin.returncode == 0, admin.stderr
    url = postgres_url.rsplit("/", 1)[0] + f"/{database}"
    env = {**os.environ, "DATABASE_URL": url}
    try:
        for command in (["migrate", "--no-input"], ["load_surveys"]):
            result = subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=PROJECT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert result.returncode == 0, result.stderr
        assert "63 unchanged" in result.stdout
    finally:
        subprocess.run(
            ["psql", postgres_url, "-c", f"DROP DATABASE IF EXISTS {database}"],
            capture_output=True,
        )


@pytest.mark.services("redis")
def test_the_redis_cache_stores_and_returns_values(redis_url):
    cache = RedisCache(redis_url, {})
    key = f"shortlist-test-{uuid.uuid4().hex}"
    cache.set(key, {"roi": 30}, timeout=30)
    assert cache.get(key) == {"roi": 30}
    cache.delete(key)

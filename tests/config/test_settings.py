"""Settings come from environment variables; bad values stop start-up naming the
variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
CONFIG_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" + "x7Qp9vZr2LmN8bWc5TfHj4YdGs6Ua1Eo" * 2,
    "ALLOWED_HOSTS": "shortlist.example.com",
}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` after ``django.setup()`` in a fresh interpreter with only ``env`` set."""
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    script = f"import django; django.setup()\n{code}"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_need_no_services():
    result = run_python(
        "from django.conf import settings as s\n"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3", "True"]


def test_a_broker_url_turns_off_eager_tasks():
    result = run_python(
        "from django.conf import settings as s\n"
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "redis://127.0.0.1:6379/3"]


def test_a_postgres_url_selects_postgresql_with_its_options():
    result = run_python(
        "from django.conf import settings as s\nd = s.DATABASES['default']\n"
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'], d['CONN_MAX_AGE'])",
        DATABASE_URL="postgres://root@db.internal:5433/shortlist?conn_max_age=60",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "shortlist",
        "db.internal",
        "5433",
        "60",
    ]


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DATABASE_URL": "foo://host/db"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://host:5432/"}, "DATABASE_URL"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"CELERY_BROKER_URL": "localhost:6379"}, "CELERY_BROKER_URL"),
        ({"REDIS_URL": "http://cache"}, "REDIS_URL"),
        ({"CELERY_TASK_TIME_LIMIT": "soon"}, "CELERY_TASK_TIME_LIMIT"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "example.com"}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": "s" * 60}, "ALLOWED_HOSTS"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(env, variable):
    result = run_python("", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert variable in message


def test_debug_accepts_the_usual_boolean_words():
    for word, expected in [("yes", "True"), ("off", "False"), ("TRUE", "True")]:
        env = {"DEBUG": word} if expected == "True" else {**PRODUCTION, "DEBUG": word}
        result = run_python(
            "from django.conf import settings; print(settings.DEBUG)", **env
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == expected


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_about_the_development_settings():
    result = run_manage("check", "--deploy")
    assert "security.W018" in result.stderr + result.stdout  # DEBUG on


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "{'anon': '120/min', 'user': '6000/min'}"),
        (
            {"API_THROTTLE_ANON": "10/hour", "API_THROTTLE_USER": "off"},
            "{'anon': '10/hour', 'user': None}",
        ),
    ],
)
def test_throttle_rates_come_from_the_environment(env, expected):
    code = (
        "from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )
    result = run_python(code, **env)
    assert result.stdout.strip() == expected, result.stderr


def test_a_malformed_throttle_rate_stops_start_up():
    result = run_python("", API_THROTTLE_USER="lots")
    assert result.returncode != 0
    assert "API_THROTTLE_USER='lots' is not a rate" in result.stderr

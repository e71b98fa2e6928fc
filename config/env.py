"""Strict readers for the environment variables that configure Shortlist.

Each reader raises ``ImproperlyConfigured`` naming the variable and the bad value, so a
typo stops start-up with a clear message instead of silently falling back to a default.
"""

import os

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
DATABASE_ENGINES = frozenset(
    {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
        "django.db.backends.mysql",
    }
)


def read_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def read_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def read_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def read_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def read_database(name: str, default: str) -> dict:
    """Parse a database URL such as ``postgres://user@host:5432/db?conn_max_age=60``."""
    raw = os.environ.get(name, "").strip() or default
    if "://" not in raw:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a database URL; expected e.g. "
            "postgres://user:password@host:5432/name or sqlite:////path/to/file.sqlite3."
        )
    try:
        config = environ.Env.db_url_config(raw)
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"{name}={raw!r} cannot be parsed: {error}"
        ) from None
    if config.get("ENGINE") not in DATABASE_ENGINES:
        raise ImproperlyConfigured(
            f"{name}={raw!r} names an unsupported database; use postgres:// or sqlite://."
        )
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={raw!r} does not name a database.")
    config.setdefault("CONN_HEALTH_CHECKS", True)
    return config


def read_url(name: str, default: str = "", *, schemes: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip() or default
    if raw and not raw.startswith(tuple(f"{scheme}://" for scheme in schemes)):
        expected = ", ".join(f"{scheme}://" for scheme in schemes)
        raise ImproperlyConfigured(f"{name}={raw!r} must start with {expected}.")
    return raw


def read_rate(name: str, default: str) -> str | None:
    """A throttle rate such as ``60/min`` or ``1000/hour``; None for ``off``."""
    raw = read_str(name, default)
    if raw.lower() in ("off", "none", "0"):
        return None
    count, _, period = raw.partition("/")
    periods = ("s", "sec", "m", "min", "h", "hour", "d", "day")
    if not count.isdigit() or period not in periods:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate; use e.g. 60/min, 1000/hour or off."
        )
    return raw

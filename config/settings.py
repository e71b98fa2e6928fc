"""Shortlist settings, read from environment variables only (see README, Configuration).

Defaults need no services: SQLite in the project folder, Celery tasks run eagerly, DEBUG
on. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
CELERY_BROKER_URL.
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    read_bool,
    read_database,
    read_int,
    read_list,
    read_rate,
    read_str,
    read_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = read_bool("DEBUG", default=True)

SECRET_KEY = read_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
    SECRET_KEY = "django-insecure-dev-only-shortlist-key-never-use-in-production"

ALLOWED_HOSTS = read_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG=0 (comma-separated host names)."
    )
CSRF_TRUSTED_ORIGINS = read_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "survey",
    "selector",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the header switch's choice, else the browser's.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so the lockout page it puts in place still gets every header above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "selector.context_processors.workspaces",
            ],
        },
    },
]

DATABASES = {
    "default": read_database(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = read_url("REDIS_URL", schemes=("redis", "rediss"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# The axes backend first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "selector:home"
LOGOUT_REDIRECT_URL = "selector:home"

# English and French (the article Shortlist was born from is French): Django's i18n,
# translations in locale/<lang>/LC_MESSAGES/django.po, compiled by the make targets.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production; plain names while developing and in
        # tests (the test live server cannot serve hashed names).
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Serve static files from the app folders while developing (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
FORMS_URLFIELD_ASSUME_HTTPS = True

# Security: strict by default when DEBUG is off, so `check --deploy` is clean.
SECURE_SSL_REDIRECT = read_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = read_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = read_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = read_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = read_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = read_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if read_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sign-in throttling (django-axes).
# Failures count per username and, separately, per client address: guessing one
# account from many addresses locks the account, trying many accounts from one address
# locks the address (a combined key would stop neither). Each lock lasts the cool-off
# after the failures that caused it; failures while locked are refused without being
# recorded, so they neither extend the lock nor grow its row. Attempts are kept in the
# database, not the cache: that works without Redis, is shared by every worker (the
# local-memory cache is per process) and lists them in the admin, where deleting one
# lifts its lock.
AXES_FAILURE_LIMIT = read_int("LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(
    minutes=read_int("LOGIN_COOLOFF_MINUTES", default=15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Never reset on success: with the address counted, a sign-in to one's own account
# would otherwise wipe the failures that address made on others.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "selector.views.lockout.lockout_response"
# No row per successful sign-in (axes' access log): nothing here reads it.
AXES_DISABLE_ACCESS_LOG = True
# Failed API tokens (selector.api.authentication): after this many bad `Authorization:
# Token ...` headers from one address in a window, that address's token requests are a
# 429 until the window ends. Counted in the cache: shared between workers only when
# REDIS_URL is set.
TOKEN_FAILURE_LIMIT = read_int("API_TOKEN_FAILURE_LIMIT", default=10, minimum=1)
TOKEN_FAILURE_WINDOW_SECONDS = 60 * read_int(
    "API_TOKEN_FAILURE_WINDOW_MINUTES", default=15, minimum=1
)

# Content-Security-Policy (django-csp), enforced on every response. Scripts and styles
# come only from this site's static files: no inline <script>, on*= handler or <style>
# anywhere (data for scripts goes in json_script blocks, which are not run); nothing may
# frame the site, no plugins. The API docs page alone also allows data: images (Swagger
# UI's icons, see config/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Uploads. The tools CSV import is the one upload: its size is checked before any of it
# is read, then it is parsed line by line. An upload over FILE_UPLOAD_MAX_MEMORY_SIZE is
# spooled to a temporary file by Django, never held in memory; DATA_UPLOAD_MAX_MEMORY_SIZE
# bounds a request's form fields (not its files), and must hold the import's confirm
# step, which posts the checked file's text back.
TOOL_IMPORT_MAX_BYTES = read_int(
    "TOOL_IMPORT_MAX_BYTES", default=2 * 1024 * 1024, minimum=1
)
TOOL_IMPORT_MAX_ROWS = read_int("TOOL_IMPORT_MAX_ROWS", default=5000, minimum=1)
FILE_UPLOAD_MAX_MEMORY_SIZE = read_int(
    "FILE_UPLOAD_MAX_MEMORY_SIZE", default=TOOL_IMPORT_MAX_BYTES
)
DATA_UPLOAD_MAX_MEMORY_SIZE = read_int(
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    default=TOOL_IMPORT_MAX_BYTES + 512 * 1024,
    minimum=1,
)
if DATA_UPLOAD_MAX_MEMORY_SIZE <= TOOL_IMPORT_MAX_BYTES:
    raise ImproperlyConfigured(
        f"DATA_UPLOAD_MAX_MEMORY_SIZE={DATA_UPLOAD_MAX_MEMORY_SIZE} must be above "
        f"TOOL_IMPORT_MAX_BYTES={TOOL_IMPORT_MAX_BYTES}: the import's confirm step "
        "posts the file's text back (allow a margin for line endings)."
    )

# Celery: without a broker, tasks run eagerly in the web process (embedded default).
BROKER_CONFIGURED = bool(
    read_url("CELERY_BROKER_URL", schemes=("redis", "rediss", "amqp", "memory"))
)
CELERY_BROKER_URL = read_str("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not BROKER_CONFIGURED
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection around every task unless this is
# set; config/celery.py instead closes it like a web request does (CONN_MAX_AGE and
# health checks from DATABASE_URL), so a worker can keep its connection.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SOFT_TIME_LIMIT = read_int(
    "CELERY_TASK_SOFT_TIME_LIMIT", default=300, minimum=1
)
CELERY_TASK_TIME_LIMIT = read_int("CELERY_TASK_TIME_LIMIT", default=360, minimum=1)
# A large batch goes to the workers this many runs per message at most (sharing the
# cost of a message); a few runs go one per message. See selector.tasks.enqueue_runs.
RUNS_PER_MESSAGE = read_int("RUNS_PER_MESSAGE", default=20, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Above the hard time limit (a message of several runs adds up to 30 s to it), so a
    # slow task is never delivered twice while it runs.
    "visibility_timeout": read_int(
        "CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60, minimum=1
    ),
}
# How often a worker looks for messages of dead workers past the visibility timeout
# (kombu's default is every ~100 s): a tenth of the timeout, between 1 and 10 s.
CELERY_BROKER_TRANSPORT_OPTIONS.update(
    unacked_restore_interval=min(
        10, max(1, CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] // 10)
    ),
    unacked_restore_throttle=1,
)


# Bounded work (issue 12): what one Monte Carlo study, and one web request, may ask for.
# Work is counted in cells: a run of n tools, s weight samples and m criteria costs
# n x (s + n + m) (the ranks it samples, its tools x ranks table, its scores), 1-2 us
# each here (2 busy cores); an ordinary run (2,000 samples) of 9 tools is ~18,000.
# The most weight samples of one Monte Carlo (SMAA) batch.
SMAA_MAX_SAMPLES = read_int("SMAA_MAX_SAMPLES", default=2_000_000, minimum=1)
# The most tools x samples of one Monte Carlo batch (e.g. 20 tools x 500,000 samples).
SMAA_MAX_TOOL_SAMPLES = read_int("SMAA_MAX_TOOL_SAMPLES", default=10_000_000, minimum=1)
# Without a broker, runs are computed inside the web request that starts them: the most
# work (cells, summed over its runs) one request may start; beyond it the request is
# refused and says to configure workers. 5,000,000 took 4-10 s here, and covers the
# result page's Monte Carlo study (20,000 samples) of up to ~200 tools.
EAGER_MAX_WORK = read_int("EAGER_MAX_WORK", default=5_000_000, minimum=1)

# API throttling: requests per client, e.g. "60/min"; "off" disables a scope. Rates are
# counted in the cache, so they are shared between workers only when REDIS_URL is set.
REST_FRAMEWORK = {
    # Token first, so an unauthenticated request is a 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "selector.api.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API speaks JSON only (a form post is a 415), within a depth and without NUL or
    # lone surrogates in any string (see selector/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["selector.api.parsers.SafeJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": read_rate("API_THROTTLE_ANON", "120/min"),
        "user": read_rate("API_THROTTLE_USER", "6000/min"),
    },
    "EXCEPTION_HANDLER": "selector.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shortlist API",
    "DESCRIPTION": "Rank enterprise AI tools against survey-grounded criteria.",
    "VERSION": "1.0.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the vendored sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MethodEnum": "selector.models.Method",
        "NormalizationEnum": "selector.models.Normalization",
        "RunStatusEnum": "selector.models.Run.Status",
        "BatchStatusEnum": "selector.models.Batch.Status",
        "BatchKindEnum": "selector.models.Batch.Kind",
        "CriterionKindEnum": "selector.models.Criterion.Kind",
        "RunKindEnum": "selector.api.serializers.runs.RUN_KINDS",
        "RankingChangeEnum": "selector.services.staleness.CHANGES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": read_str("LOG_LEVEL", "INFO").upper()},
    # WeasyPrint (the report's PDF) logs each layout step at INFO: only its warnings.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

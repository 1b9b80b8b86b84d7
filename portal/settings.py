"""VirtCompare settings, read from the environment only (see .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes"}


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")
    # Development only: never used when DEBUG is off.
    SECRET_KEY = "dev-only-insecure-key-virtcompare"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, so it can extend the admin forms
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "simple_history",
    "comparisons",
    "benchmarks",
    "migration_paths",
    "costs",
]

MIDDLEWARE = [
    "portal.middleware.LoadSheddingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Pages compress ~10x; Django pads gzip output against BREACH and masks CSRF tokens.
    "django.middleware.gzip.GZipMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.middleware.QueryTextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'virtcompare.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if os.environ.get("DATABASE_REPLICA_URL"):
    # Catalogue reads from a streaming replica; writes and writers' own reads on the primary.
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "portal.db_router.PinWritersToPrimaryMiddleware",
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serialises writers; wait instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Load shedding per process (portal.middleware.LoadSheddingMiddleware): requests running at
# once, and how long a request may wait for a slot before a fast 503.
MAX_IN_FLIGHT = int(os.environ.get("VIRTCOMPARE_MAX_IN_FLIGHT", "4"))
QUEUE_WAIT = float(os.environ.get("VIRTCOMPARE_QUEUE_WAIT", "0.5"))
# Catalogue reads answered again from the snapshot's memo of rendered responses, and
# derived benchmark figures kept per results version; 0 = off (every request renders).
PAGE_CACHE_SECONDS = int(os.environ.get("VIRTCOMPARE_PAGE_CACHE_SECONDS", "3600"))
# Reader corrections of claims accepted per client address (comparisons.corrections).
CORRECTION_RATE = os.environ.get("VIRTCOMPARE_CORRECTION_RATE", "5/hour")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
# Our overrides of Django's per-language formats (thousands separators in Chinese).
FORMAT_MODULE_PATH = ["portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Catalogue texts in both languages (name_en / name_zh_hans columns); English fills gaps.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Raw benchmark outputs are capped at 1 MiB; leave room for the JSON envelope.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
BENCHMARK_RAW_MAX_BYTES = 1024 * 1024
# Results per run (a fio output's jobs are capped at 64 by its parser): a 10,000-job file
# once made one run of 30,002 results and a 6.5 MB page.
BENCHMARK_MAX_RESULTS = 1000

# Submissions per token and hour. One standard kit run sends 55 (9 local and 2 iperf3
# benchmarks, 5 repeats each: kit/virtcompare_bench.py SUITES); a host's bare-metal run and
# three VMs paired with it, submitted together, send 220. A test keeps this at least four
# standard runs.
SUBMISSIONS_PER_HOUR = 240

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "portal.api_schema.PublicReadsSchema",
    "DEFAULT_FILTER_BACKENDS": ["portal.api_filters.AskedFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api_pagination.Pagination",
    "EXCEPTION_HANDLER": "portal.api_errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "submissions": os.environ.get("VIRTCOMPARE_SUBMIT_RATE", f"{SUBMISSIONS_PER_HOUR}/hour"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "VirtCompare API",
    "DESCRIPTION": "Sourced feature claims and traceable benchmark runs for virtualization "
    "platforms. Reads are public; writes need `Authorization: Token <key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RunFormatEnum": "benchmarks.models.Run.Format",
        # Feature.Better and Metric.Better share their choices: one name that says what it is.
        "BetterDirectionEnum": "comparisons.models.Feature.Better",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api_schema.add_error_responses",
    ],
}

LOGIN_URL = "admin:login"  # a URL name; Django resolves it

# Production hardening: on whenever DEBUG is off (check --deploy passes with zero warnings).
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP by load balancers.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("DJANGO_SECURE_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

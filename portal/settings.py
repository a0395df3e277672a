"""Settings for the investment-immigration portal, all read from the environment.

Without any environment variable the portal runs on SQLite with Celery tasks executed eagerly,
DEBUG off, and refuses to start until every secret is given. The development command
(``python3 dev.py serve``) and the test settings (``tests/settings.py``) set ``DJANGO_DEBUG=1``,
which turns DEBUG on and allows development-only keys. What a deployment must set is listed in
``docs/security.md``.

Every variable, its meaning and its default are listed in ``docs/configuration.md``. The file
stays one module of some 470 lines on purpose: each deployment choice is read here, beside the
setting it sets, so nobody has to look for a second settings module.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default):
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_secret(name, dev_value):
    """A secret from the environment; in production a missing one is a start-up error."""
    value = env(name)
    if value:
        return value
    if DEBUG:
        return dev_value
    raise ImproperlyConfigured(
        f"{name} is not set. Outside development every secret must come from the environment "
        "(docs/security.md); for development set DJANGO_DEBUG=1."
    )


# Off unless asked for: a deployment that forgets the variable must not show tracebacks.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_secret(
    "DJANGO_SECRET_KEY", "dev-only-insecure-secret-key-do-not-use-in-production"
)
# Fernet keys (urlsafe base64 of 32 bytes). The first encrypts; all of them decrypt, so a key
# can be rotated by prepending a new one.
FIELD_ENCRYPTION_KEYS = [
    key.strip()
    for key in env_secret(
        "FIELD_ENCRYPTION_KEYS", "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZCE="
    ).split(",")
    if key.strip()
]
IDENTITY_HASH_KEY = env_secret("IDENTITY_HASH_KEY", "dev-only-identity-hash-key")

ALLOWED_HOSTS = [h.strip() for h in env("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in env("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "csp",
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "portal",
    "investments",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether the session passed a second factor, then the step that asks for it (issue 9.4).
    "django_otp.middleware.OTPMiddleware",
    "portal.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so a replayed answer has passed every other middleware like a fresh one.
    "portal.idempotency.IdempotencyMiddleware",
    # Turns a sign-in refused for too many failures into the lockout page (portal.signin).
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # the header's unread-notification badge
                "reporting.inbox.unread",
            ],
        },
    },
]

# Connections are kept a minute between requests of a worker. The development server starts a
# thread per request, so there they would pile up until the threads are collected: the API
# contract check (.ci/api_contract.py) serves thousands of requests with 0 (close each time).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under parallel writers (issue 9.7): WAL lets readers run beside the
    # writer, a writer waits up to SQLITE_BUSY_TIMEOUT_MS for the lock instead of failing with
    # "database is locked", and IMMEDIATE transactions take the write lock at BEGIN, so a
    # transaction never fails half-way when its first write finds another writer.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={int(env('SQLITE_BUSY_TIMEOUT_MS', '20000'))};"
        ),
        "transaction_mode": "IMMEDIATE",
    }
# The API's throttle counters (issue 9.4). A deployment with several processes shares them in
# Redis; without CACHE_URL each process keeps its own in memory.
if env("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("CACHE_URL"),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves the collected files in production (``manage.py collectstatic``) and the
# source folders directly while developing.
WHITENOISE_USE_FINDERS = DEBUG

# --- Sign-in protection (issue 9.4; docs/security.md) -----------------------------------------
# django-axes counts failed sign-ins on every way in (the sign-in page, the admin, the API's
# token endpoint) in the database, so every process sees the same count. After
# SIGNIN_FAILURE_LIMIT failures for one username (from anywhere) or from one address (for any
# username) that username or address is refused, the right password included, until
# SIGNIN_COOLOFF_MINUTES have passed since the last failure. Counting by username alone would
# let one address try every account; by address alone, a botnet one account.
AUTHENTICATION_BACKENDS = [
    "portal.signin.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("SIGNIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful sign-in clears that username's failures: a user who mistypes twice a day is
# never locked out by last week's typos.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.signin.lockout_response"
# HQ reviews and lifts lockouts in the admin (portal.admin.SignInLockoutAdmin, in the portal's
# languages). Successful sign-ins are not logged by Axes: no one reads that table.
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True
# Axes would log every sign-in, cool-off clean-up and reset at INFO; the lockouts themselves
# are what an operator needs, and they are in the admin.
AXES_VERBOSE = False
# Behind a proxy the client's address is in a header the proxy sets; without this setting only
# the connection's address is trusted (a client could otherwise choose its own address).
if env("SIGNIN_CLIENT_IP_HEADER"):
    AXES_IPWARE_META_PRECEDENCE_ORDER = (
        "HTTP_" + env("SIGNIN_CLIENT_IP_HEADER").upper().replace("-", "_"),
        "REMOTE_ADDR",
    )

# A one-time code from an authenticator app after the password, for HQ and officers
# (portal.second_factor). Off by default so the demo signs in with a password alone; a
# deployment that holds real identification numbers turns it on.
REQUIRE_SECOND_FACTOR = env_bool("REQUIRE_SECOND_FACTOR", False)
OTP_TOTP_ISSUER = "Investment immigration registry"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Transport and browser protection (issue 9.5; docs/security.md) -------------------------
# Production defaults are the strict ones; a deployment behind a TLS-terminating proxy names
# the header the proxy sets, e.g. DJANGO_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a promise to browsers that is slow to take back: the deployment decides.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if env("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + env("DJANGO_SECURE_PROXY_SSL_HEADER").upper().replace("-", "_"),
        "https",
    )
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# No inline script anywhere (the portal's one script is static/portal/app.js; the API docs use
# the split Swagger view). Inline styles stay allowed: the report letter carries its own
# stylesheet so that the printed page and the PDF agree, and a style cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # A person's token, valid for API_TOKEN_TTL_HOURS (portal.tokens).
        "portal.tokens.ExpiringTokenAuthentication",
        # Integrations: one key per system, with scopes and an expiry (issue 13.2).
        "portal.api_keys.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.rest.Pagination",
    "EXCEPTION_HANDLER": "portal.rest.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.throttling.AnonRateThrottle",
        "portal.throttling.UserRateThrottle",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "portal.schema.PortalSchema",
    "PAGE_SIZE": 50,
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "DATE_FORMAT": "iso-8601",
}

# How long a person's API token is good for, from the sign-in that issued it (issue 9.4): a
# working day and a night, so a token copied to a script or a laptop does not stay valid.
API_TOKEN_TTL_HOURS = int(env("API_TOKEN_TTL_HOURS", "24"))
# Requests per account (a person or an integration's key) and per address without a sign-in,
# as "N/second|minute|hour|day" (issue 9.4). The user rate allows an integration's sync at
# 20 requests a second (bulk writes take up to API_BULK_MAX_ROWS rows each); the anonymous one
# only signing in and reading the refusal. Counters live in the cache (CACHE_URL): with several
# processes, a shared Redis, or each process counts on its own.
API_THROTTLE_RATES = {
    "anon": env("API_THROTTLE_ANON_RATE", "60/minute"),
    "user": env("API_THROTTLE_USER_RATE", "1200/minute"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Investment immigration portal API",
    "DESCRIPTION": (
        "Ledger, deadlines and reports of Korea's immigrant-investor programs. "
        "Money fields end in `_krw` and are integers; dates are ISO YYYY-MM-DD."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs describe every endpoint an attacker would probe: signed-in only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a ``kind``; the investor's gets a stable name in the schema.
    "ENUM_NAME_OVERRIDES": {"InvestorKindEnum": "investments.choices.InvestorKind"},
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
# Every job is safe to re-run (reporting.sweep), so a task is acknowledged only once it has
# finished: a worker lost mid-task leaves it to be delivered again.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Times are Korean (CELERY_TIMEZONE): the sweep runs before office hours, the drafts on the 1st.
CELERY_BEAT_SCHEDULE = {
    "daily-sweep": {
        "task": "reporting.tasks.daily_sweep_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "monthly-drafts": {
        "task": "reporting.tasks.monthly_drafts_task",
        "schedule": crontab(hour=1, minute=0, day_of_month=1),
    },
    # Webhook retries (portal.webhooks): the back-off's delays are a minute or more.
    "retry-webhooks": {
        "task": "portal.tasks.retry_webhooks_task",
        "schedule": crontab(),
    },
    "purge-idempotency-keys": {
        "task": "portal.tasks.purge_idempotency_keys_task",
        "schedule": crontab(minute=17),
    },
    # Counted days, "eligible now" and what is recent move with the date
    # (reporting.eligibility_store).
    "refresh-eligibility": {
        "task": "reporting.tasks.refresh_eligibility_task",
        "schedule": crontab(hour=0, minute=30),
    },
    "purge-exports": {
        "task": "reporting.tasks.purge_exports_task",
        "schedule": crontab(hour=3, minute=0),
    },
    "purge-personal-data-access": {
        "task": "investments.tasks.purge_personal_data_access_task",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- E-mail ---------------------------------------------------------------------------------
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portal@localhost")
# A reminder recorded but not marked sent (the send failed, or the process died in between) is
# tried once more by a sweep at least this long after it was recorded (reporting.sweep): longer
# than any one send takes, shorter than the day between two sweeps.
NOTIFICATION_RETRY_AFTER_MINUTES = int(env("NOTIFICATION_RETRY_AFTER_MINUTES", "60"))
# Links in e-mails point here.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# --- Uploads --------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Ledger import (reporting.imports): file size, unpacked size (zip-bomb guard), rows per sheet.
LEDGER_IMPORT_MAX_BYTES = int(env("LEDGER_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
LEDGER_IMPORT_MAX_UNZIPPED_BYTES = int(env("LEDGER_IMPORT_MAX_UNZIPPED_BYTES", str(100 * 1024**2)))
LEDGER_IMPORT_MAX_ROWS = int(env("LEDGER_IMPORT_MAX_ROWS", "20000"))
# A page's upload larger than this (some thousand rows: seconds of work) is imported as a
# background job with a progress page, like a large export.
LEDGER_IMPORT_INLINE_BYTES = int(env("LEDGER_IMPORT_INLINE_BYTES", str(256 * 1024)))

# Shapes of identification numbers (issue 9.6; sources in docs/rules.md), checked after
# spaces and dashes are dropped and letters upper-cased. A passport number is read by the
# holder's nationality, else by the ICAO Doc 9303 default ("*"): the document-number field of
# the machine-readable zone holds at most nine letters and digits. Each entry is (pattern,
# example shown in the error).
PASSPORT_NUMBER_FORMATS = {
    "*": (r"[A-Z0-9]{6,9}", "A1234567"),
    "KR": (r"[MSRGDO][0-9]{8}|[MSRGDO][0-9]{3}[A-Z][0-9]{4}", "M12345678, M123A4567"),
    "CN": (r"[A-Z]{1,2}[0-9]{7,8}", "E12345678, EA1234567"),
    "JP": (r"[A-Z]{2}[0-9]{7}", "TZ1234567"),
}
# An alien registration number: six digits of the date of birth (YYMMDD) and seven digits,
# the first of which (5-8) says the sex and the century (5, 6: 1900s; 7, 8: 2000s).
ALIEN_REGISTRATION_NUMBER_FORMAT = (r"[0-9]{6}[5-8][0-9]{6}", "750412-5123456")
ALIEN_REGISTRATION_CENTURIES = {"5": 1900, "6": 1900, "7": 2000, "8": 2000}

# --- Personal data (SPEC §7, docs/security.md) ------------------------------------------------
# Days the log of reveals and reads of identification data is kept (investments.privacy); the
# portal refuses to start with less than two years (investments.checks).
PERSONAL_DATA_ACCESS_RETENTION_DAYS = int(env("PERSONAL_DATA_ACCESS_RETENTION_DAYS", "730"))

# --- Integrations (issue 13; reasons in docs/api.md) ------------------------------------------
IDEMPOTENCY_RETENTION_HOURS = int(env("IDEMPOTENCY_RETENTION_HOURS", "24"))
API_KEY_MAX_DAYS = int(env("API_KEY_MAX_DAYS", "365"))
API_BULK_MAX_ROWS = int(env("API_BULK_MAX_ROWS", "1000"))
API_JSON_MAX_DEPTH = int(env("API_JSON_MAX_DEPTH", "20"))
WEBHOOK_HTTP_HOSTS = [h for h in env("WEBHOOK_HTTP_HOSTS", "").split(",") if h]
WEBHOOK_RETRY_DELAYS = [
    int(s) for s in env("WEBHOOK_RETRY_DELAYS", "60,300,1800,7200,21600").split(",") if s
]
# What is derived from the ledger and stored follows every committed ledger change
# (portal.audit): each is called with {(institution id, program): first day affected}.
LEDGER_FOLLOWERS = [
    "reporting.amendments.ledger_changed",
    "reporting.eligibility_store.ledger_changed",
]
# Called inside the transaction of a ledger change with the ids of the people it touches, so
# what is stored per person is known to be stale before the change commits (portal.audit).
LEDGER_MARKERS = ["reporting.eligibility_store.mark_stale"]
# Called when HQ changes reference data the rules read (portal.admin_gates.reference_changed).
REFERENCE_FOLLOWERS = ["reporting.eligibility_store.recompute_all"]
# A page recomputes up to this many stale eligibility facts before reading (a ledger change whose
# after-commit task has not run yet: a few people, well under a second). More means a full
# recomputation is under way in the background: the page reads what is stored rather than
# spending minutes on it (reporting.eligibility_store.refresh_stale).
ELIGIBILITY_INLINE_REFRESH = int(env("ELIGIBILITY_INLINE_REFRESH", "500"))

# --- Exports --------------------------------------------------------------------------------
# An export of up to EXPORT_INLINE_ROWS rows streams at once (a few seconds); a larger one runs
# as a job with a progress page, its file written under MEDIA_ROOT (never served as a static
# file: only the requesting user downloads it) and deleted after EXPORT_KEEP_DAYS.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
EXPORT_INLINE_ROWS = int(env("EXPORT_INLINE_ROWS", "20000"))
EXPORT_KEEP_DAYS = int(env("EXPORT_KEEP_DAYS", "7"))

# Every handler masks passport- and ARN-shaped strings (portal.crypto.MaskIdentifiersFilter),
# the development server's access log included. Django's own loggers are routed to these
# handlers instead of the unfiltered ones of Django's default configuration.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_identifiers": {"()": "portal.crypto.MaskIdentifiersFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_identifiers"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_identifiers"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

"""Settings for Strategy Portal, read from the environment.

The defaults run the service on a newcomer's machine (`make run`): SQLite, tasks run
in-process, DEBUG on. Production sets environment variables and uses
`strategy_portal.settings_production`, which only tightens what must be tight.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-not-for-production")
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Shown in the phase banner so nobody mistakes a training copy for the live service.
ENVIRONMENT_NAME = env("ENVIRONMENT_NAME", default="Development")
SERVICE_NAME = "Strategy Portal"
ORGANISATION_NAME = env("ORGANISATION_NAME", default="Warwickshire Police and West Mercia Police")

INSTALLED_APPS = [
    "accounts.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tables2",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Our apps, lowest layer first: an app may import only the apps listed before it.
    "core",
    "geography",
    "accounts",
    "imports",
    "seizures",
    "offences",
    "partners",
    "opendata",
    "strategy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionRenewalMiddleware",
    "core.requestmemo.RequestMemoMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategy_portal.urls"
WSGI_APPLICATION = "strategy_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Templates parsed once a process, in every environment (tests and DEBUG included, so
            # that what is measured is what runs); runserver's reloader empties it when a
            # template changes.
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.service",
            ],
        },
    },
]


# One cache shared by every process of a deployment (CACHE_URL=redis://…): the cached figures and
# the generations that make them stale are then the same in every worker. The default, memory
# in each process, is right for `make run`'s single process.
def cache_config(config):
    """django-environ's cache settings, with Django's Redis cache swapped for core.cache's, which
    keeps one client per server instead of building one per call."""
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "core.cache.RedisCache"
    return config


CACHES = {"default": cache_config(env.cache("CACHE_URL", default="locmemcache://"))}

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with what a user may do read once and kept in the cache (accounts.access).
    "accounts.access.CachedAccessBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after 30 minutes without a request: shared terminals in police stations.
# Sessions are read from the shared cache and written through to the database, which keeps
# them if the cache is emptied: a page asks the database for its session only then.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# Each request renews the session's idle timeout, saving it at most once a minute
# (accounts.middleware.SessionRenewalMiddleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Sign-in lockout (django-axes) -------------------------------------------------------------
# Ten failed sign-ins lock the username, and separately the address they came from, for the
# cool-off period; a successful sign-in clears that user's failures. Every lockout is logged by
# the "accounts.security" logger and kept in axes' tables (shown in the admin).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip_address"
# Lockouts are logged by accounts.security; axes' own start-up banner is noise in every command.
AXES_VERBOSE = False
# Trusted proxies in front of the app that append to X-Forwarded-For (0: none, use the socket's
# address). Decides the address that lockouts count; never set it higher than the real number.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Two-factor authentication (django-otp, TOTP authenticator apps) --------------------------
# Users holding any of these roles must confirm a code from an authenticator app after their
# password before any page works. Empty in development so `make run` and the demo users are
# unaffected; production requires it of Administrators and Managers.
OTP_REQUIRED_FOR_ROLES = env.list("OTP_REQUIRED_FOR_ROLES", default=[])
OTP_TOTP_ISSUER = SERVICE_NAME
# Administrators may delete a user's device (lost phone) but never read its secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Only the project's own files and the vendor files copied by `npm run build`, never whole
# node_modules folders (collectstatic would then fingerprint thousands of unused files).
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Strategy Portal <no-reply@strategy-portal.invalid>")
# Where users reach the service: every link in an email starts with it (core.links.absolute_url),
# since a task sending an email has no request to take the address from.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery ---------------------------------------------------------------------------------
# With no broker configured (the embedded default) tasks run in-process, so `make run` needs
# nothing but Python and Node.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The whole nightly schedule in one block (Europe/London times). Exactly one beat process runs.
# `expires`: a run that could not start within the hour is dropped rather than piling up.
CELERY_BEAT_SCHEDULE = {
    # Partner referrals: clear the identifying fields of referrals closed past the retention period.
    "clear-expired-referral-identifiers": {
        "task": "partners.tasks.clear_expired_identifiers",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 60 * 60},
    },
    # Sessions past their age (a referral's unsent answers among them): removed from the table.
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=1, minute=15),
        "options": {"expires": 60 * 60},
    },
    # Partner referrals: send the acknowledgements that could not be queued (broker down).
    "send-pending-referral-acknowledgements": {
        "task": "partners.tasks.send_pending_acknowledgements",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 15 * 60},
    },
    # Imports: resend lost tasks, close batches whose worker died or whose check was never confirmed.
    "tidy-import-batches": {
        "task": "imports.tasks.tidy_imports",
        "schedule": crontab(minute="7,22,37,52"),
        "options": {"expires": 15 * 60},
    },
    # Downloads: remove list workbooks past their keeping time; queue again any left waiting.
    "tidy-downloads": {
        "task": "core.tasks.tidy_downloads",
        "schedule": crontab(minute=45),
        "options": {"expires": 60 * 60},
    },
    # Strategy: roll the months that changed since the last run up into dashboard facts.
    "nightly-rollup": {
        "task": "strategy.tasks.nightly_rollup",
        "schedule": crontab(hour=2, minute=0),
        "options": {"expires": 60 * 60},
    },
    # Strategy: email the quarterly performance packs due (monthly ones once the nightly run has
    # counted the month before; quarterly ones once the quarter is signed off).
    "send-performance-packs": {
        "task": "strategy.tasks.send_performance_packs",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
}

# --- Downloads -------------------------------------------------------------------------------
# A list's workbook is written while the page waits up to this many rows; a longer one is built
# by a worker and collected from its download page (CSV always streams, whatever the length).
DOWNLOAD_INLINE_ROWS = env.int("DOWNLOAD_INLINE_ROWS", default=5000)
# Workbooks built in the background are removed this long after they were asked for.
DOWNLOAD_KEEP_HOURS = env.int("DOWNLOAD_KEEP_HOURS", default=24)

# --- Imports ---------------------------------------------------------------------------------
# Largest upload accepted for a batch import. Put the same cap (plus a little) on the proxy's
# request body so a larger file never reaches Django.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
# A checked file waits this long for its import to be confirmed; then the stored upload is removed.
IMPORT_PREVIEW_KEEP_DAYS = env.int("IMPORT_PREVIEW_KEEP_DAYS", default=7)

# --- Partner referrals ------------------------------------------------------------------------
# Key of the keyed hash (HMAC) that spots a person referred twice without storing who they are.
# Production must set its own and keep it: changing it stops repeats matching across the change.
DEVELOPMENT_PSEUDONYMISATION_KEY = "development-pseudonymisation-key"  # refused in production
PSEUDONYMISATION_KEY = env("PSEUDONYMISATION_KEY", default=DEVELOPMENT_PSEUDONYMISATION_KEY)
# Identifying fields and free-text notes of a referral are cleared this many months after it
# closed, or, while it is open, after its last change or review.
REFERRAL_RETENTION_MONTHS = env.int("REFERRAL_RETENTION_MONTHS", default=24)
# An open referral without any change for this many months is on its receiving agency's review
# list: they record what happened or confirm it is still open, before it is cleared.
REFERRAL_REVIEW_MONTHS = env.int("REFERRAL_REVIEW_MONTHS", default=12)
# Drugs Intervention Programme: adults only, except in the forces listed here (ONS codes, E23…),
# which test and assess young people from 14.
DIP_TESTS_FROM_14_IN_FORCES = env.list("DIP_TESTS_FROM_14_IN_FORCES", default=[])
# Early intervention is for young people under this age.
EARLY_INTERVENTION_AGE_LIMIT = env.int("EARLY_INTERVENTION_AGE_LIMIT", default=25)

# --- Django REST framework and OpenAPI ------------------------------------------------------
REST_FRAMEWORK = {
    # API tokens first: a refused token (expired, revoked, two-factor missing) answers 401 with
    # WWW-Authenticate, which the first class decides. Pages' own requests use the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A model or service refusing bad input answers 400 with field errors, never 500.
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
# API tokens (django-rest-knox): only a digest is stored; each token expires after the days the
# Administrator chose when issuing it (at most API_TOKEN_MAX_DAYS) and is never extended by use.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
REST_KNOX = {"TOKEN_TTL": timedelta(days=API_TOKEN_DAYS), "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "Strategy Portal API",
    "DESCRIPTION": "Records and figures of the alliance drug strategy.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A cannabis factory's premises and an offence's type of site are the same choices, one enum.
    "ENUM_NAME_OVERRIDES": {"PremisesEnum": "seizures.models.site.Premises"},
}

# --- Forms and tables -----------------------------------------------------------------------
# Request bodies other than uploaded files (a form post, an API call): at most 2.5 MB and 1,000
# fields, Django's defaults, said here because the pages and the API rely on them. A bigger API
# body is a 413; a form claiming more item rows than a seizure may have builds no more forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
DJANGO_TABLES2_TEMPLATE = "components/_table.html"

# --- Content-Security-Policy: no inline script or style, nothing from another host ----------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

"""Production: the same settings with every secret required and every cookie secure.

DJANGO_SETTINGS_MODULE=strategy_portal.settings_production

A value that would run but do harm (a guessable key, email that goes nowhere, links that lead
nowhere, a live service labelled "Development") stops the service at start-up with
ImproperlyConfigured naming the variable, rather than being found out later.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .settings import *  # noqa: F403
from .settings import DEVELOPMENT_PSEUDONYMISATION_KEY, cache_config, env


def refuse(variable, problem):
    raise ImproperlyConfigured(f"{variable}: {problem}")


DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)

# --- Partner referrals: the key of the hash that spots a person referred twice ---------------
# Whoever knows it can test guesses of initials, date of birth and sex against stored subjects,
# so it must be long and never the development one. Keep it: a new key stops repeats matching.
PSEUDONYMISATION_KEY_MIN_LENGTH = 32
PSEUDONYMISATION_KEY = env("PSEUDONYMISATION_KEY")
if PSEUDONYMISATION_KEY == DEVELOPMENT_PSEUDONYMISATION_KEY:
    refuse("PSEUDONYMISATION_KEY", "is the development key; set the service's own.")
if len(PSEUDONYMISATION_KEY) < PSEUDONYMISATION_KEY_MIN_LENGTH:
    refuse(
        "PSEUDONYMISATION_KEY",
        f"must be at least {PSEUDONYMISATION_KEY_MIN_LENGTH} characters (it has "
        f"{len(PSEUDONYMISATION_KEY)}): python -c 'import secrets; print(secrets.token_urlsafe(48))'",
    )

# --- The phase banner --------------------------------------------------------------------------
ENVIRONMENT_NAME = env("ENVIRONMENT_NAME", default="Live").strip()
if not ENVIRONMENT_NAME or ENVIRONMENT_NAME.lower() == "development":
    refuse(
        "ENVIRONMENT_NAME",
        f"{ENVIRONMENT_NAME!r} is not a production name: leave it unset (Live) or say e.g. Training.",
    )

# --- Email: delivered, from a real address, with links that work --------------------------------
# Backends that accept a message and deliver it to nobody.
UNDELIVERED_EMAIL_BACKENDS = {
    f"django.core.mail.backends.{name}.EmailBackend" for name in ("console", "dummy", "filebased", "locmem")
}
SMTP_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND = env("EMAIL_BACKEND", default=SMTP_EMAIL_BACKEND)
if EMAIL_BACKEND in UNDELIVERED_EMAIL_BACKENDS:
    refuse("EMAIL_BACKEND", f"{EMAIL_BACKEND} delivers no email; use SMTP (the default) with EMAIL_HOST.")
if EMAIL_BACKEND == SMTP_EMAIL_BACKEND:
    EMAIL_HOST = env("EMAIL_HOST")  # no "localhost" fallback: there is no mail server in the container
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

SITE_URL = env("SITE_URL")
_site = urlsplit(SITE_URL)
if _site.scheme != "https" or not _site.hostname or _site.username or _site.password:
    refuse("SITE_URL", f"{SITE_URL!r} must be the https:// address users reach the service at.")
if _site.path.strip("/") or _site.query or _site.fragment:
    refuse("SITE_URL", f"{SITE_URL!r} must be the address alone, with no path (links add their own).")
if not validate_host(_site.hostname, ALLOWED_HOSTS):
    refuse(
        "SITE_URL", f"the host {_site.hostname!r} is not in DJANGO_ALLOWED_HOSTS: its links would be refused."
    )
SITE_URL = f"https://{_site.netloc}"

# --- The cache: one for every process ----------------------------------------------------------
# Sessions, the signed-in user and what they may do, the kept pages and the generations that say
# when any of them is stale live in the cache. In each process's own memory, a session signed
# out or a role taken away in one worker would live on in the others.
SHARED_CACHE_BACKENDS = {
    "core.cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
}
CACHES = {"default": cache_config(env.cache("CACHE_URL"))}
if CACHES["default"]["BACKEND"] not in SHARED_CACHE_BACKENDS:
    refuse(
        "CACHE_URL",
        "must name a cache every process shares (redis://host:6379/1): sessions and what users may "
        "do are kept there, and a cache of each process's own would keep them after they end.",
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "strategy_portal.storage.StaticStorage"},
}

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Two-factor authentication for the roles that see everything or change the service.
OTP_REQUIRED_FOR_ROLES = env.list("OTP_REQUIRED_FOR_ROLES", default=["Administrator", "Manager"])
# The proxy in front (deploy/nginx, see README) is the socket's peer: the client's address is the
# one it writes in X-Forwarded-For. Without this every sign-in would share one address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)

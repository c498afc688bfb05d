"""Production refuses to start with a value that would run but do harm: a guessable
pseudonymisation key, email that goes nowhere, links that lead nowhere, a live service labelled
"Development". Each refusal names its variable; each boundary is tried from both sides.

The production settings module is run afresh here with the environment each test sets (the
module reads its own values; the development settings beneath it are already loaded)."""

import runpy
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tests.production import PRODUCTION_ENV, production_env

DEVELOPMENT_KEY = "development-pseudonymisation-key"
CHECKED = (
    *PRODUCTION_ENV,
    "EMAIL_BACKEND",
    "ENVIRONMENT_NAME",
    "TRUSTED_PROXY_COUNT",
    "OTP_REQUIRED_FOR_ROLES",
)


@pytest.fixture
def start(monkeypatch):
    """Run the production settings with PRODUCTION_ENV and the changes given (None: unset);
    returns the settings as a dict."""

    def start(**changes):
        for name in CHECKED:
            monkeypatch.delenv(name, raising=False)
        for name, value in {**PRODUCTION_ENV, **changes}.items():
            if value is not None:
                monkeypatch.setenv(name, value)
        return runpy.run_module("strategy_portal.settings_production")

    return start


def refused(start, **changes):
    with pytest.raises(ImproperlyConfigured) as refusal:
        start(**changes)
    return str(refusal.value)


def test_a_complete_production_environment_starts(start):
    production = start()

    assert production["PSEUDONYMISATION_KEY"] == PRODUCTION_ENV["PSEUDONYMISATION_KEY"]
    assert production["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert production["EMAIL_HOST"] == "smtp.strategy-portal.example"
    assert production["SITE_URL"] == "https://strategy-portal.example"
    assert production["ENVIRONMENT_NAME"] == "Live"


# --- the pseudonymisation key -------------------------------------------------------------------


def test_a_pseudonymisation_key_of_31_characters_is_refused(start):
    message = refused(start, PSEUDONYMISATION_KEY="k" * 31)

    assert message.startswith("PSEUDONYMISATION_KEY: must be at least 32 characters (it has 31)")
    assert "k" * 31 not in message  # the key itself is never shown


def test_a_pseudonymisation_key_of_32_characters_is_accepted(start):
    assert start(PSEUDONYMISATION_KEY="k" * 32)["PSEUDONYMISATION_KEY"] == "k" * 32


def test_the_development_pseudonymisation_key_is_refused_though_long_enough(start):
    assert len(DEVELOPMENT_KEY) >= 32
    assert DEVELOPMENT_KEY == settings.DEVELOPMENT_PSEUDONYMISATION_KEY

    message = refused(start, PSEUDONYMISATION_KEY=DEVELOPMENT_KEY)

    assert message == "PSEUDONYMISATION_KEY: is the development key; set the service's own."


def test_a_missing_pseudonymisation_key_is_refused(start):
    assert "PSEUDONYMISATION_KEY" in refused(start, PSEUDONYMISATION_KEY=None)


# --- email ------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["console", "dummy", "filebased", "locmem"])
def test_an_email_backend_that_delivers_nothing_is_refused(start, backend):
    message = refused(start, EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend")

    assert message.startswith(f"EMAIL_BACKEND: django.core.mail.backends.{backend}.EmailBackend delivers no")


def test_smtp_without_a_mail_server_is_refused(start):
    assert "EMAIL_HOST" in refused(start, EMAIL_HOST=None)


def test_smtp_named_explicitly_with_a_mail_server_is_accepted(start):
    production = start(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")

    assert production["EMAIL_HOST"] == "smtp.strategy-portal.example"


def test_a_delivering_backend_other_than_smtp_needs_no_mail_server(start):
    backend = "anymail.backends.amazon_ses.EmailBackend"

    assert start(EMAIL_BACKEND=backend, EMAIL_HOST=None)["EMAIL_BACKEND"] == backend


def test_a_missing_sender_address_is_refused(start):
    assert "DEFAULT_FROM_EMAIL" in refused(start, DEFAULT_FROM_EMAIL=None)


# --- the environment name -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Development", "development", " Development ", ""])
def test_production_never_calls_itself_development(start, name):
    assert refused(start, ENVIRONMENT_NAME=name).startswith("ENVIRONMENT_NAME: ")


@pytest.mark.parametrize(("given", "shown"), [(None, "Live"), ("Training", "Training"), ("Live", "Live")])
def test_the_environment_name_is_live_unless_told_otherwise(start, given, shown):
    assert start(ENVIRONMENT_NAME=given)["ENVIRONMENT_NAME"] == shown


# --- the site's address -----------------------------------------------------------------------


def test_a_missing_site_url_is_refused(start):
    assert "SITE_URL" in refused(start, SITE_URL=None)


@pytest.mark.parametrize(
    "site_url",
    [
        "http://strategy-portal.example",  # links must not send users to plain HTTP
        "strategy-portal.example",
        "https://",
        "https://user:password@strategy-portal.example",
        "https://strategy-portal.example/portal",
        "https://strategy-portal.example/?next=/",
    ],
)
def test_a_site_url_that_is_not_an_https_address_alone_is_refused(start, site_url):
    assert refused(start, SITE_URL=site_url).startswith(f"SITE_URL: {site_url!r} must be")


def test_a_site_url_on_a_host_django_would_refuse_is_refused(start):
    message = refused(start, SITE_URL="https://portal.example.police.uk")

    assert message == (
        "SITE_URL: the host 'portal.example.police.uk' is not in DJANGO_ALLOWED_HOSTS: "
        "its links would be refused."
    )


@pytest.mark.parametrize(
    ("site_url", "kept"),
    [
        ("https://strategy-portal.example/", "https://strategy-portal.example"),
        ("https://strategy-portal.example:8443", "https://strategy-portal.example:8443"),
    ],
)
def test_a_site_url_is_kept_as_the_address_alone(start, site_url, kept):
    assert start(SITE_URL=site_url)["SITE_URL"] == kept


# --- the cache: one every process shares ---------------------------------------------------------


def test_a_missing_cache_url_is_refused(start):
    assert "Set the CACHE_URL environment variable" in refused(start, CACHE_URL=None)


@pytest.mark.parametrize("cache_url", ["locmemcache://", "dummycache://"])
def test_a_cache_of_each_process_its_own_is_refused(start, cache_url):
    assert refused(start, CACHE_URL=cache_url).startswith("CACHE_URL: must name a cache every process shares")


def test_a_shared_redis_cache_is_accepted_with_one_client_per_server(start):
    assert (
        start(CACHE_URL="redis://127.0.0.1:6379/1")["CACHES"]["default"]["BACKEND"] == "core.cache.RedisCache"
    )


def test_a_refused_value_stops_the_service_at_start_up():
    """The same refusal through manage.py, as the container would start."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=production_env(PSEUDONYMISATION_KEY="k" * 31),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: PSEUDONYMISATION_KEY: must be at least 32 characters" in result.stderr

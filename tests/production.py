"""The environment of a production start-up in tests: every value production requires, each
fit to pass its checks, over the test process's own environment."""

import os

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "strategy_portal.settings_production",
    "DJANGO_SECRET_KEY": "dummy-" + "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "strategy-portal.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "PSEUDONYMISATION_KEY": "dummy-pseudonymisation-key-0123456789",
    "SITE_URL": "https://strategy-portal.example",
    "EMAIL_HOST": "smtp.strategy-portal.example",
    "DEFAULT_FROM_EMAIL": "Strategy Portal <portal@strategy-portal.example>",
}


def production_env(**extra):
    """For a subprocess: os.environ (less the test-only async switch) with PRODUCTION_ENV and
    `extra` over it."""
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        **PRODUCTION_ENV,
        **extra,
    }

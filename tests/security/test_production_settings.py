"""Production settings: secure cookies, HSTS and the HTTPS redirect, seen on real responses."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

# Runs under strategy_portal.settings_production in a fresh process: an in-memory database,
# plain static storage (there is no collectstatic manifest in a test), one user signing in.
SCRIPT = r"""
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
from django.conf import settings

setup_test_environment()
storages = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
with override_settings(
    STORAGES=storages, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
):
    call_command("migrate", verbosity=0)
    from accounts.models import User
    User.objects.create_user("analyst", password="correct-horse-battery-staple")
    client = Client()
    plain = client.get("/sign-in/")
    page = client.get("/sign-in/", secure=True)
    signed_in = client.post(
        "/sign-in/", {"username": "analyst", "password": "correct-horse-battery-staple"}, secure=True
    )
    cookies = {
        name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
        for name, m in client.cookies.items()
    }
    print(json.dumps({
        "plain": [plain.status_code, plain.get("Location")],
        "page": page.status_code,
        "signed_in": [signed_in.status_code, signed_in.get("Location")],
        "hsts": page.get("Strict-Transport-Security"),
        "coop": page.get("Cross-Origin-Opener-Policy"),
        "cookies": cookies,
        "debug": settings.DEBUG,
        "session_age": settings.SESSION_COOKIE_AGE,
        "otp_roles": settings.OTP_REQUIRED_FOR_ROLES,
        "proxies": settings.TRUSTED_PROXY_COUNT,
    }))
"""


def production_env(**extra):
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "strategy_portal.settings_production",
        "DJANGO_SECRET_KEY": "dummy-" + "x" * 60,
        "PSEUDONYMISATION_KEY": "dummy-pseudonymisation-key",
        "DJANGO_ALLOWED_HOSTS": "strategy-portal.example",
        "DATABASE_URL": "sqlite:///:memory:",
        **extra,
    }


@pytest.fixture(scope="module")
def production():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(production):
    status, location = production["plain"]
    assert status == 301
    assert location == "https://testserver/sign-in/"


def test_https_responses_carry_hsts_for_a_year_with_subdomains(production):
    assert production["page"] == 200
    assert production["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert production["coop"] == "same-origin"


def test_session_and_csrf_cookies_are_secure_and_http_only(production):
    assert production["signed_in"] == [302, "/"]
    for name in ("sessionid", "csrftoken"):
        cookie = production["cookies"][name]
        assert cookie == {"secure": True, "httponly": True, "samesite": "Lax"}, name


def test_production_runs_without_debug_and_with_the_security_defaults(production):
    assert production["debug"] is False
    assert production["session_age"] == 30 * 60
    assert production["otp_roles"] == ["Administrator", "Manager"]
    assert production["proxies"] == 1

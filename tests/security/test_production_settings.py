"""Production settings: secure cookies, HSTS and the HTTPS redirect, seen on real responses."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from tests.production import production_env

# How each script below begins, under strategy_portal.settings_production in a fresh process: an
# in-memory database, plain static storage (there is no collectstatic manifest in a test), fast
# password hashing and a user, "analyst", to sign in as.
PRELUDE = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings, setup_test_environment

setup_test_environment()
override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
).enable()
call_command("migrate", verbosity=0)
from accounts.models import User
User.objects.create_user("analyst", password="correct-horse-battery-staple")
"""

# One user signing in over plain HTTP and HTTPS.
SCRIPT = (
    PRELUDE
    + r"""
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
)


def run_under_production(script, *args, **env):
    """What `script` printed last, as JSON, run with `args` and the production environment."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=settings.BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production():
    return run_under_production(SCRIPT)


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


# Ten failed sign-ins under production settings, as requests arrive at gunicorn: from PROXY (the
# connection's peer) when a proxy is in front, with an X-Forwarded-For in which the client
# forged a new first entry every time. Prints the addresses the lockout recorded and the status
# of a good password from the same client and from another, each with yet another forgery.
LOCKOUT_SCRIPT = (
    PRELUDE
    + r"""
from axes.models import AccessAttempt

CLIENT, OTHER_CLIENT, PROXY = "203.0.113.9", "198.51.100.7", "172.18.0.5"
behind_proxy = sys.argv[1] == "proxy"


def request_from(client, forged):
    if behind_proxy:  # the client's header, with the proxy's entry appended after it
        return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{forged}, {client}"}
    return {"REMOTE_ADDR": client, "HTTP_X_FORWARDED_FOR": forged}


client = Client()
for n in range(10):  # a different username each time: only the address can lock
    client.post("/sign-in/", {"username": f"guess{n}", "password": "wrong"}, secure=True,
                **request_from(CLIENT, f"10.9.9.{n}"))
good = {"username": "analyst", "password": "correct-horse-battery-staple"}
same = client.post("/sign-in/", good, secure=True, **request_from(CLIENT, OTHER_CLIENT))
other = Client().post("/sign-in/", good, secure=True, **request_from(OTHER_CLIENT, CLIENT))
print(json.dumps({
    "addresses": sorted(set(AccessAttempt.objects.values_list("ip_address", flat=True))),
    "same_client": same.status_code,
    "other_client": other.status_code,
}))
"""
)


@pytest.mark.parametrize(
    ("proxies", "arrival"),
    [
        (1, "proxy"),  # behind the compose file's proxy: the address it appended counts
        (0, "direct"),  # nothing in front: the connection's address counts, the header is ignored
    ],
)
def test_a_forged_x_forwarded_for_changes_nothing_the_lockout_counts(proxies, arrival):
    found = run_under_production(LOCKOUT_SCRIPT, arrival, TRUSTED_PROXY_COUNT=str(proxies))

    assert found["addresses"] == ["203.0.113.9"]
    # The client is locked out whatever it puts in the header, even another client's address...
    assert found["same_client"] == 429
    # ...and that other client, naming the locked one in its header, is not.
    assert found["other_client"] == 302

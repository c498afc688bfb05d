"""Ten wrong passwords lock the username and the address they came from (django-axes)."""

import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone

from accounts.lockout import client_ip_address

PASSWORD = "correct-horse-battery-staple"  # tests/factories/accounts.py
OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username, password, address=OFFICE):
    return client.post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return "_auth_user_id" in client.session


def fail(client, username, times, address=OFFICE):
    return [sign_in(client, username, "not-the-password", address).status_code for _ in range(times)]


def test_ten_wrong_passwords_lock_the_account_and_the_lockout_is_logged(client, analyst, caplog):
    caplog.set_level(logging.WARNING, logger="accounts.security")

    statuses = fail(client, "analyst", 10)

    # Nine ordinary refusals, then the tenth failure locks.
    assert statuses == [200] * 9 + [429]
    response = sign_in(client, "analyst", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)

    lockouts = [r for r in caplog.records if r.name == "accounts.security" and r.levelno == logging.WARNING]
    assert lockouts, "no lockout was logged"
    assert "locked out" in lockouts[0].getMessage()
    assert "'analyst'" in lockouts[0].getMessage()
    assert OFFICE in lockouts[0].getMessage()
    # axes keeps its own records too: the attempt count and one failure row per attempt.
    assert AccessAttempt.objects.get(username="analyst", ip_address=OFFICE).failures_since_start >= 10
    assert AccessFailureLog.objects.filter(username="analyst").count() == 11
    assert AccessFailureLog.objects.filter(username="analyst", locked_out=True).exists()


def test_the_attempt_records_never_hold_the_password(client, analyst):
    sign_in(client, "analyst", "a-secret-guess-2026")

    attempt = AccessAttempt.objects.get(username="analyst")
    assert "a-secret-guess-2026" not in attempt.post_data


def test_a_locked_account_is_refused_from_another_address_too(client, analyst):
    fail(client, "analyst", 10)

    assert sign_in(client, "analyst", PASSWORD, address=ELSEWHERE).status_code == 429
    assert not signed_in(client)


def test_a_locked_address_refuses_another_username(client, analyst, manager):
    fail(client, "analyst", 10)

    assert sign_in(client, "manager", PASSWORD).status_code == 429
    assert not signed_in(client)
    # The same manager elsewhere is not affected.
    assert sign_in(client, "manager", PASSWORD, address=ELSEWHERE).status_code == 302
    assert signed_in(client)


def test_guessing_many_usernames_from_one_address_locks_the_address(client, analyst):
    for n in range(10):
        sign_in(client, f"guess{n}", "not-the-password")

    assert sign_in(client, "analyst", PASSWORD).status_code == 429
    assert sign_in(client, "analyst", PASSWORD, address=ELSEWHERE).status_code == 302


def test_a_successful_sign_in_clears_the_users_failures(client, analyst):
    fail(client, "analyst", 9)
    assert sign_in(client, "analyst", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="analyst").exists()
    client.post("/sign-out/")

    # Nine more mistakes are not the tenth.
    assert fail(client, "analyst", 9) == [200] * 9
    assert sign_in(client, "analyst", PASSWORD).status_code == 302


def test_signing_in_to_one_account_does_not_clear_guesses_at_another(client, analyst, manager):
    fail(client, "manager", 9)
    assert sign_in(client, "analyst", PASSWORD).status_code == 302
    client.post("/sign-out/")

    assert fail(client, "manager", 1) == [429]


def test_the_lockout_ends_after_the_cool_off_period(client, analyst):
    fail(client, "analyst", 10)
    assert sign_in(client, "analyst", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))

    assert sign_in(client, "analyst", PASSWORD).status_code == 302


def test_the_lockout_page_says_what_happened_and_what_to_do(client, analyst):
    fail(client, "analyst", 10)
    response = sign_in(client, "analyst", PASSWORD)

    page = response.content.decode()
    assert response.status_code == 429
    assert '<h1 class="govuk-heading-l">Sign-in locked</h1>' in page
    assert "You can try again in 30 minutes" in page
    assert "Ask your service administrator to unlock your account" in page
    assert "Content-Security-Policy" in response


def test_the_admin_sign_in_page_counts_and_locks_too(client, administrator):
    for _ in range(10):
        client.post("/admin/login/", {"username": "administrator", "password": "wrong"}, REMOTE_ADDR=OFFICE)

    response = client.post(
        "/admin/login/", {"username": "administrator", "password": PASSWORD}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 429
    assert not signed_in(client)


def test_lockout_settings():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    cool_off = settings.AXES_COOLOFF_TIME
    assert cool_off == timedelta(minutes=30)
    assert settings.AXES_RESET_ON_SUCCESS
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_the_cool_off_period_and_limit_come_from_the_environment():
    env = {
        **os.environ,
        "AXES_COOLOFF_MINUTES": "5",
        "AXES_FAILURE_LIMIT": "7",
        "DJANGO_SETTINGS_MODULE": "strategy_portal.settings",
    }
    code = "from strategy_portal import settings as s; print(s.AXES_COOLOFF_TIME, s.AXES_FAILURE_LIMIT)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["0:05:00", "7"], result.stderr


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's and ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged first entry is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_address_counted_is_the_one_the_trusted_proxy_saw(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip_address(request) == expected

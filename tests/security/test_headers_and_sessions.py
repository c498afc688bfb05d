"""Security headers on every kind of page, CSRF on the forms that matter, idle sessions ending."""

import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.core.cache.backends import locmem
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery-staple"  # tests/factories/accounts.py


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.fixture
def pages(client, analyst, manager, settings):
    """One response of each kind: public, signed in, two-factor, lockout, error, JSON."""
    settings.OTP_REQUIRED_FOR_ROLES = ["Manager"]
    responses = {"sign-in": client.get("/sign-in/"), "healthz": client.get("/healthz")}
    client.force_login(analyst)
    responses["home"] = client.get("/")
    responses["password"] = client.get("/account/password/")
    responses["not found"] = client.get("/no-such-page/")
    client.force_login(manager)
    TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    responses["two-factor"] = client.get("/account/two-factor/")
    locked = Client(REMOTE_ADDR="192.0.2.99")
    for _ in range(10):
        responses["locked"] = locked.post("/sign-in/", {"username": "nobody", "password": "guess"})
    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == {
        "sign-in": 200,
        "healthz": 200,
        "home": 200,
        "password": 200,
        "not found": 404,
        "two-factor": 200,
        "locked": 429,
    }
    return responses


def test_every_page_sends_a_strict_content_security_policy(pages):
    for name, response in pages.items():
        directives = csp_directives(response)
        assert directives["default-src"] == ["'self'"], name
        assert directives["script-src"] == ["'self'"], name
        assert directives["style-src"] == ["'self'"], name
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["object-src"] == ["'none'"], name
        assert "unsafe-inline" not in response["Content-Security-Policy"], name
        assert "unsafe-eval" not in response["Content-Security-Policy"], name


def test_every_page_sends_the_security_headers(pages):
    for name, response in pages.items():
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_pages_have_no_inline_script_or_style_the_policy_would_block(pages):
    for name, response in pages.items():
        if not response["Content-Type"].startswith("text/html"):
            continue
        page = response.content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page), name
        assert " style=" not in page, name
        assert not re.search(r"\son[a-z]+=", page), name  # onclick= and friends


# --- CSRF -----------------------------------------------------------------------------------


def form_token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_the_sign_in_form_needs_its_csrf_token(csrf_client, analyst):
    credentials = {"username": "analyst", "password": PASSWORD}
    assert csrf_client.post("/sign-in/", credentials).status_code == 403
    assert "_auth_user_id" not in csrf_client.session

    token = form_token(csrf_client.get("/sign-in/"))
    response = csrf_client.post("/sign-in/", {**credentials, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert "_auth_user_id" in csrf_client.session


def test_the_password_change_form_needs_its_csrf_token(csrf_client, analyst):
    csrf_client.force_login(analyst)
    change = {
        "old_password": PASSWORD,
        "new_password1": "a-much-longer-passphrase-2026",
        "new_password2": "a-much-longer-passphrase-2026",
    }
    assert csrf_client.post("/account/password/", change).status_code == 403
    analyst.refresh_from_db()
    assert analyst.check_password(PASSWORD)

    token = form_token(csrf_client.get("/account/password/"))
    response = csrf_client.post("/account/password/", {**change, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password("a-much-longer-passphrase-2026")


def test_signing_out_and_the_two_factor_form_need_their_csrf_token(csrf_client, manager, settings):
    settings.OTP_REQUIRED_FOR_ROLES = ["Manager"]
    TOTPDevice.objects.create(user=manager, name="app", confirmed=True)
    csrf_client.force_login(manager)

    assert csrf_client.post("/account/two-factor/", {"code": "123456"}).status_code == 403
    assert csrf_client.post("/sign-out/").status_code == 403
    assert "_auth_user_id" in csrf_client.session


def test_the_csrf_cookie_is_not_readable_by_scripts(client):
    client.get("/sign-in/")

    assert client.cookies["csrftoken"]["httponly"]


# --- Sessions end after 30 minutes without a request ------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Moves Django's idea of now forward, as if the user had stepped away."""

    class Clock:
        offset = timedelta()

        def advance(self, **kwargs):
            self.offset += timedelta(**kwargs)

    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    # Sessions are read from the cache first (cached_db), whose entries last as long as the
    # session: the cache keeps time by the same clock.
    real_time = time.time
    monkeypatch.setattr(
        locmem, "time", SimpleNamespace(time=lambda: real_time() + clock.offset.total_seconds())
    )
    return clock


def test_a_session_idle_for_more_than_thirty_minutes_has_ended(analyst_client, clock):
    assert analyst_client.get("/").status_code == 200

    clock.advance(minutes=31)
    response = analyst_client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"


def test_each_request_renews_the_thirty_minutes(analyst_client, clock):
    analyst_client.get("/")
    for _ in range(3):  # 60 minutes in all, never 30 idle
        clock.advance(minutes=20)
        assert analyst_client.get("/").status_code == 200

    session = Session.objects.get(session_key=analyst_client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


@pytest.mark.django_db
def test_the_session_is_saved_at_most_once_a_minute_and_renewed_after_it(analyst_client, clock):
    def expires():
        return Session.objects.get(session_key=analyst_client.session.session_key).expire_date

    renewed = expires()  # signed in: thirty minutes from now
    assert "sessionid" not in analyst_client.get("/").cookies
    clock.advance(seconds=59)
    response = analyst_client.get("/")
    assert "sessionid" not in response.cookies and expires() == renewed  # no write a page view
    clock.advance(seconds=1)
    response = analyst_client.get("/")
    assert response.cookies["sessionid"]["max-age"] == 1800
    assert timedelta(seconds=60) <= expires() - renewed < timedelta(seconds=61)


@pytest.mark.django_db
def test_a_visitor_without_a_session_is_not_given_one(client):
    assert client.get("/sign-in/").status_code == 200
    assert "sessionid" not in client.cookies
    assert not Session.objects.exists()


def test_the_session_cookie_lasts_thirty_minutes_and_is_http_only(analyst_client, clock):
    clock.advance(minutes=1)  # the session is renewed, and its cookie sent again
    response = analyst_client.get("/")

    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == 1800
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"

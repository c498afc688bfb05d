"""The OpenAPI schema validates, and the interactive docs render with nothing from another host."""

import re
from urllib.parse import urlparse

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_validates_and_this_app_adds_no_warnings(tmp_path, capsys):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--file", str(target))  # raises if the schema is invalid
    ours = re.compile(r"seizure|warrant|drug|street|unit|result|measure", re.IGNORECASE)
    warnings = [line for line in capsys.readouterr().err.splitlines() if ours.search(line)]
    assert not warnings
    schema = target.read_text()
    for path in (
        "/api/v1/seizures/",
        "/api/v1/seizures/{id}/withdraw/",
        "/api/v1/warrants/",
        "/api/v1/drugs/",
    ):
        assert f"{path}:" in schema


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_offline_under_the_content_security_policy(page, live_server, analyst):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(analyst.pk)
    session[BACKEND_SESSION_KEY] = "accounts.access.CachedAccessBackend"
    session[HASH_SESSION_KEY] = analyst.get_session_auth_hash()
    session.save()
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "path": "/"}
    page.context.add_cookies([{**cookie, "domain": urlparse(live_server.url).hostname}])

    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".opblock-tag", has_text="Seizures").first.wait_for(timeout=15000)
    page.locator(".opblock-tag", has_text="Seizures").first.click()  # expanded already: collapses and
    page.locator(".opblock-tag", has_text="Seizures").first.click()  # reopens, so the UI's script runs

    assert "/api/docs/" in page.url, "sent to sign in"
    assert {urlparse(url).netloc for url in requests} == {urlparse(live_server.url).netloc}
    assert page.locator(".opblock-summary-path", has_text="/api/v1/seizures/{id}/withdraw/").count() == 1
    # Swagger UI's scripts all load from the service; only its empty inline <style> is refused.
    assert not [e for e in errors if "script-src" in e or "connect-src" in e], errors

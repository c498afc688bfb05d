"""Analysts and administrators write; managers read; partners get 403 on every page and endpoint."""

import pytest

from tests.factories.seizures import SeizureFactory, WarrantFactory
from tests.urls import all_url_patterns

from .helpers import seizure_form, seizure_payload, warrant_payload

pytestmark = pytest.mark.django_db

API = ["/api/v1/seizures/", "/api/v1/warrants/", "/api/v1/drugs/", "/api/v1/street-prices/"]


def app_pages(seizure_pk, warrant_pk):
    paths = []
    for name, path in all_url_patterns():
        if name and name.startswith("seizures:"):
            pk = warrant_pk if "warrant" in name else seizure_pk
            paths.append(path.replace("/1/", f"/{pk}/"))
    return paths


def api_endpoints(seizure_pk, warrant_pk):
    return [
        *API,
        f"/api/v1/seizures/{seizure_pk}/",
        f"/api/v1/warrants/{warrant_pk}/",
        "/api/v1/drugs/cocaine/",
        "/api/v1/street-prices/1/",
    ]


def test_a_partner_gets_403_on_every_page_and_endpoint(partner_a_client):
    seizure, warrant = SeizureFactory(), WarrantFactory()
    pages = app_pages(seizure.pk, warrant.pk)
    assert len(pages) >= 12
    for path in pages:
        assert partner_a_client.get(path).status_code == 403, path
        assert partner_a_client.post(path, {}).status_code == 403, path
    for path in api_endpoints(seizure.pk, warrant.pk):
        assert partner_a_client.get(path).status_code == 403, path
    for path in API[:2]:
        assert partner_a_client.post(path, {}, content_type="application/json").status_code == 403, path
    for action in ("withdraw", "reprice"):
        response = partner_a_client.post(f"/api/v1/seizures/{seizure.pk}/{action}/", {"reason": "x"})
        assert response.status_code == 403
    assert "/seizures/" not in partner_a_client.get("/").content.decode()


def test_a_manager_reads_everything_and_writes_nothing(manager_client):
    seizure, warrant = SeizureFactory(), WarrantFactory()
    for path in [
        "/seizures/",
        f"/seizures/{seizure.pk}/",
        "/warrants/",
        f"/warrants/{warrant.pk}/",
        "/street-prices/",
    ]:
        response = manager_client.get(path)
        assert response.status_code == 200, path
        assert (
            "Withdraw" not in response.content.decode()
            and "Record a seizure" not in response.content.decode()
        )
    for path in api_endpoints(seizure.pk, warrant.pk):
        assert manager_client.get(path).status_code == 200, path

    write_pages = [
        "/seizures/new/",
        f"/seizures/{seizure.pk}/edit/",
        f"/seizures/{seizure.pk}/withdraw/",
        f"/seizures/{seizure.pk}/reprice/",
        "/warrants/new/",
        f"/warrants/{warrant.pk}/edit/",
        f"/warrants/{warrant.pk}/withdraw/",
    ]
    for path in write_pages:
        assert manager_client.get(path).status_code == 403, path
        assert manager_client.post(path, seizure_form()).status_code == 403, path
    post = manager_client.post
    assert post("/api/v1/seizures/", seizure_payload(), content_type="application/json").status_code == 403
    assert post("/api/v1/warrants/", warrant_payload(), content_type="application/json").status_code == 403
    assert (
        manager_client.patch(
            f"/api/v1/seizures/{seizure.pk}/", {"notes": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    for action in ("withdraw", "reprice"):
        assert post(f"/api/v1/seizures/{seizure.pk}/{action}/", {"reason": "x"}).status_code == 403
    assert post(f"/api/v1/warrants/{warrant.pk}/withdraw/", {"reason": "x"}).status_code == 403


def test_analysts_write_through_pages_and_api(analyst_client):
    response = analyst_client.post("/seizures/new/", seizure_form(reference="PAGE-1"))
    assert response.status_code == 302
    response = analyst_client.post(
        "/api/v1/seizures/", seizure_payload(reference="API-1"), content_type="application/json"
    )
    assert response.status_code == 201
    response = analyst_client.post("/api/v1/warrants/", warrant_payload(), content_type="application/json")
    assert response.status_code == 201


def test_token_authentication_works_for_the_api(client, analyst):
    from tests.factories.accounts import api_token

    token = api_token(analyst)
    response = client.get("/api/v1/seizures/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    response = client.post(
        "/api/v1/seizures/",
        seizure_payload(reference="TOKEN-1"),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 201
    from seizures.models import Seizure

    assert Seizure.objects.get(reference="TOKEN-1").history.first().history_user == analyst


def test_navigation_offers_seizures_and_warrants_to_those_who_may_read_them(analyst_client, manager_client):
    for client in (analyst_client, manager_client):
        page = client.get("/").content.decode()
        assert 'href="/seizures/"' in page and 'href="/warrants/"' in page

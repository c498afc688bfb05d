"""Withdrawn records leave lists, exports, the API and metrics; administrators still open them
with their history; nothing is hard-deleted through the pages or the API."""

import pytest

from core import metrics
from seizures import services
from seizures.models import Seizure, SeizureItem, Warrant
from tests.factories.seizures import SeizureFactory, WarrantFactory, item
from tests.urls import all_url_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn_seizure(analyst):
    seizure = SeizureFactory(reference="GONE-1", items=[item("heroin", 3, "g")])
    return services.seizure_withdraw(seizure=seizure, user=analyst, reason="Duplicate of GONE-2")


def test_an_analyst_withdraws_a_seizure_with_a_reason_from_its_page(analyst_client):
    seizure = SeizureFactory(reference="GONE-3")
    response = analyst_client.post(f"/seizures/{seizure.pk}/withdraw/", {"reason": "Recorded in error"})
    assert response.status_code == 302 and response["Location"] == "/seizures/"
    stored = Seizure.objects.get(pk=seizure.pk)
    assert stored.is_withdrawn and stored.withdrawal_reason == "Recorded in error"
    assert stored.withdrawn_by.username == "analyst"


def test_withdrawing_needs_a_reason(analyst_client):
    seizure = SeizureFactory()
    response = analyst_client.post(f"/seizures/{seizure.pk}/withdraw/", {"reason": "  "})
    assert response.status_code == 200
    assert "Enter why the seizure is being withdrawn" in response.content.decode()
    assert not Seizure.objects.get(pk=seizure.pk).is_withdrawn


def test_a_withdrawn_seizure_leaves_lists_exports_api_and_metrics(analyst_client, withdrawn_seizure):
    kept = SeizureFactory(reference="KEPT-1")
    analyst_client.get("/")  # shows and clears any notification
    assert "GONE-1" not in analyst_client.get("/seizures/").content.decode()
    assert "KEPT-1" in analyst_client.get("/seizures/").content.decode()
    csv = analyst_client.get("/seizures/?_export=csv").getvalue().decode()
    assert "GONE-1" not in csv and "KEPT-1" in csv
    assert [row["reference"] for row in analyst_client.get("/api/v1/seizures/").json()["results"]] == [
        "KEPT-1"
    ]
    assert analyst_client.get(f"/api/v1/seizures/{withdrawn_seizure.pk}/").status_code == 404
    assert analyst_client.get(f"/seizures/{withdrawn_seizure.pk}/").status_code == 404

    for name, metric in metrics.discover().items():
        if name.startswith("seizures."):
            model = metric.queryset().model
            ids = set(metric.queryset().values_list("pk", flat=True))
            own = {kept.pk} if model is Seizure else set(kept.items.values_list("pk", flat=True))
            assert ids <= own, name


def test_administrators_open_a_withdrawn_seizure_with_its_history(administrator_client, withdrawn_seizure):
    page = administrator_client.get(f"/seizures/{withdrawn_seizure.pk}/").content.decode()
    assert "Withdrawn" in page and "Duplicate of GONE-2" in page
    assert "Withdrawn: Duplicate of GONE-2" in page  # the history entry's reason
    assert f'href="/seizures/{withdrawn_seizure.pk}/edit/"' not in page
    response = administrator_client.get(f"/api/v1/seizures/{withdrawn_seizure.pk}/")
    assert response.status_code == 200 and response.json()["is_withdrawn"] is True
    assert response.json()["withdrawal_reason"] == "Duplicate of GONE-2"


def test_a_withdrawn_record_cannot_be_changed_or_withdrawn_again(
    client, analyst, administrator, withdrawn_seizure
):
    for user in (analyst, administrator):
        client.force_login(user)
        assert client.get(f"/seizures/{withdrawn_seizure.pk}/edit/").status_code == 404
        assert (
            client.post(f"/seizures/{withdrawn_seizure.pk}/withdraw/", {"reason": "again"}).status_code == 404
        )
        response = client.patch(
            f"/api/v1/seizures/{withdrawn_seizure.pk}/", {"notes": "x"}, content_type="application/json"
        )
        assert response.status_code == 404


def test_warrants_withdraw_through_the_api_and_vanish_from_lists(client, analyst, administrator):
    client.force_login(analyst)
    analyst_client = administrator_client = client
    warrant = WarrantFactory(reference="W-GONE")
    response = analyst_client.post(
        f"/api/v1/warrants/{warrant.pk}/withdraw/", {}, content_type="application/json"
    )
    assert response.status_code == 400 and "reason" in response.json()
    response = analyst_client.post(
        f"/api/v1/warrants/{warrant.pk}/withdraw/",
        {"reason": "Entered twice"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["is_withdrawn"] is True
    assert "W-GONE" not in analyst_client.get("/warrants/").content.decode()
    assert "W-GONE" not in analyst_client.get("/warrants/?_export=csv").getvalue().decode()
    assert not metrics.get("warrants.executed").queryset().exists()
    client.force_login(administrator)
    page = administrator_client.get(f"/warrants/{warrant.pk}/").content.decode()
    assert "Entered twice" in page


def test_delete_is_not_allowed_anywhere(client, analyst, administrator):
    seizure, warrant = SeizureFactory(), WarrantFactory()
    for user in (analyst, administrator):
        client.force_login(user)
        for url in (
            f"/api/v1/seizures/{seizure.pk}/",
            f"/api/v1/warrants/{warrant.pk}/",
            "/api/v1/drugs/cocaine/",
            "/api/v1/street-prices/1/",
        ):
            assert client.delete(url).status_code == 405, url
        assert client.delete(f"/seizures/{seizure.pk}/").status_code == 405
    assert Seizure.objects.count() == 1 and Warrant.objects.count() == 1 and SeizureItem.objects.count() == 1
    assert not [
        name for name, _ in all_url_patterns() if name and name.startswith("seizures:") and "delete" in name
    ]


def test_the_admin_shows_records_but_cannot_delete_them(administrator_client):
    seizure = SeizureFactory()
    assert administrator_client.get(f"/admin/seizures/seizure/{seizure.pk}/change/").status_code == 200
    assert administrator_client.get(f"/admin/seizures/seizure/{seizure.pk}/delete/").status_code == 403

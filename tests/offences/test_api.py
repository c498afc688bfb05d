"""The offence API: list, detail, create and update through the services, token
authentication, and a schema that validates."""

import datetime

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from offences.models import Offence
from tests.factories.accounts import api_token
from tests.factories.offences import OffenceFactory, offence_api_data, site, warrant

API = "/api/v1/offences/"


def test_create_records_a_cultivation_offence_with_its_history(analyst_client, analyst):
    linked = warrant()
    farm = site(force=linked.force, area=linked.area, day=linked.executed_on)
    response = analyst_client.post(
        API,
        offence_api_data(
            crime_reference=" wk/123 ",
            offence_type="production_cannabis",
            cultivation=True,
            plants=180,
            site_type="commercial",
            site=farm.pk,
            drug="cannabis-plants",
            outcome="charged",
            outcome_date="2025-06-11",
            warrant=linked.pk,
        ),
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["crime_reference"] == "WK/123"
    assert body["offence_group"] == "92A"
    assert body["warrant"] == linked.pk
    assert body["url"].endswith(f"{API}{body['id']}/")
    offence = Offence.objects.get()
    assert (offence.plants, offence.site, offence.site_type) == (180, farm, "commercial")
    assert (body["drug"], body["drug_class"]) == ("cannabis-plants", "B")
    assert offence.history.get().history_user == analyst


def test_update_changes_through_the_services_and_keeps_history(analyst_client, analyst):
    offence = OffenceFactory(crime_reference="WK/1")

    response = analyst_client.patch(
        f"{API}{offence.pk}/",
        {"outcome": "drugs_warning", "outcome_date": "2025-06-12"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.json()
    offence.refresh_from_db()
    assert offence.outcome == "drugs_warning"
    latest = offence.history.first()
    assert latest.history_user == analyst
    assert latest.outcome_date == datetime.date(2025, 6, 12)


def test_offence_group_is_derived_not_written(analyst_client):
    offence = OffenceFactory(crime_reference="WK/1")

    analyst_client.patch(
        f"{API}{offence.pk}/",
        {"offence_type": "possession_other", "offence_group": "92A"},
        content_type="application/json",
    )

    offence.refresh_from_db()
    assert offence.offence_group == "92D"


def test_list_is_paginated(analyst_client):
    for number in range(55):
        OffenceFactory(crime_reference=f"P/{number}")

    first = analyst_client.get(API).json()
    second = analyst_client.get(API, {"page": 2}).json()

    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert len(second["results"]) == 5
    assert first["next"]


def test_token_authentication(analyst):
    OffenceFactory(crime_reference="WK/1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(analyst)}")

    assert client.get(API).json()["count"] == 1
    created = client.post(API, offence_api_data(crime_reference="WK/2"), format="json")
    assert created.status_code == 201
    assert Offence.objects.get(crime_reference="WK/2").history.get().history_user == analyst


def test_withdrawn_warrants_cannot_be_linked(analyst_client, analyst):
    withdrawn = warrant(
        withdrawn_at=datetime.datetime(2025, 6, 2, tzinfo=datetime.UTC), withdrawal_reason="x"
    )

    response = analyst_client.post(
        API, offence_api_data(warrant=withdrawn.pk), content_type="application/json"
    )

    assert response.status_code == 400
    assert "warrant" in response.json()


@pytest.mark.django_db
def test_the_schema_validates_with_no_warning_about_offences(tmp_path, capsys):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--file", str(target))

    # Other apps' warnings are theirs to fix; none may come from this one.
    complaints = [line for line in capsys.readouterr().err.splitlines() if "offence" in line.lower()]
    assert complaints == []
    schema = target.read_text()
    assert "/api/v1/offences/{id}/withdraw/" in schema
    assert "offence_group" in schema

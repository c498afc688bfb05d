"""The API: nested items on read and write, updates through the services, withdraw and re-price."""

import datetime

import pytest

from seizures import services
from seizures.models import Seizure
from tests.factories.seizures import SeizureFactory, WarrantFactory, drug, item

from .helpers import seizure_payload

pytestmark = pytest.mark.django_db


def test_create_with_nested_items_prices_and_audits(analyst_client, analyst):
    warrant = WarrantFactory(reference="W-API")
    payload = seizure_payload(
        reference="API-1",
        warrant=warrant.pk,
        items=[("cocaine", "12.5", "g"), ("cannabis-plants", "30", "plants")],
    )
    response = analyst_client.post("/api/v1/seizures/", payload, content_type="application/json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total_value_pence"] == 75000 + 1_200_000
    assert [(i["drug"], i["quantity"], i["drug_class"], i["value_pence"]) for i in body["items"]] == [
        ("cocaine", "12.500", "A", 75000),
        ("cannabis-plants", "30.000", "B", 1_200_000),
    ]
    assert body["items"][0]["price_text"].startswith(
        "£60.00 per gram from the alliance default: Alliance default street price table, April 2023"
    )
    seizure = Seizure.objects.get(reference="API-1")
    assert seizure.warrant == warrant
    assert seizure.history.get().history_user == analyst


def test_update_replaces_items_keeping_the_ones_named_by_id(analyst_client):
    seizure = SeizureFactory(items=[item("cocaine", 10, "g"), item("heroin", 1, "g")])
    cocaine, heroin = seizure.items.order_by("pk")
    response = analyst_client.put(
        f"/api/v1/seizures/{seizure.pk}/",
        seizure_payload(reference=seizure.reference, items=[])
        | {
            "items": [
                {"id": cocaine.pk, "drug": "cocaine", "quantity": "20", "unit": "g"},
                {"drug": "ketamine", "quantity": "3", "unit": "g"},
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert [(i["drug"], i["value_pence"]) for i in response.json()["items"]] == [
        ("cocaine", 120000),
        ("ketamine", 7500),
    ]
    assert not seizure.items.filter(pk=heroin.pk).exists()
    assert seizure.items.get(pk=cocaine.pk).quantity == 20


def test_patch_changes_fields_without_touching_items(analyst_client):
    seizure = SeizureFactory(items=[item("cocaine", 10, "g")])
    response = analyst_client.patch(
        f"/api/v1/seizures/{seizure.pk}/", {"notes": "Sent for analysis"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["notes"] == "Sent for analysis"
    assert len(response.json()["items"]) == 1


def test_an_item_id_of_another_seizure_is_refused(analyst_client):
    mine, other = SeizureFactory(), SeizureFactory()
    response = analyst_client.patch(
        f"/api/v1/seizures/{mine.pk}/",
        {"items": [{"id": other.items.get().pk, "drug": "cocaine", "quantity": "1", "unit": "g"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["items"] == ["Item 1: not an item of this seizure"]


def test_reprice_through_the_api(analyst_client):
    seizure = SeizureFactory(seized_on=datetime.date(2025, 11, 1), items=[item("cocaine", 1, "g")])
    services.street_price_introduce(
        user=None,
        drug=drug("cocaine"),
        unit="g",
        price_per_unit_pence=7000,
        valid_from=datetime.date(2025, 10, 1),
        source="Revised table",
    )
    response = analyst_client.post(f"/api/v1/seizures/{seizure.pk}/reprice/")
    assert response.status_code == 200
    assert response.json()["items"][0]["value_pence"] == 7000


def test_lists_are_paginated(analyst_client):
    for _ in range(3):
        SeizureFactory()
    body = analyst_client.get("/api/v1/seizures/?page_size=2").json()
    assert body["count"] == 3 and "next" in body and len(body["results"]) == 3
    assert analyst_client.get("/api/v1/seizures/?page=9").status_code == 404

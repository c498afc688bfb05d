"""The analyst's pages: record a seizure with several items, change it, see what changed."""

import pytest

from seizures.models import Seizure, SeizureItem
from tests.factories.seizures import SeizureFactory, WarrantFactory, drug, item

from .helpers import seizure_form, warrant_form

pytestmark = pytest.mark.django_db


def test_add_another_item_keeps_what_was_typed_without_errors(analyst_client):
    data = seizure_form(reference="WK-S-9", items=[("cocaine", "5", "g")])
    data["add_item"] = "1"
    response = analyst_client.post("/seizures/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2
    assert 'value="WK-S-9"' in page
    assert "There is a problem" not in page
    assert not Seizure.objects.exists()


def test_record_a_seizure_of_two_drugs_under_a_warrant(analyst_client):
    WarrantFactory(reference="WK-W-7")
    data = seizure_form(
        reference="WK-S-10",
        warrant_reference="WK-W-7",
        postcode="cv34 4rl",
        items=[("cocaine", "5", "g"), ("herbal-cannabis", "1.25", "kg"), ("", "", "")],
    )
    response = analyst_client.post("/seizures/new/", data)

    assert response.status_code == 302, response.context and response.context["errors"].non_field_errors
    seizure = Seizure.objects.get(reference="WK-S-10")
    assert response["Location"] == f"/seizures/{seizure.pk}/"
    assert seizure.warrant.reference == "WK-W-7" and seizure.postcode == "CV34 4RL"
    assert sorted(seizure.items.values_list("drug__code", "value_pence")) == [
        ("cocaine", 30000),
        ("herbal-cannabis", 1_250_000),
    ]
    page = analyst_client.get(response["Location"]).content.decode()
    assert "Seizure WK-S-10 saved" in page and "£12,800.00" in page


def test_change_a_seizure_and_see_item_changes_in_its_history(analyst_client):
    seizure = SeizureFactory(reference="WK-S-11", items=[item("cocaine", 5, "g"), item("heroin", 1, "g")])
    cocaine, heroin = seizure.items.order_by("pk")
    data = seizure_form(reference="WK-S-11", place="Kitchen drawer", items=[])
    data.update(
        {
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "2",
            "items-0-id": str(cocaine.pk),
            "items-0-drug": str(drug("cocaine").pk),
            "items-0-quantity": "7",
            "items-0-unit": "g",
            "items-1-id": str(heroin.pk),
            "items-1-drug": str(drug("heroin").pk),
            "items-1-quantity": "1",
            "items-1-unit": "g",
            "items-1-DELETE": "on",
        }
    )
    response = analyst_client.post(f"/seizures/{seizure.pk}/edit/", data)

    assert response.status_code == 302
    assert list(SeizureItem.objects.filter(seizure=seizure).values_list("drug__code", "quantity")) == [
        ("cocaine", 7)
    ]
    page = analyst_client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert "Place description: Vehicle stop → Kitchen drawer" in page
    assert "Quantity: 5.000 → 7.000" in page
    assert "Item deleted: Heroin 1 g" in page and "Removed from the seizure" in page


def test_the_last_item_cannot_be_removed(analyst_client):
    seizure = SeizureFactory(items=[item("cocaine", 5, "g")])
    only = seizure.items.get()
    data = seizure_form(reference=seizure.reference, items=[])
    data.update(
        {
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": str(only.pk),
            "items-0-drug": str(drug("cocaine").pk),
            "items-0-quantity": "5",
            "items-0-unit": "g",
            "items-0-DELETE": "on",
        }
    )
    response = analyst_client.post(f"/seizures/{seizure.pk}/edit/", data)
    assert "Add at least one drug seized" in response.content.decode()
    assert seizure.items.count() == 1


def test_record_and_change_a_warrant(analyst_client):
    response = analyst_client.post("/warrants/new/", warrant_form(reference="WK-W-20"))
    assert response.status_code == 302
    page = analyst_client.get(response["Location"]).content.decode()
    assert "Warrant WK-W-20" in page and "Drugs found" in page
    warrant_url = response["Location"]
    response = analyst_client.post(warrant_url + "edit/", warrant_form(reference="WK-W-20", arrests=4))
    assert response.status_code == 302
    assert "Arrests: 1 → 4" in analyst_client.get(warrant_url).content.decode()


def test_the_street_price_page_explains_the_plant_yield(analyst_client):
    page = analyst_client.get("/street-prices/?drug=cannabis-plants").content.decode()
    assert "40 g of cannabis per plant, valued at the herbal cannabis price" in page
    assert "2012 sentencing guideline assumes 40 grams" in page

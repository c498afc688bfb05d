"""The rows of a seizure's items: only a saved item has a "Remove this item" box, and "Add
another item" comes back with the focus on the new row."""

import re

import pytest

from seizures.models import Seizure
from tests.factories.seizures import SeizureFactory, drug, item

from .helpers import seizure_form

pytestmark = pytest.mark.django_db


def remove_boxes(page):
    return re.findall(r'name="(items-\d+)-DELETE"', page)


def autofocused(page):
    return re.findall(r'<[^>]*\bautofocus\b[^>]*\bid="([^"]+)"|<[^>]*\bid="([^"]+)"[^>]*\bautofocus\b', page)


def test_a_new_seizure_offers_no_remove_box(analyst_client):
    page = analyst_client.get("/seizures/new/").content.decode()
    assert 'name="items-0-drug"' in page
    assert remove_boxes(page) == []
    assert "Remove this item" not in page
    assert autofocused(page) == []


def test_add_another_item_puts_the_focus_on_the_new_row_which_has_no_remove_box(analyst_client):
    data = seizure_form(reference="WK-S-9", items=[("cocaine", "5", "g")], add_item="1")
    page = analyst_client.post("/seizures/new/", data).content.decode()

    assert 'id="item-2"' in page and "Item 2" in page
    assert [found for pair in autofocused(page) for found in pair if found] == ["id_items-1-drug"]
    assert remove_boxes(page) == []
    assert not Seizure.objects.exists()


def test_a_changed_seizure_offers_a_remove_box_for_each_saved_item_only(analyst_client):
    seizure = SeizureFactory(items=[item("cocaine", 5, "g"), item("heroin", 1, "g")])
    page = analyst_client.get(f"/seizures/{seizure.pk}/edit/").content.decode()
    assert remove_boxes(page) == ["items-0", "items-1"]
    assert 'name="items-2-drug"' in page  # the blank row for another drug

    saved = list(seizure.items.order_by("pk"))
    data = seizure_form(reference=seizure.reference, items=[], add_item="1")
    data.update({"items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "2"})
    for number, (saved_item, code) in enumerate(zip(saved, ("cocaine", "heroin"), strict=True)):
        data.update(
            {
                f"items-{number}-id": str(saved_item.pk),
                f"items-{number}-drug": str(drug(code).pk),
                f"items-{number}-quantity": str(saved_item.quantity),
                f"items-{number}-unit": "g",
            }
        )
    page = analyst_client.post(f"/seizures/{seizure.pk}/edit/", data).content.decode()
    assert remove_boxes(page) == ["items-0", "items-1"]
    assert [found for pair in autofocused(page) for found in pair if found] == ["id_items-2-drug"]


def test_a_remove_box_sent_for_a_new_row_saves_nothing_of_it_and_fails_nothing(analyst_client):
    """A hand-made request ticking a box the page never offered: the row has no such field, so
    the new item is saved as any new row is."""
    data = seizure_form(reference="WK-S-12", items=[("cocaine", "5", "g")])
    data["items-0-DELETE"] = "on"
    response = analyst_client.post("/seizures/new/", data)
    assert response.status_code == 302
    assert list(Seizure.objects.get().items.values_list("drug__code", flat=True)) == ["cocaine"]

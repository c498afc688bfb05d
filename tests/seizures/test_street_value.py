"""Street value: priced at the seizure date, stored with the price used, re-priced only on request."""

import datetime
from decimal import Decimal

import pytest

from seizures import services
from seizures.models import StreetPrice
from tests.factories.seizures import SeizureFactory, drug, item

pytestmark = pytest.mark.django_db

NEW_TABLE = "Warwickshire Police price table, October 2025"


def introduce_cocaine_price(pence, valid_from, user=None):
    return services.street_price_introduce(
        user=user,
        drug=drug("cocaine"),
        unit="g",
        price_per_unit_pence=pence,
        valid_from=valid_from,
        source=NEW_TABLE,
    )


def test_a_mid_year_price_change_leaves_earlier_seizures_alone_and_prices_later_ones(analyst_client, analyst):
    before = SeizureFactory(seized_on=datetime.date(2025, 6, 1), items=[item("cocaine", 10, "g")])
    introduce_cocaine_price(8000, datetime.date(2025, 10, 1), user=analyst)
    after = SeizureFactory(seized_on=datetime.date(2025, 11, 1), items=[item("cocaine", 10, "g")])

    earlier_item, later_item = before.items.get(), after.items.get()
    assert earlier_item.value_pence == 60000  # 10 g at the initial £60.00 a gram
    assert later_item.value_pence == 80000  # 10 g at the new £80.00 a gram
    assert later_item.price.source == NEW_TABLE

    page = analyst_client.get(f"/seizures/{before.pk}/").content.decode()
    assert "£600.00" in page
    assert (
        "priced at £60.00 per gram from the alliance default: Alliance default street price table, April 2023"
        in page
    )
    page = analyst_client.get(f"/seizures/{after.pk}/").content.decode()
    assert "£800.00" in page
    assert f"priced at £80.00 per gram from the alliance default: {NEW_TABLE}" in page


def test_a_price_corrected_for_a_past_date_changes_nothing_until_an_analyst_re_prices(
    analyst_client, analyst
):
    seizure = SeizureFactory(seized_on=datetime.date(2025, 11, 1), items=[item("cocaine", 10, "g")])
    introduce_cocaine_price(7000, datetime.date(2025, 10, 1), user=analyst)
    assert seizure.items.get().value_pence == 60000

    preview = analyst_client.get(f"/seizures/{seizure.pk}/reprice/").content.decode()
    assert "£600.00" in preview and "£700.00" in preview
    response = analyst_client.post(f"/seizures/{seizure.pk}/reprice/")

    assert response.status_code == 302
    stored = seizure.items.get()
    assert (stored.value_pence, stored.price_per_unit_pence, stored.price.source) == (70000, 7000, NEW_TABLE)
    page = analyst_client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert "Re-priced at the street prices in force on 1 November 2025: 1 item(s) changed" in page
    assert "Street value (pence): 60000 → 70000" in page


def test_the_stored_price_survives_an_edit_to_the_old_price_row(analyst):
    seizure = SeizureFactory(items=[item("heroin", 2, "g")])
    price = StreetPrice.objects.get(drug__code="heroin", unit="g", valid_to__isnull=True)
    StreetPrice.objects.filter(pk=price.pk).update(price_per_unit_pence=1)  # someone edits the table in place

    stored = seizure.items.get()
    assert (stored.value_pence, stored.price_per_unit_pence) == (10000, 5000)


def test_kilograms_are_priced_from_the_gram_street_deal():
    seizure = SeizureFactory(items=[item("herbal-cannabis", "1.5", "kg")])
    assert seizure.items.get().value_pence == 1_500_000  # 1,500 g at £10.00


def test_cannabis_plants_show_the_yield_the_price_assumes(analyst_client):
    seizure = SeizureFactory(items=[item("cannabis-plants", 25, "plants")])
    assert seizure.items.get().value_pence == 25 * 40000
    page = analyst_client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert "£400.00 per plant: 40 g of cannabis per plant" in page


def test_a_changed_quantity_keeps_the_price_it_was_valued_at(analyst):
    seizure = SeizureFactory(seized_on=datetime.date(2025, 11, 1), items=[item("cocaine", 10, "g")])
    introduce_cocaine_price(9000, datetime.date(2025, 10, 1))
    existing = seizure.items.get()

    services.seizure_update(
        seizure=seizure, user=analyst, items=[{"id": existing.pk, **item("cocaine", 20, "g")}]
    )

    existing.refresh_from_db()
    assert (existing.value_pence, existing.price_per_unit_pence) == (120000, 6000)


def test_a_changed_date_prices_afresh_and_an_item_without_a_price_is_stored_unvalued(analyst):
    seizure = SeizureFactory(seized_on=datetime.date(2025, 6, 1), items=[item("cocaine", 1, "g")])
    introduce_cocaine_price(9000, datetime.date(2025, 10, 1))
    services.seizure_update(seizure=seizure, user=analyst, seized_on=datetime.date(2025, 10, 2))
    assert seizure.items.get().value_pence == 9000

    StreetPrice.objects.filter(drug__code="lsd").delete()
    unpriced = SeizureFactory(items=[item("lsd", 3, "doses")]).items.get()
    assert (unpriced.value_pence, unpriced.price) == (None, None)
    assert unpriced.price_text.startswith("Not priced")


def test_a_new_price_closes_the_previous_one_the_day_before():
    new = introduce_cocaine_price(8000, datetime.date(2025, 10, 1))
    old = StreetPrice.objects.get(drug__code="cocaine", unit="g", valid_from=datetime.date(2023, 4, 1))
    assert old.valid_to == datetime.date(2025, 9, 30)
    assert new.valid_to is None
    assert old.history.first().history_change_reason == "Replaced from 01 October 2025"


def test_value_rounds_to_the_nearest_penny():
    seizure = SeizureFactory(items=[item("cocaine", "0.001", "g")])  # 6p a milligram
    assert seizure.items.get().value_pence == 6
    assert Decimal(seizure.items.get().quantity) == Decimal("0.001")


def _admin_form(price, **changes):
    data = {
        "drug": price.drug_id,
        "unit": price.unit,
        "price_per_unit_pence": price.price_per_unit_pence,
        "valid_from": price.valid_from.isoformat(),
        "valid_to": price.valid_to.isoformat() if price.valid_to else "",
        "source": price.source,
        "yield_grams_per_plant": price.yield_grams_per_plant or "",
    }
    return {**data, **changes}


def test_a_price_added_in_the_admin_ends_the_one_it_replaces(administrator_client, administrator):
    current = StreetPrice.objects.get(drug__code="cocaine", unit="g", valid_to__isnull=True)
    response = administrator_client.post(
        "/admin/seizures/streetprice/add/",
        _admin_form(current, price_per_unit_pence="9000", valid_from="2026-01-01", source=NEW_TABLE),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    new = StreetPrice.objects.get(drug__code="cocaine", unit="g", valid_from=datetime.date(2026, 1, 1))
    current.refresh_from_db()
    assert new.price_per_unit_pence == 9000 and new.valid_to is None
    assert current.valid_to == datetime.date(2025, 12, 31)
    ended = current.history.latest()
    assert ended.history_user == administrator
    assert ended.history_change_reason == "Replaced from 01 January 2026"
    assert new.history.latest().history_user == administrator


def test_a_price_corrected_in_the_admin_is_audited_with_a_reason(administrator_client, administrator):
    current = StreetPrice.objects.get(drug__code="cocaine", unit="g", valid_to__isnull=True)
    response = administrator_client.post(
        f"/admin/seizures/streetprice/{current.pk}/change/",
        _admin_form(current, source="Warwickshire Police price table, corrected"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    current.refresh_from_db()
    assert current.source == "Warwickshire Police price table, corrected"
    latest = current.history.latest()
    assert latest.history_user == administrator and latest.history_change_reason == "Corrected"


def test_an_overlapping_price_in_the_admin_is_refused_with_the_message(administrator_client):
    current = StreetPrice.objects.get(drug__code="cocaine", unit="g", valid_to__isnull=True)
    earlier = _admin_form(
        current, valid_from=(current.valid_from - datetime.timedelta(days=30)).isoformat(), valid_to=""
    )
    response = administrator_client.post("/admin/seizures/streetprice/add/", earlier)
    assert response.status_code == 200
    assert (
        "This period overlaps the alliance default&#x27;s price of Cocaine per gram "
        "from 1 January 2000 to 31 March 2023" in response.content.decode()
    )
    assert StreetPrice.objects.filter(drug__code="cocaine", unit="g").count() == 2  # April 2023, carried back

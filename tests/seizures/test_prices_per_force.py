"""Street prices per force over the alliance default; plants valued by yield or by weight at the
herbal cannabis price; ecstasy by weight; drugs not controlled on the date refused (form, API,
import); the Home Office's remaining categories; who may enter prices."""

import datetime
from decimal import Decimal

import pytest

from geography.models import Force
from seizures import services
from seizures.models import Drug, StreetPrice
from tests.factories.imports import csv_bytes, import_bytes
from tests.factories.seizures import SeizureFactory, drug, item

from .helpers import seizure_form, seizure_payload

pytestmark = pytest.mark.django_db

APRIL_2024 = datetime.date(2024, 4, 1)


def west_mercia():
    return Force.objects.get(name="West Mercia")


def warwickshire():
    return Force.objects.get(name="Warwickshire")


def worcester_seizure(day, items):
    force = west_mercia()
    return SeizureFactory(force=force, area=force.areas.get(name="Worcester"), seized_on=day, items=items)


def introduce(code, unit, *, force=None, pence=None, grams=None, valid_from=APRIL_2024, user=None):
    return services.street_price_introduce(
        user=user,
        force=force,
        drug=drug(code),
        unit=unit,
        price_per_unit_pence=pence,
        yield_grams_per_plant=grams,
        valid_from=valid_from,
        source=f"Test table for {code}",
    )


# --- per force, the alliance default beneath ------------------------------------------------


def test_a_forces_own_row_wins_from_the_day_it_starts_and_the_default_prices_every_other_case(manager):
    own = introduce("cocaine", "g", force=west_mercia(), pence=7000, user=manager)

    day_before = worcester_seizure(APRIL_2024 - datetime.timedelta(days=1), [item("cocaine", 1, "g")])
    first_day = worcester_seizure(APRIL_2024, [item("cocaine", 1, "g")])
    other_force = SeizureFactory(seized_on=APRIL_2024, items=[item("cocaine", 1, "g")])  # Warwickshire

    assert day_before.items.get().value_pence == 6000  # the alliance default, £60 a gram
    assert (first_day.items.get().value_pence, first_day.items.get().price) == (7000, own)
    assert other_force.items.get().value_pence == 6000
    assert (own.entered_by, own.force) == (manager, west_mercia())
    # A force's row replaces only its own table's: the default's row stays in force.
    assert StreetPrice.objects.get(
        drug__code="cocaine", force__isnull=True, valid_to__isnull=True
    ).valid_from == (datetime.date(2023, 4, 1))


def test_a_force_row_overlapping_another_of_its_table_is_refused_but_not_one_of_the_default(manager):
    introduce("heroin", "g", force=warwickshire(), pence=5500, valid_from=datetime.date(2024, 1, 1))
    with pytest.raises(Exception) as refused:
        services.street_price_introduce(
            user=manager,
            force=warwickshire(),
            drug=drug("heroin"),
            unit="g",
            price_per_unit_pence=5200,
            valid_from=datetime.date(2023, 6, 1),
            valid_to=datetime.date(2024, 6, 1),
            source="Overlapping",
        )
    assert "overlaps the Warwickshire table's price of Heroin per gram from 1 January 2024" in str(
        refused.value
    )


def test_the_seeded_rows_are_dated_as_labelled_and_their_figures_carried_back_before():
    cocaine = list(
        StreetPrice.objects.filter(drug__code="cocaine", unit="g")
        .order_by("valid_from")
        .values_list("valid_from", "valid_to", "price_per_unit_pence", "source", "force")
    )
    assert cocaine == [
        (
            datetime.date(2000, 1, 1),
            datetime.date(2023, 3, 31),
            6000,
            "Alliance default: the April 2023 figures carried back, no earlier table recorded (illustrative)",
            None,
        ),
        (
            datetime.date(2023, 4, 1),
            None,
            6000,
            "Alliance default street price table, April 2023 (illustrative)",
            None,
        ),
    ]
    plants = StreetPrice.objects.get(drug__code="cannabis-plants", valid_to__isnull=True)
    assert (plants.price_per_unit_pence, plants.yield_grams_per_plant) == (None, Decimal(40))
    # A seizure of 2019 is priced by the carried-back row, which says so.
    old = SeizureFactory(seized_on=datetime.date(2019, 5, 1), items=[item("cocaine", 1, "g")]).items.get()
    assert old.price.valid_to == datetime.date(2023, 3, 31) and "carried back" in old.price_text


# --- cannabis plants -------------------------------------------------------------------------


def test_544_kg_of_cannabis_plants_is_recorded_by_weight_and_valued_at_the_herbal_price(analyst_client):
    response = analyst_client.post(
        "/seizures/new/",
        seizure_form(items=(("cannabis-plants", "544", "kg"),), reference="WK-FARM-1"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plants = Drug.objects.get(code="cannabis-plants").seizure_items.get()
    assert (plants.quantity, plants.unit, plants.plant_yield) == (544, "kg", None)
    assert plants.value_pence == 544_000 * 1000  # 544,000 g at £10.00 a gram of herbal cannabis
    assert plants.price.drug.code == "herbal-cannabis"
    page = analyst_client.get(plants.seizure.get_absolute_url()).content.decode()
    assert "£5,440,000.00" in page and "by weight at £10.00 per gram of herbal cannabis" in page


def test_plants_counted_are_valued_at_the_yield_times_the_herbal_price_in_force_and_shown(analyst_client):
    counted = SeizureFactory(
        seized_on=datetime.date(2025, 6, 1), items=[item("cannabis-plants", 25, "plants")]
    )
    plants = counted.items.get()
    assert (plants.price_per_unit_pence, plants.value_pence) == (40 * 1000, 25 * 40 * 1000)
    page = analyst_client.get(counted.get_absolute_url()).content.decode()
    assert "£400.00 per plant: 40 g of cannabis per plant" in page
    assert "at £10.00 per gram of herbal cannabis" in page

    # A force's own yield (28 g, the lower figure courts have used) and herbal price.
    introduce("cannabis-plants", "plants", force=west_mercia(), grams=Decimal(28))
    introduce("herbal-cannabis", "g", force=west_mercia(), pence=1100)
    worcester = worcester_seizure(
        datetime.date(2025, 6, 1), [item("cannabis-plants", 10, "plants")]
    ).items.get()
    assert (worcester.price_per_unit_pence, worcester.value_pence) == (28 * 1100, 10 * 28 * 1100)


def test_plants_weighed_and_counted_keep_the_count_and_are_valued_by_weight(analyst):
    both = SeizureFactory(
        items=[{**item("cannabis-plants", "12.5", "kg"), "plant_count": 60}], user=analyst
    ).items.get()
    assert (both.plant_count, both.value_pence) == (60, 12_500 * 1000)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {**{"code": "cocaine", "quantity": "5", "unit": "g"}, "plant_count": "3"},
            "Only cannabis plants are counted",
        ),
        (
            {**{"code": "cannabis-plants", "quantity": "5", "unit": "plants"}, "plant_count": "3"},
            "Give the number of plants as the quantity, or record their weight and the count",
        ),
        ({**{"code": "cannabis-plants", "quantity": "5", "unit": "kg"}, "plant_count": "0"}, "greater than"),
    ],
    ids=["count beside cocaine", "count beside a count", "no plants"],
)
def test_a_plant_count_where_it_does_not_belong_is_refused_in_the_form_and_the_api(
    analyst_client, spec, message
):
    form = seizure_form(items=((spec["code"], spec["quantity"], spec["unit"]),))
    form["items-0-plant_count"] = spec["plant_count"]
    response = analyst_client.post("/seizures/new/", form)
    assert response.status_code == 200 and message in response.content.decode()

    payload = seizure_payload(items=((spec["code"], spec["quantity"], spec["unit"]),))
    payload["items"][0]["plant_count"] = int(spec["plant_count"])
    response = analyst_client.post("/api/v1/seizures/", payload, content_type="application/json")
    assert response.status_code == 400 and message in str(response.json())


def test_ecstasy_may_be_recorded_by_weight_and_is_unpriced_until_a_gram_price_exists(analyst):
    powder = SeizureFactory(items=[item("ecstasy", "3.5", "g")]).items.get()
    assert (powder.value_pence, powder.drug_class) == (None, "A")
    introduce("ecstasy", "g", pence=4000, valid_from=datetime.date(2025, 1, 1))
    priced = SeizureFactory(items=[item("ecstasy", "3.5", "g")]).items.get()
    assert priced.value_pence == 14000
    tablets = SeizureFactory(items=[item("ecstasy", 10, "doses")]).items.get()
    assert tablets.value_pence == 10000


# --- the catalogue -----------------------------------------------------------------------------


def test_the_home_office_categories_are_in_the_catalogue_in_its_order():
    codes = list(Drug.objects.values_list("code", flat=True))
    for code in ("other-class-a", "other-class-b", "other-class-c", "other-cannabis", "unknown"):
        assert code in codes
    assert codes.index("morphine") < codes.index("other-class-a") < codes.index("herbal-cannabis")
    assert codes[-1] == "unknown"
    unknown = SeizureFactory(seized_on=datetime.date(2025, 6, 1), items=[item("unknown", 4, "g")]).items.get()
    assert (unknown.drug_class, unknown.value_pence) == ("", None)  # no class, no price: counted apart
    other_a = SeizureFactory(items=[item("other-class-a", 2, "doses")]).items.get()
    assert other_a.drug_class == "A"


# --- not controlled on the date -------------------------------------------------------------

REFUSAL = "Mephedrone was not a controlled drug on 15 April 2010 (controlled from 16 April 2010)"


def test_mephedrone_before_16_april_2010_is_refused_in_the_form_and_accepted_from_that_day(analyst_client):
    refused = analyst_client.post(
        "/seizures/new/",
        seizure_form(items=(("mephedrone", "3", "g"),), seized_on=datetime.date(2010, 4, 15)),
    )
    assert refused.status_code == 200
    assert REFUSAL in refused.content.decode()
    accepted = analyst_client.post(
        "/seizures/new/",
        seizure_form(items=(("mephedrone", "3", "g"),), seized_on=datetime.date(2010, 4, 16)),
    )
    assert accepted.status_code == 302
    assert drug("mephedrone").seizure_items.get().drug_class == "B"


def test_a_drug_not_controlled_on_the_date_is_a_400_in_the_api_and_a_moved_date_is_refused_too(
    analyst_client, analyst
):
    response = analyst_client.post(
        "/api/v1/seizures/",
        seizure_payload(items=(("mephedrone", "3", "g"),), seized_on="2010-04-15"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert REFUSAL in str(response.json()["items"])

    seizure = SeizureFactory(seized_on=datetime.date(2010, 5, 1), items=[item("mephedrone", 3, "g")])
    response = analyst_client.patch(
        f"/api/v1/seizures/{seizure.pk}/", {"seized_on": "2010-04-15"}, content_type="application/json"
    )
    assert response.status_code == 400 and REFUSAL in str(response.json())
    seizure.refresh_from_db()
    assert seizure.seized_on == datetime.date(2010, 5, 1)


def test_a_drug_not_controlled_on_the_date_refuses_the_import_row(analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    header = ["Reference", "Date seized", "Force", "District", "Place", "Drug", "Quantity", "Unit"]
    rows = [
        ["OLD-1", "2010-04-15", "Warwickshire", "Rugby", "House", "mephedrone", "3", "g"],
        ["OLD-1", "2010-04-15", "Warwickshire", "Rugby", "House", "cocaine", "1", "g"],
    ]
    batch = import_bytes("old.csv", csv_bytes(header, rows), "seizures", user=analyst)
    assert batch.status == "refused"
    assert any(f"Row 2: {REFUSAL}" in reason for problem in batch.row_errors for reason in problem["reasons"])
    rows = [[cell.replace("2010-04-15", "2010-04-16") for cell in row] for row in rows]
    assert import_bytes("new.csv", csv_bytes(header, rows), "seizures", user=analyst).status == "done"


# --- who may enter prices ---------------------------------------------------------------------


def price_form(**changes):
    return {
        "force": str(west_mercia().pk),
        "drug": str(drug("cocaine").pk),
        "unit": "g",
        "price_pounds": "70.00",
        "yield_grams_per_plant": "",
        "valid_from_0": "1",
        "valid_from_1": "4",
        "valid_from_2": "2025",
        "valid_to_0": "",
        "valid_to_1": "",
        "valid_to_2": "",
        "source": "West Mercia drugs expert, April 2025",
        **changes,
    }


def test_a_manager_adds_a_force_price_and_is_offered_to_re_price_what_it_affects(manager_client, manager):
    worcester_seizure(datetime.date(2025, 5, 1), [item("cocaine", 2, "g")])
    response = manager_client.post("/street-prices/new/", price_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    price = StreetPrice.objects.get(force=west_mercia(), drug__code="cocaine")
    assert (price.price_per_unit_pence, price.entered_by) == (7000, manager)
    page = manager_client.get(response.url).content.decode()
    assert "West Mercia table" in page and "1 item</strong>" in page and "Re-price 1 item" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price_pounds": ""}, "Enter a price greater than 0, in pence"),
        ({"price_pounds": "ten"}, "Enter a number"),
        (
            {"drug": "", "unit": "plants", "price_pounds": "400"},
            "Select the drug",
        ),
        ({"valid_from_0": "31", "valid_from_1": "2"}, "day is out of range for month"),
    ],
    ids=["no price", "not a number", "no drug", "not a date"],
)
def test_bad_price_input_is_refused_on_the_form_with_a_message(manager_client, changes, message):
    response = manager_client.post("/street-prices/new/", price_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StreetPrice.objects.filter(force=west_mercia()).exists()


def test_a_plant_row_with_a_price_is_refused_with_the_reason(manager_client):
    plants = price_form(
        drug=str(drug("cannabis-plants").pk), unit="plants", price_pounds="400", yield_grams_per_plant="40"
    )
    response = manager_client.post("/street-prices/new/", plants)
    assert response.status_code == 200
    assert "Leave the price blank for plants" in response.content.decode()


def test_analysts_and_partners_may_not_enter_or_correct_prices_nor_start_a_re_pricing(
    analyst_client, partner_a
):
    price = StreetPrice.objects.get(drug__code="cocaine", force__isnull=True, valid_to__isnull=True)
    assert analyst_client.get("/street-prices/new/").status_code == 403
    assert analyst_client.post("/street-prices/new/", price_form()).status_code == 403
    assert analyst_client.post(f"/street-prices/{price.pk}/edit/", price_form()).status_code == 403
    assert analyst_client.post(f"/street-prices/{price.pk}/reprice/").status_code == 403
    page = analyst_client.get(f"/street-prices/{price.pk}/").content.decode()
    assert "Re-price" not in page and "Correct this row" not in page  # they read the tables
    analyst_client.force_login(partner_a)
    assert analyst_client.get(f"/street-prices/{price.pk}/").status_code == 403
    assert not StreetPrice.objects.filter(force__isnull=False).exists()

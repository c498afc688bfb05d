"""Every filter of the seizure and warrant lists, in the page and the API; and no user-facing
field without a filter."""

import datetime

import pytest
from django.db import models

from geography.models import Area
from seizures.filters import SeizureFilter, SiteFilter, WarrantFilter
from seizures.models import Seizure, SeizureItem, Site, Warrant
from tests.factories.seizures import SeizureFactory, SiteFactory, WarrantFactory, band, item

pytestmark = pytest.mark.django_db

# Fields deliberately without a filter of their own, and why.
UNFILTERED = {
    Seizure: {"notes": "free-text remarks, read on the record"},
    SeizureItem: {
        "quantity": "amounts in different units do not compare; filter by drug and unit, sort by value",
        "seizure": "the list is of seizures",
        "plant_count": "a count beside a weight: filter by drug (cannabis plants) and unit",
    },
    Warrant: {
        "notes": "free-text remarks, read on the record",
        "applied_on": "shown on the record; lists are dated by execution or issue",
        "other_property": "free-text list of what was seized, read on the record",
    },
    Site: {"notes": "free-text remarks, read on the record"},
}
# Which filter covers each field (when it is not the field's own name).
COVERED_BY = {
    Seizure: {"reference": "q", "seized_on": "date_from", "area": "area"},
    SeizureItem: {"value_pence": "unpriced", "drug_class": "drug_class"},
    Warrant: {
        "reference": "q",
        "dated_on": "date_from",
        "issued_on": "issued_from",
        "executed_on": "executed",
        "arrests": "min_arrests",
        "cash_seized_pence": "cash_seized",
    },
    Site: {
        "reference": "q",
        "discovered_on": "discovered_from",
        "closed_on": "date_from",
        "plants": "plants_min",
    },
}
FILTERSETS = {Seizure: SeizureFilter, SeizureItem: SeizureFilter, Warrant: WarrantFilter, Site: SiteFilter}
INTERNAL = {
    "id",
    "withdrawn_at",
    "withdrawn_by",
    "withdrawal_reason",
    "price",
    "plant_yield",
    "price_per_unit_pence",
    "priced_at",
}


@pytest.mark.parametrize("model", [Seizure, SeizureItem, Warrant, Site], ids=lambda m: m.__name__)
def test_every_user_facing_field_has_a_filter(model):
    filters = FILTERSETS[model].base_filters
    for field in model._meta.concrete_fields:
        if field.name in INTERNAL or field.name in UNFILTERED[model]:
            continue
        covering = COVERED_BY[model].get(field.name, field.name)
        assert covering in filters, f"{model.__name__}.{field.name} has no filter"


def listed(client, query, api=False):
    if api:
        response = client.get(f"/api/v1/seizures/?{query}")
        assert response.status_code == 200, response.getvalue()
        return {row["reference"] for row in response.json()["results"]}
    response = client.get(f"/seizures/?{query}&_export=csv")
    assert response.status_code == 200
    lines = response.getvalue().decode().splitlines()[1:]
    return {line.split(",")[0] for line in lines}


@pytest.fixture
def seizures(db):
    rugby, worcester = Area.objects.get(name="Rugby"), Area.objects.get(name="Worcester")
    warrant = WarrantFactory(
        reference="W-1",
        force=rugby.force,
        area=rugby,
        issued_on=datetime.date(2025, 4, 8),
        executed_on=datetime.date(2025, 4, 10),
    )
    farm = SiteFactory(reference="F-1", force=worcester.force, area=worcester, plants=40)
    SeizureFactory(
        reference="RUGBY-COKE",
        seized_on=datetime.date(2025, 4, 10),
        area=rugby,
        force=rugby.force,
        place="Vehicle stop on the A45",
        postcode="CV21 2DP",
        warrant=warrant,
        items=[item("cocaine", 10, "g"), item("herbal-cannabis", 5, "g")],
    )
    SeizureFactory(
        reference="WORC-PLANTS",
        seized_on=datetime.date(2025, 5, 20),
        area=worcester,
        force=worcester.force,
        place="Loft of a house",
        site=farm,
        items=[item("cannabis-plants", 40, "plants")],
    )
    SeizureFactory(
        reference="RUGBY-PILLS",
        seized_on=datetime.date(2025, 6, 1),
        area=rugby,
        force=rugby.force,
        place="Night-time venue",
        items=[item("ecstasy", 3, "doses")],
    )
    return {"rugby": rugby, "worcester": worcester, "warrant": warrant, "site": farm}


ALL = {"RUGBY-COKE", "WORC-PLANTS", "RUGBY-PILLS"}


def seizure_cases(seizures):
    rugby, worcester, warrant = seizures["rugby"], seizures["worcester"], seizures["warrant"]
    return [
        ("", ALL),
        ("q=coke", {"RUGBY-COKE"}),
        ("date_from=2025-05-20", {"WORC-PLANTS", "RUGBY-PILLS"}),
        ("date_to=2025-05-20", {"RUGBY-COKE", "WORC-PLANTS"}),
        ("date_from=2025-05-01&date_to=2025-05-31", {"WORC-PLANTS"}),
        (f"force={rugby.force_id}", {"RUGBY-COKE", "RUGBY-PILLS"}),
        (f"force={rugby.force_id}&force={worcester.force_id}", ALL),
        (f"area={worcester.pk}", {"WORC-PLANTS"}),
        (f"partnership={rugby.partnership_id}", {"RUGBY-COKE", "RUGBY-PILLS"}),
        ("drug=cocaine", {"RUGBY-COKE"}),
        ("drug=herbal-cannabis&drug=cannabis-plants", {"RUGBY-COKE", "WORC-PLANTS"}),
        ("drug_class=A", {"RUGBY-COKE", "RUGBY-PILLS"}),
        ("drug_class=B", {"RUGBY-COKE", "WORC-PLANTS"}),
        ("drug_class=C", set()),
        ("unit=plants", {"WORC-PLANTS"}),
        ("measure=weight", {"RUGBY-COKE"}),
        ("measure=doses&measure=plants", {"WORC-PLANTS", "RUGBY-PILLS"}),
        ("min_value=500", {"RUGBY-COKE", "WORC-PLANTS"}),  # £650 and £16,000; pills £30
        ("min_value=1000", {"WORC-PLANTS"}),
        ("place=loft", {"WORC-PLANTS"}),
        ("postcode=cv21", {"RUGBY-COKE"}),
        ("has_warrant=true", {"RUGBY-COKE"}),
        ("has_warrant=false", {"WORC-PLANTS", "RUGBY-PILLS"}),
        (f"warrant={warrant.pk}", {"RUGBY-COKE"}),
        (f"site={seizures['site'].pk}", {"WORC-PLANTS"}),
    ]


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_each_seizure_filter(analyst_client, seizures, api):
    for query, expected in seizure_cases(seizures):
        assert listed(analyst_client, query, api=api) == expected, query


def test_the_filter_panel_lists_what_is_chosen_and_a_bad_filter_lists_nothing(analyst_client, seizures):
    page = analyst_client.get("/seizures/?drug=cocaine&date_from=2025-01-01").getvalue().decode()
    assert "Selected filters" in page and "Cocaine" in page
    page = analyst_client.get("/seizures/?date_from=not-a-date").getvalue().decode()
    assert "Enter a valid date" in page and "RUGBY-COKE" not in page


def test_each_warrant_filter(analyst_client):
    rugby, worcester = Area.objects.get(name="Rugby"), Area.objects.get(name="Worcester")
    WarrantFactory(reference="FOUND", area=rugby, force=rugby.force, arrests=3)
    WarrantFactory(
        reference="EMPTY",
        area=worcester,
        force=worcester.force,
        issued_on=datetime.date(2025, 7, 1),
        executed_on=datetime.date(2025, 7, 2),
        result="nothing_found",
        arrests=0,
    )
    WarrantFactory(
        reference="UNUSED",
        area=rugby,
        force=rugby.force,
        issued_on=datetime.date(2025, 8, 1),
        executed_on=None,
        result="not_executed",
        arrests=0,
    )
    cases = [
        ("", {"FOUND", "EMPTY", "UNUSED"}),
        ("q=emp", {"EMPTY"}),
        ("date_from=2025-07-01", {"EMPTY", "UNUSED"}),  # executed 2 July; not executed, issued 1 August
        ("date_to=2025-07-01", {"FOUND"}),
        ("issued_from=2025-07-01&issued_to=2025-07-31", {"EMPTY"}),
        (f"force={rugby.force_id}", {"FOUND", "UNUSED"}),
        (f"area={worcester.pk}", {"EMPTY"}),
        (f"partnership={worcester.partnership_id}", {"EMPTY"}),
        ("result=drugs_found", {"FOUND"}),
        ("result=drugs_found&result=nothing_found", {"FOUND", "EMPTY"}),
        ("executed=true", {"FOUND", "EMPTY"}),
        ("executed=false", {"UNUSED"}),
        ("min_arrests=1", {"FOUND"}),
    ]
    for query, expected in cases:
        page_rows = analyst_client.get(f"/warrants/?{query}&_export=csv").getvalue().decode().splitlines()[1:]
        assert {line.split(",")[0] for line in page_rows} == expected, query
        api_rows = analyst_client.get(f"/api/v1/warrants/?{query}").json()["results"]
        assert {row["reference"] for row in api_rows} == expected, query


def test_street_price_and_drug_filters_in_the_api(analyst_client):
    prices = analyst_client.get("/api/v1/street-prices/?drug=cocaine&valid_on=2025-01-01").json()["results"]
    assert [(p["drug"], p["unit"], p["price_per_unit_pence"]) for p in prices] == [("cocaine", "g", 6000)]
    plants = analyst_client.get("/api/v1/street-prices/?unit=plants").json()["results"]
    assert plants[0]["yield_grams_per_plant"] == "40.0"
    drugs = analyst_client.get("/api/v1/drugs/?q=cannabis").json()["results"]
    assert {d["code"] for d in drugs} >= {"herbal-cannabis", "cannabis-resin", "cannabis-plants"}
    herbal = analyst_client.get("/api/v1/drugs/herbal-cannabis/").json()
    assert [c["drug_class"] for c in herbal["classifications"]] == ["B", "C", "B"]
    assert herbal["units"] == ["g", "kg"]


def test_filter_models_stay_in_step_with_the_contract():
    contract = {"date_from", "date_to", "force", "area", "partnership", "q"}
    assert contract | {"drug", "drug_class"} <= set(SeizureFilter.base_filters)
    assert contract | {"result"} <= set(WarrantFilter.base_filters)
    assert isinstance(Seizure._meta.get_field("seized_on"), models.DateField)


@pytest.fixture
def sites(db):
    rugby, worcester = Area.objects.get(name="Rugby"), Area.objects.get(name="Worcester")
    warrant = WarrantFactory(reference="W-9", force=rugby.force, area=rugby)
    return {
        "home": SiteFactory(
            reference="F-HOME", force=rugby.force, area=rugby, premises="residential", plants=8,
            size_band=None, postcode_sector="CV21 3", discovered_on=datetime.date(2025, 3, 1),
            closed_on=datetime.date(2025, 3, 2),
        ),
        "unit": SiteFactory(
            reference="F-UNIT", force=rugby.force, area=rugby, plants=1200, size_band=band(1),
            discovered_on=datetime.date(2025, 5, 6), warrant=warrant,
        ),
        "open": SiteFactory(
            reference="F-OPEN", force=worcester.force, area=worcester, premises="outdoor", plants=20,
            size_band=None, postcode_sector="WR1 1", discovered_on=datetime.date(2025, 6, 1), closed_on=None,
        ),
    }  # fmt: skip


SITE_CASES = [
    ("q", lambda s: "home", {"home"}),
    ("date_from", lambda s: "2025-04-01", {"unit"}),
    ("date_to", lambda s: "2025-04-01", {"home"}),
    ("discovered_from", lambda s: "2025-05-06", {"unit", "open"}),
    ("discovered_to", lambda s: "2025-05-06", {"home", "unit"}),
    ("closed", lambda s: "true", {"home", "unit"}),
    ("closed", lambda s: "false", {"open"}),
    ("force", lambda s: s["open"].force_id, {"open"}),
    ("area", lambda s: s["home"].area_id, {"home", "unit"}),
    ("partnership", lambda s: s["open"].area.partnership_id, {"open"}),
    ("size_band", lambda s: 4, {"home"}),
    ("size_band", lambda s: 3, {"open"}),
    ("size_band", lambda s: 1, {"unit"}),
    ("premises", lambda s: "outdoor", {"open"}),
    ("plants_min", lambda s: 20, {"unit", "open"}),
    ("postcode_sector", lambda s: "cv21 3", {"home"}),
    ("warrant", lambda s: s["unit"].warrant_id, {"unit"}),
]


@pytest.mark.parametrize(("parameter", "value", "expected"), SITE_CASES, ids=[c[0] for c in SITE_CASES])
@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_each_site_filter(analyst_client, sites, parameter, value, expected, api):
    query = {parameter: value(sites)}
    if api:
        response = analyst_client.get("/api/v1/cannabis-factories/", query)
        assert response.status_code == 200, response.content
        shown = {row["reference"] for row in response.json()["results"]}
    else:
        response = analyst_client.get("/cannabis-factories/", query)
        assert response.status_code == 200
        shown = {row.record.reference for row in response.context["table"].paginated_rows}
    assert shown == {sites[name].reference for name in expected}


def test_every_site_filter_is_tested():
    assert {case[0] for case in SITE_CASES} == set(SiteFilter.base_filters)

"""The Home Office annual seizure return: counted by the Home Office's rules, in its units, laid out
as its CSV, and equal to the dashboard's figures for the same year and force."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from core.periods import financial_year
from geography.models import Force
from seizures import services
from seizures.demo import load_demo_seizures
from seizures.models import Drug, DrugClassification
from seizures.returns import home_office_return
from strategy.facts import FactTable
from strategy.models import Fact, Indicator
from strategy.rollups import rollup_run
from strategy.scopes import Scope
from tests.factories import area
from tests.factories.seizures import SeizureFactory, item

pytestmark = pytest.mark.django_db

YEAR = 2024  # 2024-25: 1 April 2024 to 31 March 2025


def warwickshire():
    return Force.objects.get(name="Warwickshire")


@pytest.fixture
def year_of_seizures(analyst):
    # One seizure of cocaine and heroin: once in the total, once per drug, once in Class A.
    SeizureFactory(
        seized_on=datetime.date(2024, 4, 1),
        items=[item("cocaine", 250, "g"), item("heroin", 1, "kg")],
        user=analyst,
    )
    SeizureFactory(seized_on=datetime.date(2025, 3, 31), items=[item("cocaine", 500, "g")], user=analyst)
    SeizureFactory(
        seized_on=datetime.date(2024, 9, 9),
        items=[item("cannabis-plants", 40, "plants"), item("herbal-cannabis", 120, "g")],
        user=analyst,
    )
    SeizureFactory(seized_on=datetime.date(2024, 10, 1), items=[item("ecstasy", 30, "doses")], user=analyst)
    SeizureFactory(seized_on=datetime.date(2024, 11, 2), items=[item("methadone", 250, "ml")], user=analyst)
    # Outside the return: the days either side of the year, another force, a withdrawn seizure.
    SeizureFactory(seized_on=datetime.date(2024, 3, 31), items=[item("cocaine", 9, "g")], user=analyst)
    SeizureFactory(seized_on=datetime.date(2025, 4, 1), items=[item("cocaine", 9, "g")], user=analyst)
    SeizureFactory(
        seized_on=datetime.date(2024, 6, 1),
        force=Force.objects.get(name="West Mercia"),
        area=area("Worcester"),
        items=[item("cocaine", 9, "g")],
        user=analyst,
    )
    withdrawn = SeizureFactory(
        seized_on=datetime.date(2024, 6, 1), items=[item("cocaine", 9, "g")], user=analyst
    )
    services.seizure_withdraw(seizure=withdrawn, user=analyst, reason="Recorded twice")


def test_the_return_counts_by_the_home_office_rules_in_its_units(year_of_seizures):
    the_return = home_office_return(year=YEAR, force=warwickshire())
    assert the_return.total == 5
    cocaine = the_return.row(drug="cocaine", drug_class="A")
    assert (cocaine.seizures, cocaine.quantity, cocaine.unit) == (2, Decimal("0.75"), "kg")
    heroin = the_return.row(drug="heroin")
    assert (heroin.seizures, heroin.quantity) == (1, Decimal("1"))
    # The cocaine-and-heroin seizure counts once in Class A: 2 + 1 drug counts, 4 Class A seizures.
    assert the_return.row(drug_class="A").seizures == 4
    assert the_return.row(drug_class="B").seizures == 1
    assert the_return.row(drug_class="C").seizures == 0
    plants = the_return.row(drug="cannabis-plants")
    assert (plants.seizures, plants.quantity, plants.unit) == (1, Decimal(40), "plants")
    assert the_return.row(drug="herbal-cannabis").quantity == Decimal("0.12")
    assert the_return.row(drug="ecstasy").quantity == Decimal(30)
    # Methadone is returned in doses; 250 ml does not convert, so it is shown beside the row.
    methadone = the_return.row(drug="methadone")
    assert (methadone.seizures, methadone.quantity, methadone.other_units) == (
        1,
        Decimal(0),
        {"ml": Decimal(250)},
    )
    # Every drug that held a class in the year is listed, seized or not; the catalogue's
    # "Unknown" (no class) has its own part after the classes.
    assert the_return.row(drug="temazepam", drug_class="C").seizures == 0
    assert the_return.row(drug="unknown", drug_class="").seizures == 0
    assert [row.label for row in the_return.rows if row.kind != "drug"] == [
        "Total Class A",
        "Total Class B",
        "Total Class C",
        "Total Class not known",
        "All drugs",
    ]


def test_a_new_catalogue_entry_falls_into_the_return_without_code(year_of_seizures, analyst):
    other = Drug.objects.create(
        code="new-substance-a", name="New substance", measured_by="mass", reporting_unit="kg", display_order=8
    )
    DrugClassification.objects.create(drug=other, drug_class="A", valid_from=datetime.date(1973, 7, 1))
    unknown = Drug.objects.create(
        code="unidentified", name="Unidentified", measured_by="mass", reporting_unit="kg", display_order=99
    )
    SeizureFactory(seized_on=datetime.date(2024, 5, 5), items=[item("new-substance-a", 2, "g")], user=analyst)
    the_return = home_office_return(year=YEAR, force=warwickshire())
    assert the_return.row(drug="new-substance-a", drug_class="A").quantity == Decimal("0.002")
    assert the_return.row(drug_class="A").seizures == 5
    # A drug with no class: its own part of the return, after the classes (the Home Office's "Unknown").
    assert the_return.row(drug=unknown.code, drug_class="").seizures == 0
    assert [row.label for row in the_return.rows if row.kind != "drug"][-2:] == [
        "Total Class not known",
        "All drugs",
    ]


def test_the_csv_is_in_the_return_s_layout(year_of_seizures, analyst_client):
    response = analyst_client.get(
        f"/seizures/home-office-return/?year={YEAR}&force={warwickshire().pk}&format=csv"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="home-office-seizure-return-2024-25-warwickshire.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Financial year",
        "Police force",
        "Class",
        "Drug",
        "Number of seizures",
        "Quantity seized",
        "Unit",
        "Also recorded in other units",
    ]
    by_drug = {row[3]: row for row in rows[1:]}
    assert by_drug["Cocaine"] == [
        "2024-25",
        "Warwickshire",
        "Class A",
        "Cocaine",
        "2",
        "0.750",
        "kilograms",
        "",
    ]
    assert by_drug["Methadone"][4:] == ["1", "0", "tablets or doses", "250 millilitres"]
    assert by_drug["Total Class A"][4:6] == ["4", ""]
    assert rows[-1][2:5] == ["", "All drugs", "5"]


def test_the_return_page_and_its_bad_input(year_of_seizures, analyst, partner_a):
    from tests.strategy.test_sign_off import client_as

    analyst_client, partner_a_client = client_as(analyst), client_as(partner_a)
    page = analyst_client.get(f"/seizures/home-office-return/?year={YEAR}&force={warwickshire().pk}")
    assert page.status_code == 200 and "Warwickshire, 2024-25" in page.content.decode()
    bad = analyst_client.get("/seizures/home-office-return/?year=1990&force=999999")
    assert bad.status_code == 400
    assert "Choose a financial year from 2009-10" in bad.content.decode()
    assert "Choose one of the alliance" in bad.content.decode()
    assert partner_a_client.get("/seizures/home-office-return/").status_code == 403


def dashboard_figure(metric, force, dimension="", value=""):
    """The figure the dashboard shows for the financial year and force, from the facts."""
    indicator = Indicator(metric=metric, dimension=dimension, dimension_value=value)
    year = financial_year(YEAR)
    table = FactTable(
        [indicator], first_month=year.start, last_month=year.end.replace(day=1), scope=Scope.of(force=force)
    )
    return table.figure(indicator, year)


def fact_cells(metric, force, code):
    year = financial_year(YEAR)
    return Fact.objects.filter(
        metric=metric,
        force=force,
        dimension="drug",
        dimension_value=code,
        month__range=(year.start, year.end),
    ).count()


QUANTITY_METRIC = {"kg": "seizures.quantity_kg", "doses": "seizures.doses"}


def test_the_return_reconciles_with_the_dashboard_on_the_demo_data():
    load_demo_seizures(io.StringIO())
    rollup_run(full=True)
    for force in Force.objects.filter(in_alliance=True):
        the_return = home_office_return(year=YEAR, force=force)
        assert the_return.total > 1000
        assert the_return.total == dashboard_figure("seizures.count", force)
        by_drug, checked = {}, 0
        for row in the_return.rows:
            if row.kind == "class":
                assert row.seizures == dashboard_figure("seizures.count", force, "drug_class", row.drug_class)
            if row.kind != "drug":
                continue
            by_drug[row.drug.code] = by_drug.get(row.drug.code, 0) + row.seizures
            if row.drug.code == "cannabis-plants":
                assert row.quantity == dashboard_figure("seizures.cannabis_plants", force)
            elif row.unit in QUANTITY_METRIC:
                # Facts keep three decimal places per cell (district and month), so a kilogram sum
                # of them may differ from the return's in the last places; doses are whole.
                figure = dashboard_figure(QUANTITY_METRIC[row.unit], force, "drug", row.drug.code)
                cells = 14 * 12  # districts × months of a year, each rounded by at most half a gram
                assert abs(row.quantity - figure) <= Decimal("0.0005") * cells
            checked += bool(row.seizures)
        for code, seizures in by_drug.items():
            assert seizures == dashboard_figure("seizures.count", force, "drug", code), code
        assert checked >= 10

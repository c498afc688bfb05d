"""The seizure and warrant lists add up what the dashboards' figures sum (street value, weight,
plants, doses, arrests) over exactly the records they list, so a figure can be checked against
the list its link leads to."""

import datetime
from decimal import Decimal

import pytest

from core import metrics
from core.templatetags.formatting import format_pence, format_total
from seizures.models import SeizureItem, StreetPrice
from tests.factories.seizures import SeizureFactory, WarrantFactory, item
from tests.lists import list_totals

pytestmark = pytest.mark.django_db

MAY = datetime.date(2025, 5, 3)
JUNE = datetime.date(2025, 6, 3)


def value_of(*seizures, drug=None):
    items = SeizureItem.objects.filter(seizure__in=seizures)
    if drug:
        items = items.filter(drug__code=drug)
    return sum(found.value_pence or 0 for found in items)


@pytest.fixture
def may_and_june():
    may = SeizureFactory(seized_on=MAY, items=[item("cocaine", 5, "g")])
    june = SeizureFactory(
        seized_on=JUNE,
        items=[item("cocaine", 2, "g"), item("herbal-cannabis", 1500, "g"), item("ecstasy", 30, "doses")],
    )
    return may, june


def test_the_street_value_is_the_sum_over_the_listed_seizures_on_both_sides_of_a_filter(
    analyst_client, may_and_june
):
    may, june = may_and_june

    assert list_totals(analyst_client, "/seizures/")["Street value"] == format_pence(value_of(may, june))
    assert list_totals(analyst_client, "/seizures/?date_to=2025-05-31")["Street value"] == format_pence(
        value_of(may)
    )
    assert list_totals(analyst_client, "/seizures/?date_from=2025-06-01")["Street value"] == format_pence(
        value_of(june)
    )


def test_filtering_by_drug_adds_up_only_that_drugs_items_as_the_figures_by_drug_do(
    analyst_client, may_and_june
):
    may, june = may_and_june

    cocaine = list_totals(analyst_client, "/seizures/?drug=cocaine")
    cannabis = list_totals(analyst_client, "/seizures/?drug=herbal-cannabis")

    assert cocaine["Street value"] == format_pence(value_of(may, june, drug="cocaine"))
    assert cocaine["Weight"] == "0.007 kg (7 g)"
    assert "Tablets or doses" not in cocaine
    assert cannabis["Street value"] == format_pence(value_of(june, drug="herbal-cannabis"))
    assert cannabis["Weight"] == "1.5 kg"


def test_each_quantity_is_added_up_in_its_own_unit(analyst_client, may_and_june):
    SeizureFactory(seized_on=JUNE, items=[item("cannabis-plants", 12, "plants")])
    SeizureFactory(seized_on=JUNE, items=[item("cannabis-plants", 30, "plants"), item("cocaine", 1, "kg")])

    everything = list_totals(analyst_client, "/seizures/")
    plants = list_totals(analyst_client, "/seizures/?drug=cannabis-plants")

    assert everything["Weight"] == "2.507 kg"
    assert everything["Tablets or doses"] == "30"
    assert everything["Cannabis plants"] == "42"
    assert plants == {"Street value": format_pence(42 * 40000), "Cannabis plants": "42"}


def test_unpriced_items_are_said_only_when_the_listed_items_include_some(analyst_client, may_and_june):
    StreetPrice.objects.filter(drug__code="lsd").delete()
    unpriced = SeizureFactory(seized_on=JUNE, items=[item("lsd", 3, "doses"), item("cocaine", 1, "g")])
    may, june = may_and_june

    listed = list_totals(analyst_client, "/seizures/")
    cocaine = list_totals(analyst_client, "/seizures/?drug=cocaine")
    before_it = analyst_client.get("/seizures/?date_to=2025-05-31").content.decode()

    assert listed["Street value"] == (
        f"{format_pence(value_of(may, june, unpriced))} (includes 1 unpriced item — a minimum)"
    )
    assert cocaine["Street value"] == format_pence(value_of(may, june, unpriced, drug="cocaine"))
    assert "unpriced item" not in before_it


def test_several_unpriced_items_are_counted(analyst_client):
    StreetPrice.objects.filter(drug__code="lsd").delete()
    SeizureFactory(items=[item("lsd", 3, "doses")])
    SeizureFactory(items=[item("lsd", 1, "doses")])

    street_value = list_totals(analyst_client, "/seizures/")["Street value"]

    assert street_value == "£0.00 (includes 2 unpriced items — a minimum)"


def test_an_empty_list_totals_nothing_and_a_bad_filter_shows_no_totals(analyst_client):
    assert list_totals(analyst_client, "/seizures/") == {"Street value": "£0.00"}
    assert list_totals(analyst_client, "/seizures/?date_from=not-a-date") == {}


def test_the_arrests_are_the_sum_over_the_listed_warrants(analyst_client):
    WarrantFactory(executed_on=datetime.date(2025, 5, 6), arrests=2, cash_seized_pence=125_050)
    WarrantFactory(executed_on=datetime.date(2025, 5, 7), arrests=3)
    WarrantFactory(executed_on=None, result="not_executed", arrests=0)

    assert list_totals(analyst_client, "/warrants/") == {"Arrests": "5", "Cash seized": "£1,250.50"}
    assert list_totals(analyst_client, "/warrants/?date_to=2025-05-06&executed=true") == {
        "Arrests": "2",
        "Cash seized": "£1,250.50",
    }
    assert list_totals(analyst_client, "/warrants/?date_from=2025-05-07") == {
        "Arrests": "3",
        "Cash seized": "£0.00",
    }
    assert list_totals(analyst_client, "/warrants/?executed=false") == {
        "Arrests": "0",
        "Cash seized": "£0.00",
    }


def test_the_totals_are_the_sum_of_the_rows_the_downloads_carry(analyst_client, may_and_june):
    """The table, the CSV and the totals are one queryset: a filter the download honours, the
    totals honour too."""
    may, june = may_and_june
    url = "/seizures/?drug=cocaine&min_value=400"
    rows = analyst_client.get(url + "&_export=csv").getvalue().decode().splitlines()[1:]
    listed = [s for s in (may, june) if value_of(s) >= 40000]

    assert len(rows) == len(listed) == 1
    assert list_totals(analyst_client, url)["Street value"] == format_pence(value_of(*listed, drug="cocaine"))


# Each summed figure, the total its list shows for it, and how that total is written.
SUMMED = [
    ("seizures.street_value_pence", "Street value", format_pence),
    ("seizures.quantity_kg", "Weight", lambda kg: f"{format_total(kg)} kg"),
    ("seizures.herbal_cannabis_kg", "Weight", lambda kg: f"{format_total(kg)} kg"),
    ("seizures.cannabis_plants", "Cannabis plants", format_total),
    ("seizures.doses", "Tablets or doses", format_total),
    ("warrants.arrests", "Arrests", format_total),
]


@pytest.mark.parametrize(("name", "label", "shown"), SUMMED)
def test_every_summed_figure_equals_the_total_on_the_list_its_link_leads_to(
    analyst_client, may_and_june, name, label, shown
):
    SeizureFactory(seized_on=JUNE, items=[item("cannabis-plants", 12, "plants"), item("heroin", 3, "kg")])
    SeizureFactory(seized_on=JUNE, items=[item("herbal-cannabis", 2, "kg"), item("lsd", 10, "doses")])
    WarrantFactory(executed_on=datetime.date(2025, 6, 6), arrests=4)
    metric = metrics.get(name)
    checked = 0
    for dimension in [None, *metric.dimensions]:
        values = [None] if dimension is None else ["cocaine", "herbal-cannabis", "A", "B"]
        for value in values:
            if dimension is not None and value not in _dimension_values(metric, dimension):
                continue
            records = metric.queryset().filter(
                **{f"{metric.date_field}__range": (datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))}
            )
            if dimension:
                records = records.filter(**{metric.dimensions[dimension]: value})
            figure = records.aggregate(v=metric.value)["v"]
            url = metric.records_url(
                date_from=datetime.date(2025, 6, 1),
                date_to=datetime.date(2025, 6, 30),
                dimension=dimension,
                value=value,
            )
            listed = list_totals(analyst_client, url)
            if figure is None:
                assert label not in listed or listed[label] in ("£0.00", "0"), url
            else:
                expected = shown(Decimal(figure).normalize() if label == "Weight" else figure)
                assert listed[label].startswith(expected), (url, listed, expected)
            checked += 1
    assert checked


def _dimension_values(metric, dimension):
    return set(metric.queryset().values_list(metric.dimensions[dimension], flat=True))

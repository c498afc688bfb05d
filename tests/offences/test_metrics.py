"""Each offence metric's figure per month, force, district and dimension equals the number of
offences on the list page its records_url() leads to."""

import datetime
from collections import Counter

import pytest
from django.db.models.functions import TruncMonth

from core import metrics
from offences import services
from tests.factories.geography import area
from tests.factories.offences import OffenceFactory
from tests.factories.seizures import drug

OURS = [
    "offences.recorded",
    "offences.cultivation",
    "offences.supply",
    "offences.cannabis_plants",
    "offences.charged",
]


day = datetime.date


def month_end(month):
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


@pytest.fixture
def recorded(analyst):
    """Offences over three months, two forces and several districts, one of them withdrawn."""
    rugby, warwick, worcester = area("Rugby"), area("Warwick"), area("Worcester")
    charged = {"outcome": "charged"}
    specs = [
        (rugby, datetime.date(2025, 4, 3), {}),
        (rugby, datetime.date(2025, 4, 30), {"grown": True}),
        (rugby, datetime.date(2025, 5, 1), {"factory_site": True}),
        (
            warwick,
            datetime.date(2025, 4, 15),
            {"factory_site": True, **charged, "outcome_date": day(2025, 5, 2)},
        ),
        (
            warwick,
            datetime.date(2025, 5, 20),
            {"offence_type": "supply", "drug": drug("cocaine"), **charged, "outcome_date": day(2025, 5, 21)},
        ),
        (worcester, datetime.date(2025, 4, 9), {"offence_type": "possession_other"}),
        (
            worcester,
            datetime.date(2025, 6, 9),
            {"grown": True, "site_type": "outdoor", **charged, "outcome_date": day(2025, 6, 30)},
        ),
        (
            worcester,
            datetime.date(2025, 6, 10),
            {
                "offence_type": "possession_with_intent",
                "drug": drug("herbal-cannabis"),
                **charged,
                "outcome_date": day(2025, 7, 1),
            },
        ),
    ]
    offences = [
        OffenceFactory(crime_reference=f"M/{n}", force=place.force, area=place, recorded_date=day, **extra)
        for n, (place, day, extra) in enumerate(specs)
    ]
    services.offence_withdraw(
        offence=OffenceFactory(crime_reference="M/gone", grown=True), user=analyst, reason="Test"
    )
    return offences


def figures(metric, dimension=None):
    """{(month, force, area, dimension value): value}, grouped as the nightly rollup groups."""
    records = metric.queryset().order_by()
    fields = {"month": TruncMonth(metric.date_field)}
    names = ["month", metric.force_field, metric.area_field]
    path = metric.dimensions.get(dimension)
    if dimension and not isinstance(path, str):  # an expression: read under the dimension's name
        fields[f"sliced_{dimension}"], path = path, f"sliced_{dimension}"
    if dimension:
        names.append(path)
    grouped = records.annotate(**fields).values(*names).annotate(value=metric.value)
    result = {}
    for row in grouped:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        key = (
            month,
            row[metric.force_field],
            row[metric.area_field],
            row.get(path) if dimension else None,
        )
        result[key] = row["value"]
    return result


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [row.record for row in response.context["table"].rows]


@pytest.mark.parametrize("name", OURS)
def test_each_figure_links_to_exactly_its_offences(analyst_client, recorded, name):
    metric = metrics.get(name)
    slices = [None, *metric.dimensions]
    checked = 0
    for dimension in slices:
        for (month, force, district, value), figure in figures(metric, dimension).items():
            url = metric.records_url(
                date_from=month,
                date_to=month_end(month),
                force=force,
                area=district,
                dimension=dimension,
                value=value,
            )
            offences = listed(analyst_client, url)
            if metric.value.name == "Sum":
                assert sum(offence.plants for offence in offences) == figure, url
            else:
                assert len(offences) == figure, url
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("name", OURS)
def test_each_metric_declares_its_links(name):
    metric = metrics.get(name)
    from offences.filters import OffenceFilter

    parameters = set(OffenceFilter.base_filters)
    assert {"date_from", "date_to", "force", "area"} <= set(metric.filter_params)
    assert set(metric.dimensions) <= set(metric.filter_params)
    assert set(metric.filter_params.values()) <= parameters
    assert set(metric.fixed_filters) <= parameters


def test_the_figures_are_what_an_analyst_would_count(recorded):
    counted = Counter()
    for name in OURS:
        counted[name] = sum(figures(metrics.get(name)).values())

    assert counted == {
        "offences.recorded": 8,
        "offences.cultivation": 4,
        "offences.supply": 2,
        "offences.cannabis_plants": 24 + 450 + 450 + 24,
        "offences.charged": 4,
    }


def test_charges_count_in_the_month_of_the_charge(analyst_client, recorded):
    metric = metrics.get("offences.charged")
    by_month = Counter()
    for (month, *_), value in figures(metric).items():
        by_month[month] += value

    assert by_month == {
        datetime.date(2025, 5, 1): 2,
        datetime.date(2025, 6, 1): 1,
        datetime.date(2025, 7, 1): 1,
    }
    july = metric.records_url(date_from=datetime.date(2025, 7, 1), date_to=datetime.date(2025, 7, 31))
    assert [o.crime_reference for o in listed(analyst_client, july)] == ["M/7"]


def test_the_months_that_change_are_marked_for_the_rollup(analyst):
    from core.models import ChangedMonth

    offence = services.offence_create(
        user=analyst,
        crime_reference="R/1",
        recorded_date=datetime.date(2025, 1, 20),
        force=area("Rugby").force,
        area=area("Rugby"),
        offence_type="supply",
    )
    services.offence_update(
        offence=offence, user=analyst, recorded_date=datetime.date(2025, 2, 3), outcome="charged",
        outcome_date=datetime.date(2025, 3, 1),
    )  # fmt: skip

    marked = set(ChangedMonth.objects.filter(source="offences").values_list("month", flat=True))
    assert marked == {datetime.date(2025, 1, 1), datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)}

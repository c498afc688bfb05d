"""Every figure links to the records that make it up: for random data, each metric's value per
month, force, district and dimension equals what its list page shows with the metric's filters."""

import calendar
import datetime
import random
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.db.models import F
from django.db.models.functions import TruncMonth
from django.http import QueryDict

from core import metrics
from core.models import ChangedMonth
from geography.models import Area
from seizures import services
from seizures.filters import SeizureFilter, SiteFilter, WarrantFilter
from seizures.selectors import seizure_list, site_list, warrant_list
from tests.factories.seizures import SeizureFactory, SiteFactory, WarrantFactory, band, item

pytestmark = pytest.mark.django_db

DRUGS = [
    ("cocaine", "g"),
    ("herbal-cannabis", "g"),
    ("herbal-cannabis", "kg"),
    ("cannabis-plants", "plants"),
    ("ecstasy", "doses"),
    ("ketamine", "g"),
]
RESULTS = ["drugs_found", "nothing_found", "not_executed"]


@pytest.fixture
def random_records(analyst):
    rng = random.Random(7)
    areas = list(Area.objects.in_alliance())
    warrants = []
    for number in range(20):
        area = rng.choice(areas)
        issued = datetime.date(2025, rng.randint(1, 6), rng.randint(1, 28))
        result = rng.choice(RESULTS)
        executed = None if result == "not_executed" else issued + datetime.timedelta(days=rng.randint(0, 40))
        warrants.append(
            WarrantFactory(
                reference=f"W{number}",
                force=area.force,
                area=area,
                issued_on=issued,
                executed_on=executed,
                result=result,
                arrests=rng.randint(0, 3) if executed else 0,
                cash_seized_pence=rng.choice([0, 0, rng.randint(1, 900_000)]) if executed else 0,
            )
        )
    for number in range(40):
        area = rng.choice(areas)
        chosen = rng.sample(DRUGS, rng.choice([1, 1, 2, 3]))
        seized = datetime.date(2025, rng.randint(1, 6), rng.randint(1, 28))
        issued_before = [w for w in warrants if w.force_id == area.force_id and w.issued_on <= seized]
        seizure = SeizureFactory(
            reference=f"S{number}",
            force=area.force,
            area=area,
            seized_on=seized,
            warrant=rng.choice(issued_before + [None] * 5),
            items=[item(code, rng.randint(1, 50), unit) for code, unit in chosen],
        )
        if number % 10 == 0:
            services.seizure_withdraw(seizure=seizure, user=analyst, reason="Test withdrawal")
    for number in range(0, 20, 6):
        services.warrant_withdraw(warrant=warrants[number], user=analyst, reason="Test withdrawal")
    for number in range(15):
        area = rng.choice(areas)
        found = datetime.date(2025, rng.randint(1, 6), rng.randint(1, 28))
        plants = rng.choice([5, 20, 300, 2000])
        site = SiteFactory(
            reference=f"F{number}",
            force=area.force,
            area=area,
            premises=rng.choice(["residential", "commercial", "outdoor"]),
            discovered_on=found,
            closed_on=rng.choice([None, found, found + datetime.timedelta(days=rng.randint(1, 40))]),
            plants=plants,
            size_band=band(rng.choice([1, 2])) if plants > 28 else None,
        )
        if number % 7 == 3:
            services.site_withdraw(site=site, user=analyst, reason="Test withdrawal")


def grouped(metric, dimension=None):
    grouping = {"m": TruncMonth(metric.date_field), "f": F(metric.force_field), "a": F(metric.area_field)}
    if dimension:
        expression = metric.dimensions[dimension]
        grouping["d"] = F(expression) if isinstance(expression, str) else expression
    rows = metric.queryset().order_by().annotate(**grouping).values(*grouping).annotate(v=metric.value)
    return {(r["m"], r["f"], r["a"], r.get("d")): r["v"] for r in rows if r["v"] is not None}


def listed(client, metric, month, force, area, dimension, value):
    if hasattr(month, "date"):
        month = month.date()
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    url = metric.records_url(
        date_from=month, date_to=last, force=force, area=area, dimension=dimension, value=value
    )
    response = client.get(url + "&_export=csv")
    assert response.status_code == 200, url
    return url, response.getvalue().decode().splitlines()[1:]


COUNTED = [
    "seizures.count",
    "seizures.with_warrant",
    "warrants.issued",
    "warrants.executed",
    "warrants.positive",
    "sites.closed",
]


@pytest.mark.parametrize("name", COUNTED)
def test_a_count_equals_the_rows_its_list_link_shows(analyst_client, random_records, name):
    metric = metrics.get(name)
    checked = 0
    for dimension in [None, *metric.dimensions]:
        for (month, force, area, value), count in grouped(metric, dimension).items():
            url, rows = listed(analyst_client, metric, month, force, area, dimension, value)
            assert len(rows) == count, (url, count, len(rows))
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize(
    "name",
    [
        "seizures.street_value_pence",
        "seizures.quantity_kg",
        "seizures.cannabis_plants",
        "warrants.arrests",
        "warrants.cash_seized_pence",
    ],
)
def test_a_sum_equals_the_sum_over_the_records_its_list_link_selects(random_records, name):
    metric = metrics.get(name)
    filterset_class, base = LISTS[metric.list_url_name]
    for dimension in [None, *metric.dimensions]:
        for (month, force, area, value), total in grouped(metric, dimension).items():
            last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
            url = metric.records_url(
                date_from=month, date_to=last, force=force, area=area, dimension=dimension, value=value
            )
            records = filterset_class(QueryDict(urlparse(url).query), queryset=base()).qs
            # The metric's own rows for exactly those records (items of those seizures).
            link = "pk__in" if metric.queryset().model is records.model else "seizure__in"
            rows = metric.queryset().filter(**{link: records.values("pk")})
            if dimension:
                rows = rows.filter(**{metric.dimensions[dimension]: value})
            assert Decimal(rows.aggregate(v=metric.value)["v"]) == Decimal(total), (name, dimension, value)


LISTS = {
    "seizures:seizure_list": (SeizureFilter, seizure_list),
    "seizures:warrant_list": (WarrantFilter, warrant_list),
    "seizures:site_list": (SiteFilter, site_list),
}


def test_the_rate_is_a_ratio_of_two_summed_metrics():
    rate = metrics.get("warrants.positive_rate")
    assert rate.ratio_of == ("warrants.positive", "warrants.executed")
    for name in rate.ratio_of:
        assert metrics.get(name).ratio_of is None


def test_every_metric_names_filter_params_the_list_understands():
    for name, metric in metrics.discover().items():
        if not name.startswith(("seizures.", "warrants.", "sites.")):
            continue
        filters = LISTS[metric.list_url_name][0]
        params = set(metric.filter_params.values()) | set(metric.fixed_filters)
        assert params <= set(filters.base_filters), name
        assert {"date_from", "date_to", "force", "area"} <= set(metric.filter_params), name
        assert set(metric.dimensions) <= set(metric.filter_params), name


def test_every_write_marks_the_months_to_recompute(analyst):
    seizure = SeizureFactory(seized_on=datetime.date(2025, 3, 5), user=analyst)
    services.seizure_update(seizure=seizure, user=analyst, seized_on=datetime.date(2025, 5, 5))
    warrant = WarrantFactory(issued_on=datetime.date(2024, 12, 1), executed_on=datetime.date(2024, 12, 2))
    services.warrant_withdraw(warrant=warrant, user=analyst, reason="x")
    months = set(ChangedMonth.objects.filter(source="seizures").values_list("month", flat=True))
    assert months == {datetime.date(2025, 3, 1), datetime.date(2025, 5, 1), datetime.date(2024, 12, 1)}


def test_a_warrant_issued_in_one_month_and_executed_in_the_next_marks_both(analyst):
    """ "Warrants issued" counts by the issue month, the others by the execution month: a change
    of either date marks the old and the new month of each for the nightly rollup."""
    warrant = WarrantFactory(issued_on=datetime.date(2025, 1, 30), executed_on=datetime.date(2025, 2, 3))
    ChangedMonth.objects.all().delete()

    services.warrant_update(
        warrant=warrant,
        user=analyst,
        issued_on=datetime.date(2025, 3, 31),
        executed_on=datetime.date(2025, 4, 2),
    )

    months = set(ChangedMonth.objects.filter(source="seizures").values_list("month", flat=True))
    assert months == {datetime.date(2025, m, 1) for m in (1, 2, 3, 4)}


def test_closing_a_site_marks_the_month_it_is_counted_in(analyst):
    site = SiteFactory(discovered_on=datetime.date(2025, 1, 10), closed_on=None)
    ChangedMonth.objects.all().delete()

    services.site_update(site=site, user=analyst, closed_on=datetime.date(2025, 2, 3))
    services.site_update(site=site, user=analyst, closed_on=datetime.date(2025, 3, 3))

    months = set(ChangedMonth.objects.filter(source="seizures").values_list("month", flat=True))
    assert months == {datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)}


def test_every_item_metrics_link_lists_exactly_the_seizures_holding_its_items(analyst_client, analyst):
    """An item metric (kilograms, plants, doses, value) counts some items; its link must list
    exactly the seizures holding at least one of them, so the list's totals are the figure's."""
    import datetime

    from core import metrics
    from seizures.models import Seizure, SeizureItem
    from tests.factories.seizures import SeizureFactory, item

    for number, drugs in enumerate(
        [[("cocaine", 3, "g")], [("crack", 2, "g"), ("heroin", 1, "g")], [("heroin", 4, "g")],
         [("cannabis-plants", 12, "plants")], [("ecstasy", 20, "doses")], [("herbal-cannabis", 1, "kg")]]
    ):  # fmt: skip
        SeizureFactory(reference=f"S-{number}", seized_on=datetime.date(2025, 6, 1 + number),
                       items=[item(*drug) for drug in drugs], user=analyst)  # fmt: skip
    checked = 0
    for metric in metrics.discover().values():
        if metric.queryset().model is not SeizureItem:
            continue
        url = metric.records_url(date_from=datetime.date(2025, 6, 1), date_to=datetime.date(2025, 6, 30))
        listed = analyst_client.get(url + "&_export=csv").getvalue().decode().splitlines()[1:]
        holding = Seizure.objects.filter(pk__in=metric.queryset().values("seizure")).values_list(
            "reference", flat=True
        )
        assert sorted(line.split(",")[0] for line in listed) == sorted(holding), metric.name
        checked += 1
    assert checked >= 5

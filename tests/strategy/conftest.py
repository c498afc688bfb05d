import datetime

import pytest
from django.db.models import Count
from django.http import QueryDict
from django.urls import resolve

from core import metrics
from strategy.models import Goal, Indicator, Strategy

# Today, as the dashboards see it in these tests: in financial year 2025-26.
TODAY = datetime.date(2026, 2, 15)


@pytest.fixture
def strategy(db):
    return Strategy.objects.create(
        name="Test strategy", start=datetime.date(2024, 4, 1), end=datetime.date(2027, 3, 31)
    )


@pytest.fixture
def supply_goal(strategy):
    return Goal.objects.create(
        strategy=strategy, strand=Goal.Strand.SUPPLY, title="Take drugs off the streets", order=1
    )


@pytest.fixture
def seizure_count(supply_goal):
    return Indicator.objects.create(
        goal=supply_goal,
        slug="seizures",
        title="Drug seizures",
        metric="seizures.count",
        display_unit="seizures",
    )


@pytest.fixture
def class_a_seizures(supply_goal):
    return Indicator.objects.create(
        goal=supply_goal,
        slug="class-a",
        title="Class A seizures",
        metric="seizures.count",
        dimension="drug_class",
        dimension_value="A",
    )


@pytest.fixture
def street_value(supply_goal):
    return Indicator.objects.create(
        goal=supply_goal,
        slug="street-value",
        title="Street value seized",
        metric="seizures.street_value_pence",
        display_unit="£",
        display_divisor=100,
    )


@pytest.fixture
def positive_share(supply_goal):
    return Indicator.objects.create(
        goal=supply_goal,
        slug="positive-warrants",
        title="Share of warrants finding drugs",
        metric="warrants.positive",
        aggregation=Indicator.Aggregation.RATIO,
        denominator_metric="warrants.executed",
    )


def live_figure(metric_name, url):
    """What the records behind a dashboard link add up to, computed from the records now:
    the list page's own FilterSet applied to the live records."""
    metric = metrics.get(metric_name)
    path, _, query = url.partition("?")
    view_class = resolve(path).func.view_class
    params = QueryDict(query)
    listed_model = view_class.filterset_class._meta.model
    records_listed = listed_model.objects.all()
    if hasattr(records_listed, "live"):
        records_listed = records_listed.live()
    listed = view_class.filterset_class(params, queryset=records_listed).qs
    records = metric.queryset()
    if records.model is listed_model:
        if isinstance(metric.value, Count):
            return listed.count()  # the number of rows the list shows
        return _sum(records.filter(pk__in=listed.values("pk")), metric)
    # Item metrics (street value…) add up the items of the listed seizures.
    relation = metric.date_field.split("__")[0]
    records = records.filter(**{f"{relation}__in": listed.values("pk")})
    for dimension, path_ in metric.dimensions.items():
        if dimension in params and isinstance(path_, str):
            records = records.filter(**{path_: params[dimension]})
    return _sum(records, metric)


def _sum(records, metric):
    return records.aggregate(value=metric.value)["value"] or 0

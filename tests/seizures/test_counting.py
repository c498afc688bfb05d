"""Home Office counting rule: a seizure with several drugs counts once in the total and once under
each drug and class it contains; per-drug counts need not sum to the total."""

import datetime

import pytest
from django.db.models import F

from core import metrics
from tests.factories.seizures import SeizureFactory, item

pytestmark = pytest.mark.django_db


def figures(metric_name, dimension=None):
    metric = metrics.get(metric_name)
    rows = metric.queryset().order_by()
    if dimension:
        rows = rows.annotate(slice=F(metric.dimensions[dimension])).values("slice")
    else:
        rows = rows.values()
        return rows.aggregate(total=metric.value)["total"]
    return {row["slice"]: row["total"] for row in rows.annotate(total=metric.value)}


def test_a_seizure_of_several_drugs_counts_once_in_total_and_once_per_drug_and_class():
    SeizureFactory(items=[item("cocaine", 2, "g"), item("heroin", 1, "g"), item("herbal-cannabis", 30, "g")])
    SeizureFactory(items=[item("herbal-cannabis", 5, "g")])
    # Two items of the same drug (found in two rooms) are still one seizure of that drug.
    SeizureFactory(items=[item("herbal-cannabis", 5, "g"), item("herbal-cannabis", 1, "kg")])

    assert figures("seizures.count") == 3
    assert figures("seizures.count", "drug") == {"cocaine": 1, "heroin": 1, "herbal-cannabis": 3}
    assert figures("seizures.count", "drug_class") == {"A": 1, "B": 3}
    assert sum(figures("seizures.count", "drug").values()) != figures("seizures.count")


def test_value_and_quantity_sum_every_item():
    SeizureFactory(
        seized_on=datetime.date(2025, 6, 1),
        items=[item("herbal-cannabis", 500, "g"), item("herbal-cannabis", 2, "kg"), item("cocaine", 10, "g")],
    )
    SeizureFactory(items=[item("cannabis-plants", 30, "plants"), item("ecstasy", 12, "doses")])

    assert figures("seizures.street_value_pence", "drug") == {
        "herbal-cannabis": 2_500 * 1000,
        "cocaine": 10 * 6000,
        "cannabis-plants": 30 * 40000,
        "ecstasy": 12 * 1000,
    }
    assert float(figures("seizures.herbal_cannabis_kg")) == pytest.approx(2.5)
    assert float(figures("seizures.quantity_kg")) == pytest.approx(2.51)
    assert figures("seizures.cannabis_plants") == 30
    assert figures("seizures.doses") == 12

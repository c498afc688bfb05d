"""The months a write must mark come from the metric registry: every date any metric counts a
record by, read from the record itself or through the relation a metric counts it by."""

import dataclasses
import datetime

import pytest

from core import metrics
from core.metrics import counted_on, mark_counted
from core.models import ChangedMonth
from seizures import services
from seizures.models import Seizure
from tests.factories.seizures import SeizureFactory, WarrantFactory, item

pytestmark = pytest.mark.django_db

MAY, JUNE, AUGUST = datetime.date(2025, 5, 2), datetime.date(2025, 6, 20), datetime.date(2025, 8, 9)


def marked(source):
    return set(ChangedMonth.objects.filter(source=source).values_list("month", flat=True))


def test_a_warrant_is_counted_by_the_day_issued_and_the_day_executed(analyst):
    warrant = WarrantFactory(issued_on=MAY, executed_on=JUNE, user=analyst)

    assert counted_on(warrant) == {("seizures", MAY), ("seizures", JUNE)}


def test_a_warrant_not_executed_is_counted_by_the_day_issued_only(analyst):
    warrant = WarrantFactory(issued_on=MAY, executed_on=None, result="not_executed", user=analyst)

    assert counted_on(warrant) == {("seizures", MAY)}


def test_a_seizures_date_is_its_items_date_too(analyst):
    seizure = SeizureFactory(seized_on=AUGUST, items=[item("cocaine", 2, "g")], user=analyst)

    assert counted_on(seizure) == {("seizures", AUGUST)}
    assert counted_on(seizure.items.get()) == {("seizures", AUGUST)}


def test_a_change_marks_the_months_of_the_old_and_the_new_dates(analyst):
    warrant = WarrantFactory(issued_on=MAY, executed_on=JUNE, user=analyst)
    ChangedMonth.objects.all().delete()

    services.warrant_update(
        warrant=warrant, user=analyst, issued_on=AUGUST, executed_on=AUGUST + datetime.timedelta(days=3)
    )

    assert marked("seizures") == {
        datetime.date(2025, 5, 1),
        datetime.date(2025, 6, 1),
        datetime.date(2025, 8, 1),
    }


def test_each_source_is_marked_on_its_own():
    mark_counted({("seizures", MAY), ("offences", JUNE)}, {("seizures", AUGUST)})

    assert marked("seizures") == {datetime.date(2025, 5, 1), datetime.date(2025, 8, 1)}
    assert marked("offences") == {datetime.date(2025, 6, 1)}


def test_a_metric_counting_by_a_date_through_a_many_valued_relation_is_refused():
    odd = dataclasses.replace(
        metrics.get("seizures.count"), name="seizures.by_an_items_date", date_field="items__priced_at"
    )
    metrics.register(odd)
    try:
        with pytest.raises(ValueError, match="many-valued relation"):
            counted_on(Seizure())
    finally:
        metrics._registry.pop(odd.name)
        metrics._date_paths.cache_clear()

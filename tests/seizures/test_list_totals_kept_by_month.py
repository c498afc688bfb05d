"""The unfiltered seizure list's count and totals are kept month by month, each month with the
version it had (core.models.MonthVersion): a change through any service shows at once, and a
list nothing changed in is not added up again."""

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from core.models import MonthVersion, mark_changed
from core.templatetags.formatting import format_pence
from seizures import selectors, services
from seizures.models import Seizure
from strategy.rollups import rollup_run
from tests.factories.seizures import SeizureFactory, item
from tests.lists import list_totals

pytestmark = pytest.mark.django_db

MAY = datetime.date(2025, 5, 3)
JUNE = datetime.date(2025, 6, 3)


def shown(client):
    response = client.get("/seizures/")
    totals = {label: figure for label, figure, _ in response.context["list_totals"]}
    return response.context["table"].paginator.count, totals


def live():
    sums = selectors.item_totals(Seizure.objects.live(), Q())
    return Seizure.objects.live().count(), format_pence(sums["street_value_pence"] or 0)


@pytest.fixture
def listed(analyst, analyst_client):
    SeizureFactory(seized_on=MAY, items=[item("cocaine", 5, "g")], user=analyst)
    june = SeizureFactory(
        seized_on=JUNE, items=[item("heroin", 2, "g"), item("ecstasy", 30, "doses")], user=analyst
    )
    assert shown(analyst_client)[0] == 2  # read once, now kept
    return june


def test_a_seizure_recorded_in_a_kept_month_shows_in_the_count_and_totals_at_once(
    analyst, analyst_client, listed
):
    SeizureFactory(seized_on=JUNE, items=[item("cocaine", 7, "g")], user=analyst)

    count, totals = shown(analyst_client)
    assert (count, totals["Street value"]) == live()
    assert count == 3


def test_a_changed_quantity_and_a_withdrawal_show_at_once(analyst, analyst_client, listed):
    heroin = listed.items.get(drug__code="heroin")
    services.seizure_update(
        seizure=listed,
        user=analyst,
        items=[{"id": heroin.pk, "drug": heroin.drug, "quantity": 20, "unit": "g"}],
    )
    count, totals = shown(analyst_client)
    assert (count, totals["Street value"]) == live()
    assert "Tablets or doses" not in totals  # the doses item was removed

    services.seizure_withdraw(seizure=listed, user=analyst, reason="Recorded twice")
    count, totals = shown(analyst_client)
    assert (count, totals["Street value"]) == live() and count == 1


def test_a_filtered_list_still_adds_up_its_own_records(analyst_client, listed):
    assert list_totals(analyst_client, "/seizures/?date_from=2025-06-01")["Street value"] == format_pence(
        sum(found.value_pence for found in listed.items.all())
    )


def test_an_unchanged_list_is_not_counted_or_added_up_again(analyst_client, listed):
    rollup_run(full=True)  # else the page counts every record as not in the figures yet
    with CaptureQueriesContext(connection) as queries:
        assert shown(analyst_client)[0] == 2
    read = [query["sql"] for query in queries.captured_queries]
    assert not any("COUNT(*)" in sql and "seizures_seizure" in sql and "history" not in sql for sql in read)
    assert not any('SUM("seizures_seizureitem"."value_pence")' in sql for sql in read)


def test_every_change_counts_its_months_version_up():
    mark_changed("seizures", MAY, JUNE)
    mark_changed("seizures", JUNE)

    versions = dict(MonthVersion.objects.filter(source="seizures").values_list("month", "version"))
    assert versions[MAY.replace(day=1)] == 1 and versions[JUNE.replace(day=1)] == 2

"""police.uk files after figures are published: a drug crime or a search dated in a quarter
published with its changes refused refuses the file (the correction waits for the quarter to be
reopened, as an analyst's would); where the force lists changes instead, it is imported and
listed as changed since sign-off."""

import datetime

import pytest

from core.models import ChangeAfterLock, PeriodLock
from geography.models import Force
from opendata.models import StopSearch, StreetCrime
from tests.factories.imports import csv_bytes, import_bytes
from tests.opendata.test_query_counts import STREET_HEADER, search_file

pytestmark = pytest.mark.django_db


def locked(mode, force="Warwickshire"):
    return PeriodLock.objects.create(
        force=Force.objects.get(name=force),
        start=datetime.date(2018, 10, 1),
        end=datetime.date(2018, 12, 31),
        mode=mode,
        label=f"{force} 2018-19 Q3, signed off on 3 January 2019",
    )


def street_rows(lsoas, *months, force="Warwickshire Police"):
    return csv_bytes(
        STREET_HEADER,
        [
            [
                f"{n:064x}", month, force, force, "-1.5", "52.3", "On or near High Street",
                lsoas[0].code, lsoas[0].name, "Drugs", "Local resolution", "",
            ]
            for n, month in enumerate(months)
        ],
    )  # fmt: skip


def test_a_street_file_with_a_crime_in_a_refused_quarter_is_refused_whole(analyst, lsoas):
    locked(PeriodLock.Mode.REFUSE)
    batch = import_bytes(
        "street.csv", street_rows(lsoas, "2019-01", "2018-12"), "police-uk-street-crime", user=analyst
    )
    assert batch.status == "refused"
    assert "Month: This record is dated in published figures (Warwickshire 2018-19 Q3" in str(
        batch.row_errors
    )
    assert "reopen the quarter" in str(batch.row_errors)
    assert StreetCrime.objects.count() == 0


def test_the_day_after_the_quarter_and_another_force_are_not_held(analyst, lsoas):
    locked(PeriodLock.Mode.REFUSE, force="West Mercia")
    batch = import_bytes(
        "street.csv", street_rows(lsoas, "2019-01", "2018-12"), "police-uk-street-crime", user=analyst
    )
    assert (batch.status, batch.created) == ("done", 2)


def test_where_the_force_lists_changes_the_crime_is_imported_and_listed(analyst, lsoas):
    lock = locked(PeriodLock.Mode.FLAG)
    batch = import_bytes(
        "street.csv", street_rows(lsoas, "2019-01", "2018-12"), "police-uk-street-crime", user=analyst
    )
    assert (batch.status, batch.created) == ("done", 2)
    change = ChangeAfterLock.objects.get()
    december = StreetCrime.objects.get(month=datetime.date(2018, 12, 1))
    assert (change.lock, change.object_id, change.action, change.by) == (
        lock,
        december.pk,
        "Imported",
        analyst,
    )


def test_a_stop_and_search_file_in_a_refused_quarter_is_refused(analyst, lsoas):
    locked(PeriodLock.Mode.REFUSE)
    content = search_file(3).replace(b"2019-01-", b"2018-12-")
    batch = import_bytes(
        "search.csv",
        content,
        "police-uk-stop-search",
        user=analyst,
        options={"force": "Warwickshire"},
    )
    assert batch.status == "refused"
    assert "Date: This record is dated in published figures" in str(batch.row_errors)
    assert StopSearch.objects.count() == 0

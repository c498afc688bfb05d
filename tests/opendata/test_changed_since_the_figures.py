"""police.uk rows keep when they came in or last changed, so their lists say how many of the rows
they show the dashboard figures do not include yet: imported, corrected, or a search placed in
a district by a street file that came later."""

import pytest

from geography.models import Area, Lsoa
from opendata.models import StopSearch, StreetCrime
from strategy.rollups import rollup_run
from tests.factories.imports import csv_bytes, import_bytes
from tests.lists import figures_lag

from .test_query_counts import STREET_HEADER, search_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def lsoa(db):
    area = Area.objects.in_alliance().order_by("pk").first()
    return Lsoa.objects.create(code="E01000001", name=f"{area.name} 001A", area=area)


def street_row(number, lsoa, outcome="Local resolution", point=("52.000001", "-1.000001")):
    latitude, longitude = point
    return [
        f"{number:064x}", "2019-01", "Warwickshire Police", "Warwickshire Police", longitude, latitude,
        "On or near High Street", lsoa.code, lsoa.name, "Drugs", outcome, "",
    ]  # fmt: skip


def import_streets(rows, analyst):
    return import_bytes("street.csv", csv_bytes(STREET_HEADER, rows), "police-uk-street-crime", user=analyst)


def test_imported_and_corrected_rows_are_counted_until_the_next_build(analyst_client, analyst, lsoa):
    import_streets([street_row(1, lsoa), street_row(2, lsoa)], analyst)
    assert StreetCrime.objects.filter(changed_at__isnull=True).count() == 0
    rollup_run()
    assert figures_lag(analyst_client, "/open-data/drug-crimes/") is None

    import_streets([street_row(1, lsoa), street_row(2, lsoa, outcome="Offender given a caution")], analyst)

    assert figures_lag(analyst_client, "/open-data/drug-crimes/")["count"] == 1
    assert figures_lag(analyst_client, "/open-data/drug-crimes/?outcome=Local+resolution") is None


def test_a_search_placed_by_a_later_street_file_is_counted(analyst_client, analyst, lsoa):
    import_bytes("searches.csv", search_file(2), "police-uk-stop-search", user=analyst,
                 options={"force": "Warwickshire"})  # fmt: skip
    assert StopSearch.objects.filter(area__isnull=True).count() == 2  # no point is known yet
    rollup_run()
    assert figures_lag(analyst_client, "/open-data/drug-searches/") is None

    # The street file shares the first search's map point, so that search gets a district.
    import_streets([street_row(1, lsoa, point=("52.000000", "-1.000000"))], analyst)

    assert StopSearch.objects.filter(area__isnull=False).count() == 1
    assert figures_lag(analyst_client, "/open-data/drug-searches/")["count"] == 1
    assert figures_lag(analyst_client, "/open-data/recorded-drug-offences/") is None  # counted in no figure

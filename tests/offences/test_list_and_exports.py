"""The offence list: sortable, paginated, exports exactly what is filtered, and a constant
number of queries however many offences there are."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.offences import OffenceFactory, warrant

LIST = reverse("offences:offence_list")
API = "/api/v1/offences/"


def make(count):
    linked = warrant(f"WK-W-{count}")
    for number in range(count):
        OffenceFactory(
            crime_reference=f"Q/{count}/{number:03d}",
            warrant=linked if number % 2 else None,
            **({"grown": True} if number % 3 == 0 else {}),
        )


def queries_for(client, url):
    client.get(url)  # as every request after the first: what the user may do is then cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", [LIST, LIST + "?cultivation=true", API, API + "?offence_group=92A", LIST + "?_export=csv"]
)
def test_queries_do_not_grow_with_the_rows(analyst_client, url, django_assert_num_queries):
    make(5)
    with_five = queries_for(analyst_client, url)
    make(50)

    with django_assert_num_queries(with_five):
        analyst_client.get(url)


def test_the_list_shows_the_offences_newest_first_and_paginates(analyst_client):
    for day in range(1, 31):
        OffenceFactory(crime_reference=f"P/{day:02d}", recorded_date=datetime.date(2025, 4, day))

    first = analyst_client.get(LIST)
    second = analyst_client.get(LIST, {"page": 2})

    assert [row.record.crime_reference for row in first.context["table"].paginated_rows][:2] == [
        "P/30",
        "P/29",
    ]
    assert len(first.context["table"].paginated_rows) == 25
    assert len(second.context["table"].paginated_rows) == 5
    assert "30 offences" in first.text


def test_the_list_sorts_by_a_column(analyst_client):
    OffenceFactory(crime_reference="B/1", grown=True, plants=300)
    OffenceFactory(crime_reference="A/1", grown=True, plants=3)

    response = analyst_client.get(LIST, {"sort": "plants"})

    assert [row.record.crime_reference for row in response.context["table"].paginated_rows] == ["A/1", "B/1"]


@pytest.fixture
def mixed(db):
    OffenceFactory(crime_reference="=HYPERLINK(1)", grown=True)
    OffenceFactory(crime_reference="WK/2", outcome="charged", outcome_date=datetime.date(2025, 7, 1))
    OffenceFactory(crime_reference="WK/3", factory_site=True, warrant=warrant())
    for number in range(30):  # more than one page: exports are not paginated
        OffenceFactory(crime_reference=f"WK/P{number:02d}", recorded_date=datetime.date(2024, 1, 1))


def _filtered_references(client, params):
    listing = client.get(LIST, params)
    return sorted(row.record.crime_reference for row in listing.context["table"].rows)


@pytest.mark.parametrize("params", [{}, {"cultivation": "true"}, {"date_from": "2025-01-01"}, {"q": "P1"}])
def test_csv_export_is_exactly_the_filtered_rows(analyst_client, mixed, params):
    response = analyst_client.get(LIST, {**params, "_export": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    exported = sorted(row["Crime reference"].lstrip("'") for row in rows)
    assert exported == _filtered_references(analyst_client, params)
    assert response["Content-Disposition"].startswith('attachment; filename="offences.csv"')


@pytest.mark.parametrize("params", [{}, {"has_site": "true"}, {"outcome": "charged"}])
def test_xlsx_export_is_exactly_the_filtered_rows(analyst_client, mixed, params):
    response = analyst_client.get(LIST, {**params, "_export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    header, *rows = list(sheet.values)
    column = header.index("Crime reference")
    assert sorted(str(row[column]).lstrip("'") for row in rows) == _filtered_references(
        analyst_client, params
    )


def test_export_columns_read_plainly(analyst_client, mixed):
    response = analyst_client.get(LIST, {"has_site": "true", "_export": "csv"})

    (row,) = csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig")))
    assert row["Group"] == "92A"
    assert row["Offence"] == "Production or cultivation of cannabis"
    assert row["Factory"].startswith("F-")
    assert row["Plants"] == "450"
    assert row["Site"] == "Commercial or industrial unit"
    assert row["Warrant"] == "WK-W-0001"


def test_exported_formulas_are_neutralised(analyst_client, mixed):
    response = analyst_client.get(LIST, {"q": "HYPERLINK", "_export": "csv"})

    assert "'=HYPERLINK(1)" in response.getvalue().decode()

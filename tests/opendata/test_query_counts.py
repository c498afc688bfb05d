"""The police.uk imports look up forces, districts and stored rows once per file: the number of
queries of a check or an import does not grow with the file's rows."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports import registry, services
from imports.models import ImportBatch
from opendata.importers import STOP_SEARCH_COLUMNS
from opendata.models import StopSearch, StreetCrime
from tests.factories.imports import csv_bytes

STREET_HEADER = [
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
]  # fmt: skip
N = 40
# The most queries a check may make, whatever the file's size.
CHECK_QUERIES = 12


def street_file(rows, lsoas):
    return csv_bytes(
        STREET_HEADER,
        [
            [
                f"{n:064x}", "2019-01", "Warwickshire Police",
                "Warwickshire Police" if n % 2 else "West Mercia Police",
                f"-1.{n:06d}", f"52.{n:06d}", "On or near High Street", lsoas[n % len(lsoas)].code,
                lsoas[n % len(lsoas)].name, "Drugs" if n % 5 else "Burglary", "Local resolution", "",
            ]
            for n in range(rows)
        ],
    )  # fmt: skip


def search_file(rows):
    return csv_bytes(
        STOP_SEARCH_COLUMNS,
        [
            [
                "Person search", f"2019-01-{1 + n % 28:02d}T10:00:00+00:00", "False", "", f"52.{n:06d}",
                f"-1.{n:06d}", "Male", "18-24", "", "White", "Misuse of Drugs Act 1971 (section 23)",
                "Controlled drugs", "Arrest", "True", "False",
            ]
            for n in range(rows)
        ],
    )  # fmt: skip


def queries_of(record_type, content, analyst, options=None):
    batch = services.batch_upload(
        user=analyst,
        importer=registry.get(record_type),
        file=io.BytesIO(content),
        file_name="f.csv",
        options=options,
        schedule=False,
    )
    with CaptureQueriesContext(connection) as checking:
        batch = services.batch_preview(batch.pk)
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.error
    services.batch_confirm(batch=batch, schedule=False)
    with CaptureQueriesContext(connection) as importing:
        batch = services.batch_import(batch.pk)
    assert batch.status == ImportBatch.Status.DONE, batch.error
    # Rows are written in batches (their number grows with the file by design): the rest may not.
    writes = [q for q in importing.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    return len(checking), len(importing) - len(writes)


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_a_street_files_check_makes_the_same_few_queries_for_n_and_10n_rows(
    analyst, lsoas, rows, django_assert_max_num_queries
):
    batch = services.batch_upload(
        user=analyst, importer=registry.get("police-uk-street-crime"),
        file=io.BytesIO(street_file(rows, lsoas)), file_name="street.csv", schedule=False,
    )  # fmt: skip

    with django_assert_max_num_queries(CHECK_QUERIES):
        batch = services.batch_preview(batch.pk)

    assert batch.created == rows - rows // 5


def test_street_and_search_imports_query_the_same_for_n_and_10n_rows(analyst, lsoas):
    small = queries_of("police-uk-street-crime", street_file(N, lsoas), analyst)
    StreetCrime.objects.all().delete()
    large = queries_of("police-uk-street-crime", street_file(10 * N, lsoas), analyst)
    assert small == large

    options = {"force": "Warwickshire"}
    small = queries_of("police-uk-stop-search", search_file(N), analyst, options)
    StopSearch.objects.all().delete()
    large = queries_of("police-uk-stop-search", search_file(10 * N), analyst, options)
    assert small == large
    assert StopSearch.objects.filter(area__isnull=False).count() == 10 * N  # every point is known

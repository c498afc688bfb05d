"""Every kind of unusable file gets a clear message, never a 500, and nothing is imported.

What the upload request can tell cheaply (size, name, first bytes, a workbook's zip directory)
is refused on the form with a 400 and nothing stored; what needs the rows read is found by the
check (the preview task), which closes the batch as refused with the reason on its page."""

import os

import pytest
from django.urls import reverse

from imports import reading, registry
from imports.models import ImportBatch
from seizures.models import Seizure
from tests.factories.imports import csv_bytes, uploaded, xlsx_bytes

HEADER = ["Reference", "Date seized", "Force", "District", "Place", "Drug", "Quantity", "Unit"]
GOOD = ["WK-1", "2025-06-01", "Warwickshire", "Rugby", "House", "cocaine", "3", "g"]


def refused(pages, name, content, message):
    """Refused on the upload form: a 400 with the message, nothing stored."""
    response = pages.upload("seizures", name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0 and Seizure.objects.count() == 0
    return response


def refused_when_checked(client, pages, name, content, message, record_type="seizures", **data):
    """Stored, then refused by the check: the batch's page says why; no record, no file kept."""
    response = pages.upload(record_type, name, content, **data)
    assert response.status_code == 302
    batch = ImportBatch.objects.order_by("-pk").first()
    assert batch.status == ImportBatch.Status.REFUSED, (batch.status, batch.error)
    assert message in batch.error
    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This file cannot be imported" in text and "Refused" in text
    assert "Import " not in text.split("This file cannot be imported")[1].split("<dl")[0]  # no button
    assert not batch.upload
    assert Seizure.objects.count() == 0
    return batch


xlsx = xlsx_bytes


def test_wrong_columns(analyst_client, pages):
    content = csv_bytes(["Ref", "When"], [["1", "2"]])
    refused_when_checked(analyst_client, pages, "s.csv", content, "columns do not match this record type")


def test_utf16_text(analyst_client, pages):
    refused(pages, "s.csv", csv_bytes(HEADER, [GOOD], encoding="utf-16"), "not CSV text in UTF-8")


def test_latin1_text(analyst_client, pages):
    content = csv_bytes(HEADER, [GOOD[:4] + ["Caf\u00e9 on the corner", *GOOD[5:]]], encoding="latin-1")
    refused_when_checked(analyst_client, pages, "s.csv", content, "is not UTF-8 text: line 2")


def test_an_empty_file(analyst_client, pages):
    refused(pages, "s.csv", b"", "The file is empty")


def test_a_header_without_records(analyst_client, pages):
    refused_when_checked(
        analyst_client, pages, "s.csv", csv_bytes(HEADER, []), "has a header row but no records"
    )


def test_a_50_mb_file_of_junk_is_refused_for_its_size(analyst_client, pages):
    refused(pages, "s.csv", os.urandom(50 * 1024 * 1024), "the largest file accepted is 25 MB")


def test_junk_under_the_size_limit_is_refused_for_its_content(tmp_path, db):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(os.urandom(50 * 1024 * 1024))
    with junk.open("rb") as handle, pytest.raises(reading.FileRefused) as refusal:
        reading.sniff("csv", handle.read(4096), junk.stat().st_size)
        handle.seek(0)
        reading.read_table(handle, "csv", registry.get("seizures").columns)
    assert "UTF" in refusal.value.message


def test_an_xlsx_with_a_formula(analyst_client, pages):
    content = xlsx([HEADER, GOOD[:6] + ["=1+2", "g"]])
    refused_when_checked(analyst_client, pages, "s.xlsx", content, "Cell G2 holds a formula")


def test_a_renamed_file_is_refused_by_its_content(analyst_client, pages):
    refused(pages, "s.xlsx", csv_bytes(HEADER, [GOOD]), "is not an Excel workbook")
    refused(pages, "s.csv", xlsx([HEADER, GOOD]), "is a workbook")


def test_other_file_types(analyst_client, pages):
    refused(pages, "s.xls", b"\xd0\xcf\x11\xe0", "Save the spreadsheet as an Excel workbook")
    refused(pages, "s.pdf", b"%PDF-1.4", "must be a CSV (.csv) or an Excel workbook (.xlsx)")


def test_a_broken_workbook(analyst_client, pages):
    refused(pages, "s.xlsx", b"PK\x03\x04" + os.urandom(2000), "cannot be read as an Excel workbook")


def test_an_xlsx_of_values_imports(analyst_client, pages):
    pages.upload("seizures", "s.xlsx", xlsx([HEADER, GOOD]))
    pages.confirm(ImportBatch.objects.get())

    assert Seizure.objects.get().items.get().quantity == 3


def test_the_size_limit_is_a_setting(analyst_client, pages, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    refused(pages, "s.csv", csv_bytes(HEADER, [GOOD] * 5), "the largest file accepted is 0 MB")


def test_the_upload_request_reads_no_rows(analyst_client, monkeypatch):
    """The rows are read by the check task, for workbooks as for CSV: the request only stores."""

    def no_reading(*args, **kwargs):
        raise AssertionError("rows read inside the upload request")

    monkeypatch.setattr(reading, "read_table", no_reading)
    for name, content in (("s.csv", csv_bytes(HEADER, [GOOD])), ("s.xlsx", xlsx([HEADER, GOOD]))):
        # The preview is queued on commit; here it is not run.
        response = analyst_client.post(
            reverse("imports:start", args=["seizures"]), {"file": uploaded(name, content)}
        )
        assert response.status_code == 302
        batch = ImportBatch.objects.order_by("-pk").first()
        assert batch.status == ImportBatch.Status.UPLOADED and batch.upload and len(batch.checksum) == 64
        page = analyst_client.get(response.url).content.decode()
        assert "Checking" in page and "Waiting to read the file" in page

"""Workbooks built to attack the server that opens them (external entities, entity expansion,
a DTD, a zip bomb) or merely broken are refused with a clear message, never a 500: on the
form (400) when the zip directory and the first bytes of each part tell, in the check when
only reading the rows does. openpyxl parses with defusedxml, proved on the same workbooks."""

import io
import zipfile

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from imports import reading, registry, workbooks
from imports.apps import defused_workbook_parsing
from imports.models import ImportBatch
from seizures.models import Seizure

HEADER = ["Reference", "Date seized", "Force", "District", "Place", "Drug", "Quantity", "Unit"]
GOOD = ["WK-1", "2025-06-01", "Warwickshire", "Rugby", "House", "cocaine", "3", "g"]
SHEET = "xl/worksheets/sheet1.xml"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet_xml(prolog, cell_text):
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {MAIN}><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>Reference</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{cell_text}</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()


EXTERNAL_ENTITY = sheet_xml('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")
BILLION_LAUGHS = sheet_xml(
    '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>",
    "&lol9;",
)
DTD_ONLY = sheet_xml("<!DOCTYPE worksheet []>", "WK-1")
BROKEN = sheet_xml("", "WK-1")[:-40]  # the sheet's XML ends in the middle of a tag


def workbook(replace=None, *, compress=zipfile.ZIP_DEFLATED):
    """A real workbook of one good seizure, with parts replaced ({name: bytes})."""
    book = Workbook()
    for row in (HEADER, GOOD):
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename, source.read(item.filename)))
    return out.getvalue()


HOSTILE = {
    "an external entity": workbook({SHEET: EXTERNAL_ENTITY}),
    "entity expansion": workbook({SHEET: BILLION_LAUGHS}),
    "a DTD": workbook({SHEET: DTD_ONLY}),
    "a DTD in the workbook part": workbook(
        {"xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY a "b">]><workbook/>'}
    ),
}


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_a_hostile_workbook_is_refused_on_the_form(analyst_client, pages, attack):
    response = pages.upload("seizures", "s.xlsx", HOSTILE[attack])

    assert response.status_code == 400
    page = response.content.decode()
    assert "holds XML declarations" in page and "it is refused" in page
    assert ImportBatch.objects.count() == 0 and Seizure.objects.count() == 0


def test_a_zip_bomb_of_a_sheet_is_refused_on_the_form(analyst_client, pages):
    bomb = sheet_xml("", "WK-1").replace(b"<sheetData>", b"<sheetData>" + b" " * 20_000_000)

    response = pages.upload("seizures", "s.xlsx", workbook({SHEET: bomb}))

    assert response.status_code == 400
    assert "would unpack to 20,000," in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_workbook_whose_parts_unpack_past_the_limit_is_refused(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000  # so 20,000 unpacked bytes is the most allowed
    content = workbook({SHEET: sheet_xml("", "x" * 30_000)}, compress=zipfile.ZIP_STORED)
    with pytest.raises(reading.FileRefused, match="far more than any spreadsheet holds"):
        workbooks.inspect(io.BytesIO(content), len(content))


def test_a_broken_sheet_is_refused_by_the_check_with_the_place_named(analyst_client, pages):
    response = pages.upload("seizures", "s.xlsx", workbook({SHEET: BROKEN}))

    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    assert "The workbook is damaged: the XML of the workbook cannot be read (line 1, column" in batch.error
    assert "This file cannot be imported" in analyst_client.get(response.url).content.decode()
    assert Seizure.objects.count() == 0


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_the_command_refuses_a_hostile_workbook_with_exit_1(analyst, tmp_path, attack):
    path = tmp_path / "s.xlsx"
    path.write_bytes(HOSTILE[attack])
    for extra in (["--user", "analyst"], ["--dry-run"]):
        with pytest.raises(CommandError, match="holds XML declarations") as refusal:
            call_command("import_records", "seizures", str(path), *extra)
        assert refusal.value.returncode == 1
    assert ImportBatch.objects.count() == 0 and Seizure.objects.count() == 0


def test_the_command_refuses_a_broken_sheet_with_exit_1(analyst, tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook({SHEET: BROKEN}))
    with pytest.raises(CommandError, match="The workbook is damaged"):
        call_command("import_records", "seizures", str(path), "--user", "analyst")
    assert ImportBatch.objects.get().status == ImportBatch.Status.REFUSED


# --- defusedxml, beneath the first-bytes check --------------------------------------------------


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    assert defused_workbook_parsing(None) == []


@pytest.mark.parametrize("sheet", [EXTERNAL_ENTITY, BILLION_LAUGHS])
def test_openpyxl_itself_refuses_entities(sheet):
    with pytest.raises(ValueError) as refusal:  # openpyxl wraps the parser's refusal
        book = openpyxl.load_workbook(io.BytesIO(workbook({SHEET: sheet})), read_only=True)
        list(book.worksheets[0].iter_rows(values_only=True))
    cause = refusal.value
    while cause is not None and not isinstance(cause, DefusedXmlException):
        cause = cause.__cause__ or cause.__context__
    assert isinstance(cause, DefusedXmlException)


@pytest.mark.parametrize("sheet", [EXTERNAL_ENTITY, BILLION_LAUGHS])
def test_reading_refuses_entities_even_past_the_first_bytes_check(monkeypatch, sheet):
    monkeypatch.setattr(workbooks, "inspect", lambda file, size: None)
    with pytest.raises(reading.FileRefused, match="holds XML declarations"):
        reading.read_table(io.BytesIO(workbook({SHEET: sheet})), "xlsx", registry.get("seizures").columns)


def test_start_up_fails_when_openpyxl_would_not_use_defusedxml(monkeypatch):
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    errors = defused_workbook_parsing(None)
    assert [error.id for error in errors] == ["imports.E001"]

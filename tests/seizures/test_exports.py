"""CSV and XLSX exports hold exactly the filtered rows (every page of them), safely."""

import csv
import io

import pytest
from openpyxl import load_workbook

from geography.models import Area
from tests.factories.seizures import SeizureFactory, WarrantFactory, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_seizures(db):
    rugby, worcester = Area.objects.get(name="Rugby"), Area.objects.get(name="Worcester")
    for number in range(30):
        area = rugby if number % 3 else worcester
        drug = ("cocaine", 2, "g") if number % 2 else ("herbal-cannabis", 10, "g")
        SeizureFactory(reference=f"R-{number:02d}", area=area, force=area.force, items=[item(*drug)])
    SeizureFactory(reference="=HYPERLINK(1)", area=rugby, force=rugby.force, items=[item("cocaine", 1, "g")])
    return rugby


def rows_on_pages(client, query):
    references, page = [], 1
    while True:
        response = client.get(f"/seizures/?{query}&page={page}")
        table = response.context["table"]
        references += [row.record.reference for row in table.paginated_rows]
        if not table.page.has_next():
            return references
        page += 1


def test_csv_holds_exactly_the_filtered_rows_across_pages(analyst_client, many_seizures):
    query = f"area={many_seizures.pk}&drug=cocaine"
    response = analyst_client.get(f"/seizures/?{query}&_export=csv")
    assert response["Content-Disposition"].startswith('attachment; filename="seizures.csv"')
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    expected = rows_on_pages(analyst_client, query)
    assert [row["Reference"] for row in rows] == [
        "'=HYPERLINK(1)" if r.startswith("=") else r for r in expected
    ]
    assert len(rows) == 11
    first = rows[0]
    assert set(first) == {
        "Reference",
        "Date seized",
        "Force",
        "District",
        "Place description",
        "Drugs",
        "Street value",
        "Warrant",
    }
    assert first["Drugs"].startswith("Cocaine ") and first["Street value"] in {"60.00", "120.00"}


def test_every_row_is_exported_not_only_the_first_page(analyst_client, many_seizures):
    response = analyst_client.get("/seizures/?_export=csv")
    assert len(response.getvalue().decode().splitlines()) == 1 + 31
    assert len(analyst_client.get("/seizures/").context["table"].paginated_rows) == 25


def test_xlsx_holds_the_same_rows_as_csv(analyst_client, many_seizures):
    query = "drug=herbal-cannabis"
    csv_rows = list(
        csv.reader(io.StringIO(analyst_client.get(f"/seizures/?{query}&_export=csv").getvalue().decode()))
    )
    workbook = load_workbook(io.BytesIO(analyst_client.get(f"/seizures/?{query}&_export=xlsx").getvalue()))
    xlsx_rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]
    assert xlsx_rows == csv_rows
    assert len(xlsx_rows) == 1 + 15


def test_warrant_export_shows_results_as_words(analyst_client):
    WarrantFactory(reference="W-EXPORT", result="nothing_found")
    rows = list(csv.DictReader(io.StringIO(analyst_client.get("/warrants/?_export=csv").getvalue().decode())))
    assert rows[0]["Reference"] == "W-EXPORT" and rows[0]["Result"] == "Nothing found"

"""Upload -> preview -> confirm -> import, on the pages, and the record of imports."""

from django.urls import reverse

from imports.models import ImportBatch
from seizures.models import Seizure, Warrant
from tests.factories.imports import csv_bytes

HEADER = ["Reference", "Date seized", "Force", "District", "Place", "Postcode", "Drug", "Quantity", "Unit"]
ROWS = [
    ["WK-1", "2025-06-01", "Warwickshire", "Rugby", "House", "CV21 2DP", "herbal-cannabis", "12.5", "g"],
    ["WK-1", "2025-06-01", "Warwickshire", "Rugby", "House", "CV21 2DP", "cocaine", "3", "g"],
    ["WM-9", "01/05/2025", "West Mercia", "E07000237", "Car", "", "Cocaine", "1", "kg"],
]


def test_an_analyst_previews_then_imports_a_file(analyst_client, pages):
    response = pages.upload("seizures", "seizures.csv", csv_bytes(HEADER, ROWS))

    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[batch.pk])
    assert batch.status == ImportBatch.Status.PREVIEWED  # tasks run in-process in tests
    assert (batch.rows, batch.created, batch.updated, batch.unchanged, batch.invalid) == (3, 2, 0, 0, 0)
    assert Seizure.objects.count() == 0  # a preview writes nothing
    page = analyst_client.get(response.url)
    assert b"What importing this file will do" in page.content
    assert b"Import 3 rows" in page.content

    pages.confirm(batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.created == 2 and not batch.upload  # the stored file goes when the task ends
    seizure = Seizure.objects.get(reference="WK-1")
    assert sorted(i.drug.code for i in seizure.items.all()) == ["cocaine", "herbal-cannabis"]
    assert all(i.value_pence is not None and i.drug_class for i in seizure.items.all())  # priced as on a form
    assert seizure.history.first().history_user.username == "analyst"
    assert Seizure.objects.get(reference="WM-9").area.name == "Worcester"
    listing = analyst_client.get(reverse("imports:list"))
    assert b"seizures.csv" in listing.content and batch.checksum[:12].encode() in listing.content


def test_the_same_file_again_changes_nothing_and_says_it_was_imported_before(analyst_client, pages):
    for _ in range(2):
        pages.upload("seizures", "seizures.csv", csv_bytes(HEADER, ROWS))
        batch = ImportBatch.objects.order_by("-pk").first()
        pages.confirm(batch)

    batch.refresh_from_db()
    assert (batch.created, batch.updated, batch.unchanged) == (0, 0, 2), (
        batch.status,
        batch.error,
        batch.row_errors,
    )
    assert Seizure.objects.count() == 2
    assert b"was imported before" in analyst_client.get(reverse("imports:detail", args=[batch.pk])).content


def test_a_changed_row_updates_the_record_matched_by_reference_and_force(analyst_client, pages):
    pages.upload("seizures", "a.csv", csv_bytes(HEADER, ROWS))
    pages.confirm(ImportBatch.objects.get())
    changed = [row[:] for row in ROWS]
    changed[2][4] = "Van"

    pages.upload("seizures", "b.csv", csv_bytes(HEADER, changed))
    batch = ImportBatch.objects.order_by("-pk").first()
    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 1)
    pages.confirm(batch)

    assert Seizure.objects.get(reference="WM-9").place == "Van"
    assert Seizure.objects.count() == 2


def test_warrants_import_through_the_same_pages(analyst_client, pages):
    header = ["Reference", "Force", "District", "Date issued", "Date executed", "Result", "Arrests"]
    rows = [["W-1", "Warwickshire", "Rugby", "2025-05-02", "2025-05-06", "Drugs found", "2"]]
    pages.upload("warrants", "w.csv", csv_bytes(header, rows))
    pages.confirm(ImportBatch.objects.get())

    warrant = Warrant.objects.get()
    assert (warrant.reference, warrant.result, warrant.arrests) == ("W-1", "drugs_found", 2)


def test_the_template_of_each_type_downloads_in_both_formats(analyst_client, pages):
    for record_type in ("seizures", "warrants", "offences", "police-uk-stop-search"):
        for file_format in ("csv", "xlsx"):
            response = analyst_client.get(reverse("imports:template", args=[record_type, file_format]))
            assert response.status_code == 200
            assert "attachment" in response["Content-Disposition"]
    csv_text = analyst_client.get(reverse("imports:template", args=["seizures", "csv"])).content.decode()
    assert csv_text.startswith("Reference,Date seized,Force,District")


def test_the_status_endpoint_reports_progress(analyst_client, pages):
    pages.upload("seizures", "seizures.csv", csv_bytes(HEADER, ROWS))
    batch = ImportBatch.objects.get()

    state = analyst_client.get(reverse("imports:status", args=[batch.pk])).json()

    assert state == {
        "status": "previewed",
        "status_label": "Ready to import",
        "done": 3,
        "total": 3,
        "percent": 100,
        "finished": True,
        "message": "3 of 3 rows (100%)",
    }


def test_the_stop_search_import_asks_for_the_force(analyst_client, pages, shared_data):
    content = (shared_data / "police-uk/2018-03-warwickshire-stop-and-search.csv").read_bytes()

    missing = pages.upload("police-uk-stop-search", "ss.csv", content)
    assert missing.status_code == 400
    pages.upload("police-uk-stop-search", "ss.csv", content, force="Warwickshire")

    assert ImportBatch.objects.get().created == 69


def test_warrants_are_found_by_reference_in_any_case_and_an_unknown_one_is_named(analyst):
    from offences.models import Offence
    from tests.factories.imports import import_bytes
    from tests.factories.seizures import WarrantFactory

    WarrantFactory(reference="WK-W-7", user=analyst)
    header = ["Crime reference", "Date recorded", "Force", "District", "Offence type", "Cultivation",
              "Warrant reference"]  # fmt: skip
    rows = [
        ["23/1/25", "2025-06-01", "Warwickshire", "Rugby", "supply", "no", "wk-w-7"],
        ["23/2/25", "2025-06-01", "Warwickshire", "Rugby", "supply", "no", "WK-W-8"],
    ]

    batch = import_bytes("o.csv", csv_bytes(header, rows), "offences", user=analyst)

    assert batch.row_errors == [
        {
            "line": 3,
            "lines": [3],
            "reason": "Warrant reference: Warwickshire has no warrant WK-W-8",
            "reasons": ["Warrant reference: Warwickshire has no warrant WK-W-8"],
        }
    ]
    batch = import_bytes("o.csv", csv_bytes(header, rows[:1]), "offences", user=analyst)
    assert batch.created == 1
    assert Offence.objects.get().warrant.reference == "WK-W-7"

"""Every problem of every invalid row at once, a CSV of them, states that say what they mean,
and previews that agree with what is stored."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from imports.models import ImportBatch
from seizures.models import Seizure
from tests.factories.imports import csv_bytes

HEADER = ["Reference", "Date seized", "Force", "District", "Place", "Postcode", "Drug", "Quantity", "Unit"]
GOOD = ["WK-1", "2025-06-01", "Warwickshire", "Rugby", "House", "CV21 2DP", "cocaine", "3", "g"]


def test_every_problem_of_a_row_is_listed_at_once(analyst_client, pages):
    bad = [
        "WK-2",
        "2025-02-30",
        "Warwickshire",
        "Atlantis",
        "House",
        "not a postcode",
        "unobtainium",
        "-1",
        "pints",
    ]

    pages.upload("seizures", "s.csv", csv_bytes(HEADER, [GOOD, bad]))

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.get_status_display() == "Refused"
    (error,) = batch.row_errors
    assert error["lines"] == [3]
    assert error["reasons"] == [
        "Date seized: ‘2025-02-30’ is not a date (use 2025-06-30 or 30/06/2025)",
        "District: ‘Atlantis’ is not known here",
        "Drug: ‘unobtainium’ is not known here",
        "Unit: ‘pints’ is not one of g, kg, plants, doses, ml",
        "Postcode: Ensure this value has at most 8 characters (it has 14).",
    ]
    page = analyst_client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    for reason in (
        "‘Atlantis’ is not known here",
        "‘unobtainium’ is not known here",
        "‘pints’ is not one of",
    ):
        assert reason in page
    assert "Ready to import" not in page and "Refused" in page
    assert "Import 2 rows" not in page
    assert not batch.upload  # it can never be imported: the file is not kept


def test_the_refused_rows_download_as_csv_safe_from_formulas(analyst_client, pages):
    bad = ["WK-2", "2025-06-01", "Warwickshire", '=HYPERLINK("http://x")', "House", "", "cocaine", "3", "g"]
    other = ["WK-3", "soon", "Warwickshire", "Rugby", "House", "", "@SUM(1)", "3", "g"]
    pages.upload("seizures", "s.csv", csv_bytes(HEADER, [GOOD, bad, other]))
    batch = ImportBatch.objects.get()

    response = analyst_client.get(reverse("imports:refused_rows", args=[batch.pk]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Row", "Rows of the record", "Problem"]
    assert rows[1] == ["3", "3", 'District: ‘=HYPERLINK("http://x")’ is not known here']
    assert rows[2][:2] == ["4", "4"] and rows[2][2].startswith("Date seized: ‘soon’")
    assert rows[3] == ["4", "4", "Drug: ‘@SUM(1)’ is not known here"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_formula_like_problem_is_neutralised(analyst_client, analyst):
    batch = ImportBatch.objects.create(
        record_type="seizures",
        created_by=analyst,
        checksum="x",
        status="refused",
        invalid=1,
        row_errors=[{"line": 2, "lines": [2], "reason": "=cmd", "reasons": ["=cmd", "-2"]}],
    )

    body = analyst_client.get(reverse("imports:refused_rows", args=[batch.pk])).content.decode("utf-8-sig")

    assert body.splitlines()[1:] == ["2,2,'=cmd", "2,2,'-2"]


def test_a_batch_without_refused_rows_has_no_download(analyst_client, pages):
    pages.upload("seizures", "s.csv", csv_bytes(HEADER, [GOOD]))
    batch = ImportBatch.objects.get()
    assert analyst_client.get(reverse("imports:refused_rows", args=[batch.pk])).status_code == 404


def test_someone_who_may_not_see_the_batch_cannot_download_its_rows(manager_client, analyst):
    batch = ImportBatch.objects.create(
        record_type="seizures", created_by=analyst, checksum="x", status="refused", invalid=1,
        row_errors=[{"line": 2, "lines": [2], "reason": "x", "reasons": ["x"]}],
    )  # fmt: skip
    assert manager_client.get(reverse("imports:refused_rows", args=[batch.pk])).status_code in (403, 404)


def test_a_command_line_import_refused_for_invalid_rows_ends_refused(analyst, tmp_path, capsys):
    path = tmp_path / "s.csv"
    path.write_bytes(
        csv_bytes(HEADER, [GOOD, ["WK-2", "2025-06-01", "Warwickshire", "Atlantis", "", "", "x", "1", "g"]])
    )

    with pytest.raises(CommandError, match="1 invalid record") as refusal:
        call_command("import_records", "seizures", str(path), "--user", "analyst")

    assert refusal.value.returncode == 1
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED and not batch.upload
    out = capsys.readouterr().out
    assert "District: ‘Atlantis’ is not known here" in out and "Drug: ‘x’ is not known here" in out
    assert Seizure.objects.count() == 0


def test_a_dry_run_with_invalid_rows_exits_1(db, tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(
        csv_bytes(HEADER, [["WK-2", "2025-06-01", "Warwickshire", "Atlantis", "", "", "x", "1", "g"]])
    )
    with pytest.raises(CommandError, match="would be refused"):
        call_command("import_records", "seizures", str(path), "--dry-run")


# --- previews that agree with what is stored ---------------------------------------------------


def test_a_file_imported_before_says_it_changes_nothing_and_counts_nothing_new(analyst_client, pages):
    pages.upload("seizures", "s.csv", csv_bytes(HEADER, [GOOD]))
    pages.confirm(ImportBatch.objects.get())

    response = pages.upload("seizures", "s.csv", csv_bytes(HEADER, [GOOD]))
    page = analyst_client.get(response.url).content.decode()

    batch = ImportBatch.objects.order_by("-pk").first()
    assert (batch.created, batch.unchanged) == (0, 1)
    assert "was imported before" in page and "Importing it again changes nothing" in page


def test_two_uploads_of_one_file_checked_before_either_is_imported_agree_after_the_first(
    analyst_client, pages
):
    first = pages.upload("seizures", "s.csv", csv_bytes(HEADER, [GOOD]))
    second = pages.upload("seizures", "s.csv", csv_bytes(HEADER, [GOOD]))
    one, two = ImportBatch.objects.order_by("pk")
    assert (one.created, two.created) == (1, 1)

    pages.confirm(one)
    page = _detail_running_tasks(analyst_client, second.url)

    two.refresh_from_db()
    assert two.status == ImportBatch.Status.PREVIEWED
    assert (two.created, two.unchanged) == (0, 1)  # checked again: no longer "New seizures 1"
    assert "Importing it again changes nothing" in page
    assert first.url != second.url


def test_confirming_a_stale_preview_checks_it_again_instead_of_importing(analyst_client, pages):
    pages.upload("seizures", "a.csv", csv_bytes(HEADER, [GOOD]))
    pages.upload("seizures", "b.csv", csv_bytes(HEADER, [[*GOOD[:4], "Van", *GOOD[5:]]]))
    one, two = ImportBatch.objects.order_by("pk")
    pages.confirm(one)

    response = pages.confirm(two)

    two.refresh_from_db()
    assert two.status == ImportBatch.Status.PREVIEWED  # checked again, not imported
    assert (two.created, two.updated) == (0, 1)
    assert "being checked again" in analyst_client.get(response.url).content.decode()


def test_when_the_store_differs_the_imported_before_note_says_what_would_change(analyst_client, pages):
    pages.upload("seizures", "s.csv", csv_bytes(HEADER, [GOOD]))
    pages.confirm(ImportBatch.objects.get())
    pages.upload("seizures", "van.csv", csv_bytes(HEADER, [[*GOOD[:4], "Van", *GOOD[5:]]]))
    pages.confirm(ImportBatch.objects.order_by("-pk").first())

    response = pages.upload("seizures", "s.csv", csv_bytes(HEADER, [GOOD]))

    page = analyst_client.get(response.url).content.decode()
    assert "was imported before" in page
    assert "importing it again adds 0 and changes 1" in page
    assert "changes nothing" not in page


def _detail_running_tasks(client, url):
    """The page, after the check it queued has run as the worker would run it."""
    from imports import services

    page = client.get(url)
    batch = ImportBatch.objects.order_by("-pk").first()
    if batch.status == ImportBatch.Status.UPLOADED:
        services.batch_preview(batch.pk)
        page = client.get(url)
    return page.content.decode()

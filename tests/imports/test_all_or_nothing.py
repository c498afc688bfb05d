"""A file is written whole or not at all; every invalid row is named with a plain reason."""

import pytest

from core.models import ChangedMonth
from imports import services
from imports.models import ImportBatch
from offences.models import Offence
from seizures import services as seizure_services
from seizures.models import Seizure, SeizureItem
from tests.factories.imports import csv_bytes, import_bytes

HEADER = ["Reference", "Date seized", "Force", "District", "Place", "Drug", "Quantity", "Unit"]


def rows(count):
    return [
        [f"WK-{n}", "2025-06-01", "Warwickshire", "Rugby", "House", "cocaine", "3", "g"] for n in range(count)
    ]


def test_one_bad_row_among_good_ones_writes_nothing_and_is_named(analyst, pages, analyst_client):
    good = rows(20)
    good[11] = [
        "WK-11",
        "2025-06-01",
        "Warwickshire",
        "Worcester",
        "House",
        "cocaine",
        "3",
        "g",
    ]  # West Mercia's
    good[14][6] = "-2"

    response = pages.upload("seizures", "s.csv", csv_bytes(HEADER, good))
    batch = ImportBatch.objects.get()

    assert (batch.created, batch.invalid) == (18, 2)
    assert batch.status == ImportBatch.Status.REFUSED  # not "Ready to import"
    assert [(error["lines"], error["reasons"]) for error in batch.row_errors] == [
        ([13], ["District: ‘Worcester’ is not known here"]),
        ([16], ["Row 16: Enter a quantity greater than 0"]),
    ]
    page = analyst_client.get(response.url).content.decode()
    assert "Rows that cannot be imported" in page and "Enter a quantity greater than 0" in page
    assert "Import 20 rows" not in page  # no confirm button
    pages.confirm(batch)
    assert Seizure.objects.count() == 0


def test_the_reference_of_a_withdrawn_seizure_is_named_not_written_again(analyst):
    assert import_bytes("s.csv", csv_bytes(HEADER, rows(1)), "seizures", user=analyst).created == 1
    seizure_services.seizure_withdraw(seizure=Seizure.objects.get(), user=analyst, reason="Entered twice")

    batch = import_bytes("again.csv", csv_bytes(HEADER, rows(2)), "seizures", user=analyst)

    assert (batch.status, batch.created, batch.invalid) == ("refused", 1, 1)
    assert [(error["line"], error["reason"]) for error in batch.row_errors] == [
        (2, "Reference: Warwickshire has a withdrawn seizure WK-0; a withdrawn reference is not reused")
    ]
    assert Seizure.objects.count() == 1


def test_model_rules_are_the_apps_own(analyst):
    content = csv_bytes(
        ["Crime reference", "Date recorded", "Force", "District", "Offence type", "Cultivation", "Outcome"],
        [
            ["23/1/25", "2025-06-01", "Warwickshire", "Rugby", "possession_cannabis", "no", ""],
            ["23/2/25", "2025-06-01", "Warwickshire", "Rugby", "production_cannabis", "no", ""],
            ["23/3/25", "2025-06-01", "Warwickshire", "Rugby", "supply", "no", "drugs_warning"],
        ],
    )
    batch = import_bytes("o.csv", content, "offences", user=analyst)

    reasons = {error["line"]: error["reason"] for error in batch.row_errors}
    assert "answer yes" in reasons[3]  # production of cannabis is cultivation (Offence.clean)
    assert "only for possession" in reasons[4]
    assert Offence.objects.count() == 0


def test_a_failure_at_row_n_while_writing_leaves_nothing(analyst, monkeypatch):
    """A fault during the write (after a clean preview) rolls the whole file back."""
    upload = csv_bytes(HEADER, rows(30))
    batch = services.batch_upload(
        user=analyst, importer=services_importer(), file=_io(upload), file_name="s.csv", schedule=False
    )
    services.batch_preview(batch.pk)
    original = seizure_services.price_item
    calls = {"n": 0}

    def price_then_fail(item, book, day, **options):
        calls["n"] += 1
        if calls["n"] == 25:
            raise RuntimeError("disk full")
        original(item, book, day, **options)

    monkeypatch.setattr(seizure_services, "price_item", price_then_fail)
    services.batch_confirm(batch=batch, schedule=False)
    batch = services.batch_import(batch.pk)

    assert batch.status == ImportBatch.Status.FAILED
    assert "unexpected error (RuntimeError); nothing was written" in batch.error
    assert Seizure.objects.count() == 0 and SeizureItem.objects.count() == 0
    assert not ChangedMonth.objects.exists()
    assert not batch.upload  # removed when the task ended, failed or not


def test_the_import_task_is_safe_to_run_twice(analyst):
    batch = services.batch_upload(
        user=analyst, importer=services_importer(), file=_io(csv_bytes(HEADER, rows(3))), file_name="s.csv",
        schedule=False,
    )  # fmt: skip
    services.batch_preview(batch.pk)
    services.batch_confirm(batch=batch, schedule=False)

    services.batch_import(batch.pk)
    second = services.batch_import(batch.pk)

    assert second.status == ImportBatch.Status.DONE and second.created == 3
    assert Seizure.objects.count() == 3


@pytest.mark.parametrize("status", ["uploaded", "queued", "importing", "done", "failed"])
def test_only_a_clean_preview_can_be_confirmed(analyst, status):
    batch = ImportBatch.objects.create(
        record_type="seizures", created_by=analyst, checksum="x", status=status
    )

    assert services.batch_confirm(batch=batch, schedule=False) is False


def services_importer():
    from imports import registry

    return registry.get("seizures")


def _io(content):
    import io

    return io.BytesIO(content)


@pytest.mark.parametrize(("items", "accepted"), [(50, True), (51, False)])
def test_a_seizure_of_more_than_50_rows_is_refused(analyst, items, accepted):
    one_seizure = [["WK-BIG", "2025-06-01", "Warwickshire", "Rugby", "House", "cocaine", "3", "g"]] * items
    batch = import_bytes("big.csv", csv_bytes(HEADER, one_seizure), "seizures", user=analyst)
    if accepted:
        assert batch.status == "done" and SeizureItem.objects.count() == 50
    else:
        assert batch.status == "refused" and not Seizure.objects.exists()
        assert "A seizure can list at most 50 drugs" in str(batch.row_errors)

"""An export in the import format, imported again, changes nothing.

The list pages' exports are for reading (one row per seizure, drugs in one cell, pounds and
formatted dates); the import page offers the same records, filtered the same way, one row per
item in the template's columns: that file is what round-trips."""

import datetime

import pytest
from django.urls import reverse

from offences.models import Offence
from seizures.models import Seizure, SeizureItem, Warrant
from tests.factories.imports import import_bytes
from tests.factories.offences import OffenceFactory
from tests.factories.seizures import SeizureFactory, WarrantFactory, drug, item


@pytest.fixture
def records(analyst):
    warrant = WarrantFactory(
        reference="W-77", cash_seized_pence=125_050, other_property="Two phones, scales", user=analyst
    )
    WarrantFactory(
        reference="W-78", result=Warrant.Result.NOT_EXECUTED, executed_on=None, arrests=0, user=analyst
    )
    SeizureFactory(
        reference="S-1", items=[item("cocaine", 3, "g"), item("herbal-cannabis", "12.5", "g")], user=analyst
    )
    SeizureFactory(
        reference="=HYPERLINK(1)", warrant=warrant, postcode="cv21 2dp", notes='Found, "bagged"', user=analyst
    )
    SeizureFactory(
        reference="S-3",
        seized_on=datetime.date(2024, 4, 1),
        items=[item("cannabis-plants", 40, "plants")],
        user=analyst,
    )
    OffenceFactory(crime_reference="23/1/25", drug=drug("herbal-cannabis"))
    OffenceFactory(
        crime_reference="23/2/25", grown=True, outcome="charged", outcome_date=datetime.date(2025, 7, 1)
    )
    OffenceFactory(crime_reference="23/3/25", factory_site=True, warrant=warrant)


def snapshot():
    return (
        list(Seizure.objects.order_by("pk").values()),
        list(SeizureItem.objects.order_by("pk").values()),
        list(Warrant.objects.order_by("pk").values()),
        list(Offence.objects.order_by("pk").values()),
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(("record_type", "count"), [("seizures", 3), ("warrants", 2), ("offences", 3)])
def test_export_then_import_changes_nothing(
    analyst, analyst_client, records, record_type, count, file_format
):
    before = snapshot()
    exported = analyst_client.get(reverse("imports:export", args=[record_type, file_format]))
    assert exported.status_code == 200

    batch = import_bytes(f"export.{file_format}", exported.getvalue(), record_type, user=analyst)

    assert (batch.status, batch.invalid, batch.row_errors) == ("done", 0, [])
    assert (batch.created, batch.updated, batch.unchanged) == (0, 0, count)
    assert snapshot() == before


def test_the_export_follows_the_list_filters(analyst_client, records):
    exported = analyst_client.get(reverse("imports:export", args=["seizures", "csv"]), {"drug": "cocaine"})

    lines = exported.getvalue().decode().splitlines()
    assert len(lines) == 3  # header and S-1's two items
    assert all(line.startswith("S-1,") for line in lines[1:])


def test_exported_text_is_safe_in_a_spreadsheet_and_comes_back_as_it_was(analyst_client, records):
    exported = analyst_client.get(reverse("imports:export", args=["seizures", "csv"])).getvalue().decode()

    assert "'=HYPERLINK(1)" in exported
    assert Seizure.objects.filter(reference="=HYPERLINK(1)").exists()


def test_records_deleted_from_the_database_come_back_identical_in_what_the_file_holds(
    analyst, analyst_client, records
):
    exported = analyst_client.get(reverse("imports:export", args=["warrants", "csv"])).getvalue()
    fields = [
        "reference",
        "force_id",
        "area_id",
        "applied_on",
        "issued_on",
        "executed_on",
        "result",
        "arrests",
        "notes",
    ]
    before = list(Warrant.objects.order_by("reference").values(*fields))
    Offence.objects.update(warrant=None)
    Seizure.objects.update(warrant=None)
    Warrant.history.all().delete()
    Warrant.objects.all().delete()

    batch = import_bytes("w.csv", exported, "warrants", user=analyst)

    assert batch.created == 2
    assert list(Warrant.objects.order_by("reference").values(*fields)) == before


def test_a_reference_stored_in_lower_case_is_found_again_not_written_twice(analyst, analyst_client):
    SeizureFactory(reference="wk-s-12", items=[item("cocaine", 3, "g")], user=analyst)
    exported = analyst_client.get(reverse("imports:export", args=["seizures", "csv"])).getvalue()

    batch = import_bytes("again.csv", exported, "seizures", user=analyst)

    assert (batch.status, batch.created, batch.unchanged) == ("done", 0, 1)
    assert list(Seizure.objects.values_list("reference", flat=True)) == ["wk-s-12"]

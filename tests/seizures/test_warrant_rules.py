"""Warrants: executed within three months of issue (PACE s16(3)), nothing seized under one before
its issue, cash and other property recorded on its results, and its page listing its offences
and seizures. Every writer (form, API, import, service) refuses the same.

"Three months" is read as calendar months by the corresponding date (Interpretation Act 1978):
issued 15 January, executable to 15 April inclusive; issued 30 November, to the end of February."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import metrics
from seizures import services
from seizures.models import Seizure, Warrant, execution_deadline
from tests.factories.geography import area
from tests.factories.imports import csv_bytes, import_bytes
from tests.factories.offences import OffenceFactory
from tests.factories.seizures import SeizureFactory, WarrantFactory, item

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2025, 1, 15)
LAST_DAY = datetime.date(2025, 4, 15)  # three calendar months on
DAY_AFTER = datetime.date(2025, 4, 16)
TOO_LATE = (
    "A warrant must be executed within three months of issue (PACE s16(3)): this one, issued on "
    "15 January 2025, could be executed until 15 April 2025"
)


@pytest.mark.parametrize(
    ("issued", "last"),
    [
        (datetime.date(2025, 1, 15), datetime.date(2025, 4, 15)),
        (datetime.date(2024, 11, 30), datetime.date(2025, 2, 28)),  # no 30 February: its last day
        (datetime.date(2023, 11, 30), datetime.date(2024, 2, 29)),  # a leap year
        (datetime.date(2025, 1, 31), datetime.date(2025, 4, 30)),
    ],
)
def test_the_deadline_is_three_calendar_months_on(issued, last):
    assert execution_deadline(issued) == last


def test_the_service_accepts_the_last_day_and_refuses_the_day_after(analyst):
    on_time = WarrantFactory(issued_on=ISSUED, executed_on=LAST_DAY, user=analyst)
    assert on_time.executed_on == LAST_DAY

    with pytest.raises(ValidationError) as refused:
        WarrantFactory(issued_on=ISSUED, executed_on=DAY_AFTER, user=analyst)
    assert refused.value.message_dict["executed_on"] == [TOO_LATE]
    assert Warrant.objects.count() == 1


def _form(**changes):
    rugby = area("Rugby")
    data = {
        "reference": "WK-W-1",
        "force": str(rugby.force_id),
        "area": str(rugby.pk),
        "issued_on_0": "15",
        "issued_on_1": "1",
        "issued_on_2": "2025",
        "executed_on_0": "15",
        "executed_on_1": "4",
        "executed_on_2": "2025",
        "result": "drugs_found",
        "arrests": "2",
        "cash_seized_pence": "£1,250.50",
        "other_property": "Two phones",
        "notes": "",
    }
    return {**data, **changes}


def test_the_form_accepts_the_last_day_and_stores_the_cash_in_pence(analyst_client):
    response = analyst_client.post(reverse("seizures:warrant_create"), _form())

    assert response.status_code == 302, response.context["form"].errors
    warrant = Warrant.objects.get()
    assert (warrant.executed_on, warrant.cash_seized_pence, warrant.other_property) == (
        LAST_DAY,
        125_050,
        "Two phones",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"executed_on_0": "16"}, "executed_on", TOO_LATE),
        (
            {"cash_seized_pence": "lots"},
            "cash_seized_pence",
            "Enter an amount in pounds, like 1250 or 1,250.50",
        ),
        ({"cash_seized_pence": "-5"}, "cash_seized_pence", "Enter an amount of £0 or more"),
        ({"cash_seized_pence": "10.005"}, "cash_seized_pence", "Enter the pence as two digits at most"),
        (
            {"result": "not_executed", "executed_on_0": "", "executed_on_1": "", "executed_on_2": ""},
            "cash_seized_pence",
            "A warrant not executed seized nothing",
        ),
    ],
)
def test_the_form_refuses_with_a_message(analyst_client, changes, field, message):
    response = analyst_client.post(reverse("seizures:warrant_create"), _form(**changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Warrant.objects.exists()


def _api(**changes):
    rugby = area("Rugby")
    return {
        "reference": "WK-W-2",
        "force": rugby.force_id,
        "area": rugby.pk,
        "issued_on": "2025-01-15",
        "executed_on": "2025-04-15",
        "result": "drugs_found",
        "cash_seized_pence": 50_000,
        **changes,
    }


def test_the_api_accepts_the_last_day_and_refuses_the_day_after(analyst_client):
    refused = analyst_client.post(
        "/api/v1/warrants/", _api(executed_on="2025-04-16"), content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json() == {"executed_on": [TOO_LATE]}

    accepted = analyst_client.post("/api/v1/warrants/", _api(), content_type="application/json")
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["cash_seized_pence"] == 50_000


def test_the_api_refuses_negative_cash(analyst_client):
    response = analyst_client.post(
        "/api/v1/warrants/", _api(cash_seized_pence=-1), content_type="application/json"
    )
    assert response.status_code == 400 and "cash_seized_pence" in response.json()


HEADER = ["Reference", "Force", "District", "Date issued", "Date executed", "Result", "Cash seized (£)"]


def test_an_import_refuses_a_warrant_executed_too_late_naming_the_row(analyst):
    rows = [
        ["W-ON-TIME", "Warwickshire", "Rugby", "2025-01-15", "2025-04-15", "drugs_found", "1,250.50"],
        ["W-LATE", "Warwickshire", "Rugby", "2025-01-15", "2025-04-16", "drugs_found", ""],
    ]
    batch = import_bytes("warrants.csv", csv_bytes(HEADER, rows), "warrants", user=analyst)

    assert batch.status == "refused"
    assert [error["line"] for error in batch.row_errors] == [3]
    assert TOO_LATE in batch.row_errors[0]["reason"]
    assert not Warrant.objects.exists()

    batch = import_bytes("warrants.csv", csv_bytes(HEADER, rows[:1]), "warrants", user=analyst)
    assert batch.status == "done"
    assert Warrant.objects.get().cash_seized_pence == 125_050


# --- seizures not before the warrant's issue ------------------------------------------------

BEFORE_ISSUE = "Warrant W-1 was issued on 15 January 2025: a seizure under it cannot be dated before then"


def test_a_seizure_dated_before_its_warrant_is_refused_and_on_the_day_accepted(analyst):
    warrant = WarrantFactory(reference="W-1", issued_on=ISSUED, executed_on=ISSUED)

    with pytest.raises(ValidationError) as refused:
        SeizureFactory(warrant=warrant, seized_on=ISSUED - datetime.timedelta(days=1), user=analyst)
    assert refused.value.message_dict["seized_on"] == [BEFORE_ISSUE]
    assert SeizureFactory(warrant=warrant, seized_on=ISSUED, user=analyst).warrant == warrant


def test_the_seizure_form_and_api_refuse_it_too(analyst_client):
    warrant = WarrantFactory(reference="W-1", issued_on=ISSUED, executed_on=ISSUED)
    rugby = area("Rugby")
    form = {
        "reference": "S-1", "seized_on_0": "14", "seized_on_1": "1", "seized_on_2": "2025",
        "force": str(rugby.force_id), "area": str(rugby.pk), "place": "House", "postcode": "",
        "warrant_reference": "W-1", "site_reference": "", "notes": "",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "50", "items-0-drug": "1", "items-0-quantity": "3", "items-0-unit": "g",
    }  # fmt: skip
    from seizures.models import Drug

    form["items-0-drug"] = str(Drug.objects.get(code="cocaine").pk)
    response = analyst_client.post(reverse("seizures:seizure_create"), form)
    assert response.status_code == 200
    assert response.context["form"].errors["seized_on"] == [BEFORE_ISSUE]

    api = analyst_client.post(
        "/api/v1/seizures/",
        {
            "reference": "S-2",
            "seized_on": "2025-01-14",
            "force": rugby.force_id,
            "area": rugby.pk,
            "place": "House",
            "warrant": warrant.pk,
            "items": [{"drug": "cocaine", "quantity": "3", "unit": "g"}],
        },  # fmt: skip
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json() == {"seized_on": [BEFORE_ISSUE]}
    assert not Seizure.objects.exists()


def test_moving_a_warrants_issue_after_its_seizures_is_refused(analyst):
    warrant = WarrantFactory(reference="W-1", issued_on=ISSUED, executed_on=ISSUED)
    SeizureFactory(reference="S-9", warrant=warrant, seized_on=ISSUED)

    with pytest.raises(ValidationError) as refused:
        services.warrant_update(
            warrant=warrant, user=analyst, issued_on=ISSUED + datetime.timedelta(days=1), executed_on=None,
            result="not_executed",
        )  # fmt: skip
    assert (
        "Seizure S-9 under this warrant is dated 15 January 2025"
        in refused.value.message_dict["issued_on"][0]
    )


# --- cash seized is a figure; the warrants figures stay right ------------------------------


def test_cash_seized_is_a_figure_by_the_execution_date(analyst):
    WarrantFactory(issued_on=ISSUED, executed_on=datetime.date(2025, 2, 1), cash_seized_pence=125_050)
    WarrantFactory(issued_on=ISSUED, executed_on=datetime.date(2025, 3, 1), cash_seized_pence=10_000)
    WarrantFactory(issued_on=ISSUED, executed_on=None, result="not_executed", arrests=0)
    cash = metrics.get("warrants.cash_seized_pence")

    total = cash.queryset().aggregate(value=cash.value)["value"]
    february = cash.queryset().filter(executed_on__month=2).aggregate(value=cash.value)["value"]

    assert (total, february) == (135_050, 125_050)
    issued = metrics.get("warrants.issued")
    assert issued.queryset().aggregate(value=issued.value)["value"] == 3
    executed = metrics.get("warrants.executed")
    assert executed.queryset().aggregate(value=executed.value)["value"] == 2


# --- the warrant's page ---------------------------------------------------------------------


def test_the_warrant_page_lists_its_offences_and_seizures(analyst_client):
    warrant = WarrantFactory(reference="W-1", issued_on=ISSUED, executed_on=ISSUED, cash_seized_pence=125_050)
    SeizureFactory(reference="S-UNDER", warrant=warrant, seized_on=ISSUED, items=[item("crack", 4, "g")])
    SeizureFactory(reference="S-ELSEWHERE", seized_on=ISSUED)
    OffenceFactory(crime_reference="23/1/25", warrant=warrant, offence_type="supply", recorded_date=ISSUED)
    OffenceFactory(crime_reference="23/2/25", recorded_date=ISSUED)

    response = analyst_client.get(warrant.get_absolute_url())

    html = response.text
    assert "S-UNDER" in html and "Crack" in html and "S-ELSEWHERE" not in html
    assert "23/1/25" in html and "Supplying or offering to supply" in html and "23/2/25" not in html
    assert "£1,250.50" in html


def test_a_manager_without_offences_reads_no_offences_there(client, analyst):
    from tests.factories import UserFactory

    reader = UserFactory(username="warrants-only", role="Manager")
    reader.groups.clear()
    from django.contrib.auth.models import Permission

    reader.user_permissions.add(Permission.objects.get(codename="view_warrant"))
    client.force_login(reader)
    warrant = WarrantFactory(reference="W-1")
    OffenceFactory(crime_reference="23/1/25", warrant=warrant)

    response = client.get(warrant.get_absolute_url())

    assert response.status_code == 200
    assert "23/1/25" not in response.text

"""Offence files: new offences written in bulk are stored, audited and counted as one saved
through the form would be; a withdrawn offence's crime reference is named, not reused."""

import datetime

from django.urls import reverse

from core.models import ChangedMonth
from offences import services
from offences.models import Offence
from tests.factories.imports import csv_bytes, import_bytes

HEADER = ["Crime reference", "Date recorded", "Force", "District", "Offence type", "Cultivation", "Plants",
          "Site type", "Outcome", "Outcome date"]  # fmt: skip
ROWS = [
    ["23/1/25", "2025-06-03", "Warwickshire", "Rugby", "supply", "no", "", "", "charged", "2025-08-20"],
    ["23/2/25", "2025-07-01", "West Mercia", "Worcester", "production_cannabis", "yes", "40", "residential",
     "", ""],
]  # fmt: skip


def test_new_offences_are_stored_with_their_history_and_their_months_marked(analyst, analyst_client):
    batch = import_bytes("o.csv", csv_bytes(HEADER, ROWS), "offences", user=analyst)

    assert (batch.status, batch.created) == ("done", 2)
    charged = Offence.objects.get(crime_reference="23/1/25")
    assert (charged.offence_group, charged.outcome, charged.outcome_date) == (
        "92A",
        "charged",
        datetime.date(2025, 8, 20),
    )
    grown = Offence.objects.get(crime_reference="23/2/25")
    assert (grown.cultivation, grown.plants, grown.site_type, grown.area.name) == (
        True,
        40,
        "residential",
        "Worcester",
    )
    assert [(h.history_type, h.history_user) for h in charged.history.all()] == [("+", analyst)]
    page = analyst_client.get(reverse("offences:offence_detail", args=[charged.pk])).content.decode()
    assert "Created</h3>" in page and f"by {analyst.get_full_name()}" in page
    marked = set(ChangedMonth.objects.filter(source="offences").values_list("month", flat=True))
    assert marked == {datetime.date(2025, 6, 1), datetime.date(2025, 7, 1), datetime.date(2025, 8, 1)}


def test_a_withdrawn_offences_crime_reference_is_named_not_written_again(analyst):
    import_bytes("o.csv", csv_bytes(HEADER, ROWS[:1]), "offences", user=analyst)
    services.offence_withdraw(offence=Offence.objects.get(), user=analyst, reason="Recorded twice")

    batch = import_bytes("again.csv", csv_bytes(HEADER, ROWS), "offences", user=analyst)

    assert (batch.status, batch.created, batch.invalid) == ("refused", 1, 1)
    assert batch.row_errors[0]["reason"] == (
        "Crime reference: Warwickshire has a withdrawn offence 23/1/25; a withdrawn reference is not reused"
    )
    assert Offence.objects.count() == 1


def test_every_row_is_held_to_the_models_rules_not_only_the_first_of_its_kind(analyst):
    rows = [list(ROWS[0]) for _ in range(3)]
    for number, row in enumerate(rows):
        row[0] = f"23/{number}/26"
    rows[2][9] = "2025-06-01"  # charged before it was recorded

    batch = import_bytes("o.csv", csv_bytes(HEADER, rows), "offences", user=analyst)

    assert batch.row_errors == [
        {
            "line": 4,
            "lines": [4],
            "reason": "Outcome date: The outcome date must be on or after the date recorded",
            "reasons": ["Outcome date: The outcome date must be on or after the date recorded"],
        }
    ]
    assert Offence.objects.count() == 0

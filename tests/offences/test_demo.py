"""The demo offences: plausible, valid, linked to warrants when they exist, and loaded once."""

import datetime
import io
import time

import pytest
from django.db.models import Count

from offences.demo import load_demo_offences
from offences.models import Offence
from tests.factories.offences import warrant

pytestmark = pytest.mark.django_db


def test_three_years_of_offences_for_both_forces_in_the_home_office_mix():
    # CPU time, not wall time: other test processes on a busy machine must not fail this.
    started = time.process_time()
    load_demo_offences(io.StringIO())
    elapsed = time.process_time() - started

    assert elapsed < 5
    counts = {
        (row["force__name"], row["offence_group"]): row["n"]
        for row in Offence.objects.values("force__name", "offence_group").annotate(n=Count("pk"))
    }
    # About a quarter of 2017/18's volumes a year: West Mercia about 2.4 times Warwickshire.
    warwickshire = sum(n for (force, _), n in counts.items() if force == "Warwickshire")
    west_mercia = sum(n for (force, _), n in counts.items() if force == "West Mercia")
    assert 600 < warwickshire < 1100
    assert 1.8 < west_mercia / warwickshire < 3
    assert counts[("West Mercia", "92E")] > counts[("West Mercia", "92A")]
    assert Offence.objects.order_by("recorded_date").first().recorded_date >= datetime.date(2023, 4, 1)
    assert Offence.objects.filter(cultivation=True).count() > 100
    assert (
        5
        < Offence.objects.filter(factory=True).count()
        < Offence.objects.filter(cultivation=True).count() / 4
    )
    assert Offence.objects.filter(outcome="ongoing").exists()
    assert Offence.history.count() == Offence.objects.count()


def test_a_sample_of_the_demo_passes_every_check():
    load_demo_offences(io.StringIO())

    for offence in Offence.objects.select_related("force", "area", "warrant").order_by("?")[:150]:
        offence.full_clean()


def test_loading_twice_adds_nothing():
    load_demo_offences(io.StringIO())
    first = set(Offence.objects.values_list("force_id", "crime_reference", "recorded_date", "offence_type"))

    out = io.StringIO()
    load_demo_offences(out)

    assert (
        set(Offence.objects.values_list("force_id", "crime_reference", "recorded_date", "offence_type"))
        == first
    )
    assert "0 offences added" in out.getvalue()


def test_some_trafficking_offences_follow_a_warrant_of_their_force():
    for number in range(40):
        warrant(
            f"WK-W-{number:04d}", executed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=number * 9)
        )

    load_demo_offences(io.StringIO())

    linked = Offence.objects.filter(warrant__isnull=False).select_related("warrant")
    assert linked.count() > 5
    for offence in linked:
        assert offence.offence_group == "92A"
        assert offence.force_id == offence.warrant.force_id
        assert offence.area_id == offence.warrant.area_id
        assert offence.warrant.executed_on <= offence.recorded_date

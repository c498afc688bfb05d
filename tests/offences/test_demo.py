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
    # Only production or cultivation of cannabis carries the cultivation flag.
    assert not Offence.objects.filter(cultivation=True).exclude(offence_type="production_cannabis").exists()
    # Supply offences name their drug with its class then: Class A supply is countable.
    class_a_supply = Offence.objects.filter(
        offence_type__in=["supply", "concerned_in_supply"], drug_class="A"
    )
    assert class_a_supply.count() > 50
    assert not Offence.objects.filter(drug__isnull=False, drug_class="").exists()
    assert {"diversion", "caution_adult", "caution_youth"} <= set(
        Offence.objects.values_list("outcome", flat=True)
    )
    assert not Offence.objects.filter(outcome__in=["caution", "other", "not_in_public_interest"]).exists()
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


def test_with_the_seizures_demo_offenders_point_at_factories_counted_once():
    from seizures.demo import load_demo_seizures
    from seizures.models import Site

    load_demo_seizures(io.StringIO())
    load_demo_offences(io.StringIO())

    sites = Site.objects.live()
    assert 150 < sites.count() < 350  # about 70 a year over three and a half years
    assert sites.filter(closed_on__isnull=True).exists()  # some still under observation
    assert {s.size_band.category for s in sites.select_related("size_band")} == {1, 2, 3, 4}
    for site in sites.select_related("size_band", "warrant").order_by("?")[:40]:
        site.full_clean()
        assert site.seizures.count() == 1
    at_sites = Offence.objects.filter(site__isnull=False)
    assert at_sites.exists()
    assert not at_sites.exclude(offence_type="production_cannabis").exists()
    shared = at_sites.values("site").annotate(n=Count("pk")).filter(n__gt=1)
    assert shared.exists()  # two offenders at one farm: one factory
    for offence in at_sites.select_related("site", "warrant", "drug")[:40]:
        offence.full_clean()

"""Demo data: three and a half years for both forces, deterministic and safe to load twice."""

import io

import pytest
from django.db.models import Count

from seizures.demo import load_demo_seizures
from seizures.models import Seizure, SeizureItem, Warrant

pytestmark = pytest.mark.django_db


def test_demo_loads_plausible_volumes_and_a_second_load_adds_nothing():
    load_demo_seizures(io.StringIO())

    per_force = dict(Seizure.objects.values_list("force__name").annotate(n=Count("pk")))
    years = 3.66  # 1 April 2023 to late November 2026
    assert 1100 * years < per_force["Warwickshire"] < 1500 * years
    assert 2700 * years < per_force["West Mercia"] < 3300 * years
    assert Seizure.objects.filter(warrant__isnull=False).exists()
    assert Warrant.objects.filter(result="not_executed", executed_on__isnull=True).exists()
    # Only the categories no table prices are unpriced (and so counted apart).
    unpriced = set(SeizureItem.objects.filter(value_pence__isnull=True).values_list("drug__code", flat=True))
    assert unpriced == {"other-class-a", "unknown"}
    # Plants counted and weighed, ecstasy by tablet and by weight, the farm's crop weighed whole.
    plants = SeizureItem.objects.filter(drug__code="cannabis-plants")
    assert {"plants", "kg"} <= set(plants.values_list("unit", flat=True))
    assert plants.filter(unit="kg", plant_count__isnull=False).exists()
    assert {"doses", "g"} <= set(
        SeizureItem.objects.filter(drug__code="ecstasy").values_list("unit", flat=True)
    )
    farm = SeizureItem.objects.get(seizure__reference="WM-S-FARM-0544")
    assert (farm.quantity, farm.unit, farm.value_pence) == (
        544,
        "kg",
        544_000 * 1100,
    )  # West Mercia's £11 a gram
    # West Mercia's own rows price its seizures from April 2024; Warwickshire's stay on the default.
    west_mercia = SeizureItem.objects.filter(
        seizure__force__name="West Mercia", seizure__seized_on__gte="2024-04-01"
    )
    assert west_mercia.filter(drug__code="cocaine").exclude(price__force__name="West Mercia").count() == 0
    assert not SeizureItem.objects.filter(
        seizure__force__name="Warwickshire", price__force__isnull=False
    ).exists()
    assert Seizure.history.count() == Seizure.objects.count()
    most_seized = SeizureItem.objects.values("drug__code").annotate(n=Count("pk")).order_by("-n").first()
    assert most_seized["drug__code"] == "herbal-cannabis"

    before = (Seizure.objects.count(), SeizureItem.objects.count(), Warrant.objects.count())
    first_references = list(Seizure.objects.order_by("pk").values_list("reference", "seized_on")[:50])
    load_demo_seizures(io.StringIO())
    assert (Seizure.objects.count(), SeizureItem.objects.count(), Warrant.objects.count()) == before

    Seizure.history.all().delete()
    SeizureItem.history.all().delete()
    SeizureItem.objects.all().delete()
    Seizure.objects.all().delete()
    load_demo_seizures(io.StringIO())
    assert list(Seizure.objects.order_by("pk").values_list("reference", "seized_on")[:50]) == first_references

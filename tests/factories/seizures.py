"""Seizures and warrants made through the services, so they are priced and audited as in use."""

import datetime
from decimal import Decimal

import factory

from geography.models import Area, Force
from seizures import services
from seizures.models import Drug, Seizure, Site, Warrant


def drug(code):
    return Drug.objects.get(code=code)


def item(code, quantity, unit):
    return {"drug": drug(code), "quantity": Decimal(str(quantity)), "unit": unit}


def _first_area(force):
    return Area.objects.filter(force=force).order_by("name").first()


class WarrantFactory(factory.django.DjangoModelFactory):
    """WarrantFactory(result="nothing_found", executed_on=…, user=analyst)."""

    class Meta:
        model = Warrant

    reference = factory.Sequence(lambda n: f"W-{n:05d}")
    force = factory.LazyFunction(lambda: Force.objects.get(name="Warwickshire"))
    area = factory.LazyAttribute(lambda warrant: _first_area(warrant.force))
    applied_on = factory.LazyAttribute(lambda warrant: warrant.issued_on - datetime.timedelta(days=1))
    issued_on = datetime.date(2025, 5, 2)
    executed_on = datetime.date(2025, 5, 6)
    result = Warrant.Result.DRUGS_FOUND
    arrests = 1

    @classmethod
    def _create(cls, model_class, *args, user=None, **kwargs):
        return services.warrant_create(user=user, **kwargs)


class SeizureFactory(factory.django.DjangoModelFactory):
    """SeizureFactory(items=[item("cocaine", 5, "g")], seized_on=…, user=analyst)."""

    class Meta:
        model = Seizure

    reference = factory.Sequence(lambda n: f"S-{n:05d}")
    seized_on = datetime.date(2025, 6, 1)
    force = factory.LazyFunction(lambda: Force.objects.get(name="Warwickshire"))
    area = factory.LazyAttribute(lambda seizure: _first_area(seizure.force))
    place = "Vehicle stop"
    items = factory.LazyFunction(lambda: [item("herbal-cannabis", 10, "g")])

    @classmethod
    def _create(cls, model_class, *args, user=None, items=(), **kwargs):
        return services.seizure_create(user=user, items=list(items), **kwargs)


class SiteFactory(factory.django.DjangoModelFactory):
    """A closed cannabis factory of 450 plants in a commercial unit (category 2: significant
    quantities for commercial use): SiteFactory(closed_on=…, user=analyst)."""

    class Meta:
        model = Site

    reference = factory.Sequence(lambda n: f"F-{n:05d}")
    force = factory.LazyFunction(lambda: Force.objects.get(name="Warwickshire"))
    area = factory.LazyAttribute(lambda site: _first_area(site.force))
    postcode_sector = "CV21 2"
    premises = "commercial"
    discovered_on = datetime.date(2025, 6, 1)
    closed_on = factory.LazyAttribute(lambda site: site.discovered_on)
    plants = 450
    size_band = factory.LazyFunction(lambda: band(2))

    @classmethod
    def _create(cls, model_class, *args, user=None, **kwargs):
        return services.site_create(user=user, **kwargs)


def band(category):
    from seizures.models import SizeBand

    return SizeBand.objects.get(category=category)

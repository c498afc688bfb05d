"""Offences, and the warrants they may point at (created by model name: the seizures app's
own factories are not this module's business)."""

import datetime

import factory
from django.apps import apps

from offences.models import Offence, OffenceType, Outcome, class_on, group_of

from .geography import area, force


class OffenceFactory(factory.django.DjangoModelFactory):
    """A possession-of-cannabis offence in Rugby (Warwickshire), investigation ongoing."""

    class Meta:
        model = Offence

    crime_reference = factory.Sequence(lambda n: f"23/{n:05d}/24")
    recorded_date = datetime.date(2025, 6, 10)
    force = factory.LazyFunction(force)
    area = factory.LazyAttribute(
        lambda offence: area("Rugby" if offence.force.name == "Warwickshire" else "Worcester")
    )
    offence_type = OffenceType.POSSESSION_OF_CANNABIS
    offence_group = factory.LazyAttribute(lambda offence: group_of(offence.offence_type))
    outcome = Outcome.ONGOING
    drug = None
    # As clean() stores it: the drug's class on the date recorded.
    drug_class = factory.LazyAttribute(
        lambda offence: (class_on(offence.drug.pk, offence.recorded_date) or "") if offence.drug else ""
    )

    class Params:
        grown = factory.Trait(
            offence_type=OffenceType.PRODUCTION_OF_CANNABIS,
            cultivation=True,
            plants=24,
            site_type="residential",
        )
        # At a cannabis factory (a site of the seizures app, made by model name).
        factory_site = factory.Trait(
            offence_type=OffenceType.PRODUCTION_OF_CANNABIS,
            cultivation=True,
            plants=450,
            site_type="commercial",
            site=factory.LazyAttribute(lambda offence: site(force=offence.force, area=offence.area,
                                                            day=offence.recorded_date)),
        )  # fmt: skip


def warrant(reference="WK-W-0001", force_name="Warwickshire", area_name="Rugby", executed_on=None, **fields):
    Warrant = apps.get_model("seizures", "Warrant")
    executed_on = executed_on or datetime.date(2025, 6, 1)
    return Warrant.objects.create(
        reference=reference,
        force=force(force_name),
        area=area(area_name),
        issued_on=executed_on - datetime.timedelta(days=2),
        executed_on=executed_on,
        result="drugs_found",
        **fields,
    )


def site(reference=None, *, force, area, day, plants=450, warrant=None):
    """A closed cannabis factory (through the seizures app's service, found by name)."""
    from seizures import services  # tests may reach any app

    Site = apps.get_model("seizures", "Site")
    reference = reference or f"F-{Site.objects.count() + 1:05d}"
    return services.site_create(
        user=None, reference=reference, force=force, area=area, premises="commercial",
        discovered_on=day, closed_on=day, plants=plants, size_band=None if plants <= 28 else
        apps.get_model("seizures", "SizeBand").objects.get(category=2), warrant=warrant,
    )  # fmt: skip


def _date_parts(name, day):
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def offence_form_data(
    *,
    crime_reference="23/11111/25",
    recorded_date=datetime.date(2025, 6, 10),
    force_name="Warwickshire",
    area_name="Rugby",
    offence_type=OffenceType.POSSESSION_OF_CANNABIS,
    cultivation="no",
    plants="",
    site_type="",
    drug="",
    site="",
    outcome=Outcome.ONGOING,
    outcome_date=None,
    warrant="",
):
    """What the offence form posts (dates as day, month and year boxes)."""
    data = {
        "crime_reference": crime_reference,
        "force": str(force(force_name).pk),
        "area": str(area(area_name).pk),
        "offence_type": offence_type,
        "cultivation": cultivation,
        "plants": plants,
        "site_type": site_type,
        "drug": drug,
        "site": site,
        "outcome": outcome,
        "warrant": warrant,
        **_date_parts("recorded_date", recorded_date),
        **_date_parts("outcome_date", outcome_date),
    }
    return data


def offence_api_data(
    *,
    crime_reference="23/11111/25",
    recorded_date="2025-06-10",
    force_name="Warwickshire",
    area_name="Rugby",
    offence_type=OffenceType.POSSESSION_OF_CANNABIS,
    **fields,
):
    """What an API client posts to create an offence."""
    return {
        "crime_reference": crime_reference,
        "recorded_date": recorded_date,
        "force": force(force_name).pk,
        "area": area(area_name).pk,
        "offence_type": offence_type,
        **fields,
    }

"""Offences, and the warrants they may point at (created by model name: the seizures app's
own factories are not this module's business)."""

import datetime

import factory
from django.apps import apps

from offences.models import Offence, OffenceType, Outcome, group_of

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

    class Params:
        grown = factory.Trait(
            offence_type=OffenceType.PRODUCTION_OF_CANNABIS,
            cultivation=True,
            plants=24,
            site_type="residential",
        )
        factory_site = factory.Trait(
            offence_type=OffenceType.PRODUCTION_OF_CANNABIS,
            cultivation=True,
            plants=450,
            site_type="commercial",
            factory=True,
        )


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
    factory=False,
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
        "outcome": outcome,
        "warrant": warrant,
        **_date_parts("recorded_date", recorded_date),
        **_date_parts("outcome_date", outcome_date),
    }
    if factory:
        data["factory"] = "on"
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

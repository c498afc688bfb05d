"""The rules the database itself enforces, and what the services do around a save."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from offences import services
from offences.models import GROUP_OF, Offence, OffenceGroup, OffenceType
from tests.factories.geography import area
from tests.factories.offences import OffenceFactory

pytestmark = pytest.mark.django_db


def test_every_offence_type_has_its_home_office_group():
    assert set(GROUP_OF) == set(OffenceType)
    assert GROUP_OF[OffenceType.PRODUCTION_OF_CANNABIS] == OffenceGroup.TRAFFICKING  # Home Office: within 92A
    assert GROUP_OF[OffenceType.POSSESSION_WITH_INTENT] == OffenceGroup.TRAFFICKING
    assert GROUP_OF[OffenceType.SUPPLY] == OffenceGroup.TRAFFICKING
    assert GROUP_OF[OffenceType.POSSESSION_OF_CANNABIS] == OffenceGroup.POSSESSION_OF_CANNABIS
    assert GROUP_OF[OffenceType.POSSESSION_OTHER] == OffenceGroup.POSSESSION_EXCLUDING_CANNABIS


def test_saving_derives_the_group():
    offence = OffenceFactory(offence_type=OffenceType.POSSESSION_OTHER, offence_group="")
    assert offence.offence_group == "92D"


@pytest.mark.parametrize(
    "update",
    [
        {"plants": -1},
        {"plants": 1_000_000},
        {
            "cultivation": True,
            "offence_type": "supply",
            "offence_group": "92A",
            "plants": 3,
            "site_type": "residential",
        },
        {"drug_class": "A"},  # a class with no drug
        {"plants": 4},  # plants without cultivation
        {"cultivation": True, "offence_type": "possession_cannabis", "offence_group": "92E"},
        {"offence_type": "production_cannabis", "offence_group": "92A"},  # production must be cultivation
        {"offence_group": "92A"},  # group that does not match the type
        {"outcome": "charged"},  # outcome with no date
        {"outcome": "charged", "outcome_date": datetime.date(2025, 1, 1)},  # before recorded
        {"outcome_date": datetime.date(2025, 7, 1)},  # a date while ongoing
    ],
)
def test_the_database_refuses_what_the_forms_refuse(update):
    offence = OffenceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Offence.objects.filter(pk=offence.pk).update(**update)


def test_the_database_refuses_a_duplicate_reference_in_a_force():
    OffenceFactory(crime_reference="R/1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Offence.objects.bulk_create([OffenceFactory.build(crime_reference="R/1", offence_group="92E")])
    OffenceFactory(crime_reference="R/1", force=area("Worcester").force)


def test_a_reference_that_slips_past_the_checks_is_still_a_field_error(analyst, monkeypatch):
    OffenceFactory(crime_reference="R/1")
    monkeypatch.setattr(Offence, "_check_place", lambda self, errors: None)
    monkeypatch.setattr(Offence, "validate_constraints", lambda self, exclude=None: None)

    with pytest.raises(ValidationError) as refused:
        services.offence_create(
            user=analyst,
            crime_reference="R/1",
            recorded_date=datetime.date(2025, 6, 1),
            force=area("Rugby").force,
            area=area("Rugby"),
            offence_type="supply",
        )
    assert refused.value.message_dict == {
        "crime_reference": ["This force already has an offence with this crime reference"]
    }


def test_services_take_keywords_and_refuse_unknown_fields(analyst):
    with pytest.raises(TypeError):
        services.offence_create(user=analyst, colour="blue")


def test_withdrawal_needs_a_reason(analyst):
    offence = OffenceFactory()
    with pytest.raises(ValidationError):
        services.offence_withdraw(offence=offence, user=analyst, reason=" ")
    offence.refresh_from_db()
    assert not offence.is_withdrawn

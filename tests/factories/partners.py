"""Referrals made through the service, as a partner would make them."""

import datetime
import uuid

from partners import services
from partners.choices import Pathway, Sex, Status, Substance, TriggerOffence
from tests.factories.geography import area

MOVES_TO = {
    Status.ACCEPTED: [Status.ACCEPTED],
    Status.ASSESSED: [Status.ACCEPTED, Status.ASSESSED],
    Status.IN_TREATMENT: [Status.ACCEPTED, Status.ASSESSED, Status.IN_TREATMENT],
    Status.COMPLETED: [Status.ACCEPTED, Status.ASSESSED, Status.IN_TREATMENT, Status.COMPLETED],
}


def referral_fields(**overrides):
    fields = {
        "pathway": Pathway.TREATMENT,
        "referral_date": datetime.date(2026, 3, 2),
        "area": area("Rugby"),
        "substances": [Substance.CRACK_COCAINE, Substance.HEROIN_OPIATES],
        "dip_test_result": "",
        "trigger_offence": "",
        "notes": "Asked for help at the hub.",
        "consent_recorded": True,
        "subject_first_initial": "J",
        "subject_surname_initial": "S",
        "subject_date_of_birth": datetime.date(1990, 5, 17),
        "subject_sex": Sex.MALE,
    }
    fields.update(overrides)
    if fields["pathway"] == Pathway.DIP_TEST_ON_ARREST and "trigger_offence" not in overrides:
        fields["trigger_offence"] = TriggerOffence.THEFT
    if fields["pathway"] == Pathway.EARLY_INTERVENTION and "subject_date_of_birth" not in overrides:
        fields["subject_date_of_birth"] = YOUNG_PERSON_BORN  # early intervention is for the young
    return fields


YOUNG_PERSON_BORN = datetime.date(2009, 5, 17)


def api_payload(receiving_agency, **overrides):
    """The JSON body of a new referral to `receiving_agency`, as an API client sends it."""
    pathway = overrides.get("pathway", "treatment")
    fields = referral_fields(receiving_agency=receiving_agency.pk, pathway=pathway)
    return {
        **fields,
        "area": area("Rugby").pk,
        "referral_date": "2026-03-02",
        "subject_date_of_birth": fields["subject_date_of_birth"].isoformat(),
        **overrides,
    }


def make_referral(*, by, to, **overrides):
    """A referral submitted by user `by` to agency `to`."""
    return services.referral_submit(
        user=by, submission_key=uuid.uuid4(), **referral_fields(receiving_agency=to, **overrides)
    )


def move_to(referral, status, *, by, on=None):
    """Walk a referral along the main path to `status` (each step dated `on`, default referral date)."""
    for step in MOVES_TO[status]:
        referral = services.referral_transition(
            referral=referral, user=by, to_status=step, effective_on=on or referral.referral_date
        )
    return referral

"""The migration that closes self-addressed referrals: any that exist are kept, withdrawn with
the reason and named; the rest are untouched; and it reverses. The migration that works out the
journeys of the referrals already stored links them and counts each person's entry once."""

import datetime
import uuid

import pytest

from tests.migrating import migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.migrates]

BEFORE = [("partners", "0001_initial")]
AFTER = [("partners", "0002_submission_keys_per_submitter")]


def _referral(apps, *, submitting, receiving, user, reference):
    Referral = apps.get_model("partners", "Referral")
    Area = apps.get_model("geography", "Area")
    return Referral.objects.create(
        reference=reference,
        submission_key=uuid.uuid4(),
        pathway="treatment",
        referral_date=datetime.date(2026, 3, 2),
        area=Area.objects.order_by("pk").first(),
        submitting_agency=submitting,
        submitted_by=user,
        receiving_agency=receiving,
        substances=["crack"],
        consent_recorded=True,
        subject_first_initial="J",
        subject_surname_initial="S",
        subject_date_of_birth=datetime.date(1990, 5, 17),
        subject_sex="M",
        age_band="35_49",
        status="in_treatment",
    )


def test_self_addressed_referrals_are_withdrawn_with_the_reason_and_the_rest_untouched(capsys):
    old = migrate(BEFORE)
    Agency = old.get_model("accounts", "Agency")
    User = old.get_model("accounts", "User")
    csp = Agency.objects.create(name="A partnership", kind="csp")
    service = Agency.objects.create(name="A service", kind="treatment")
    user = User.objects.create(username="someone", agency=csp)
    _referral(old, submitting=csp, receiving=csp, user=user, reference="REF-2026-000001")
    _referral(old, submitting=csp, receiving=service, user=user, reference="REF-2026-000002")

    new = migrate(AFTER)
    Referral = new.get_model("partners", "Referral")
    own = Referral.objects.get(reference="REF-2026-000001")
    proper = Referral.objects.get(reference="REF-2026-000002")
    assert own.withdrawn_at is not None
    assert own.withdrawal_reason == "Withdrawn by the service: a referral cannot be sent to its own agency"
    assert own.status == "in_treatment"  # kept as it was, out of the figures
    assert proper.withdrawn_at is None and proper.withdrawal_reason == ""
    assert "REF-2026-000001" in capsys.readouterr().out

    migrate(BEFORE)  # and back: reversible
    migrate(AFTER)


def test_the_journeys_of_stored_referrals_are_worked_out(db):
    old = migrate([("partners", "0003_transition_at_index")])
    Agency = old.get_model("accounts", "Agency")
    User = old.get_model("accounts", "User")
    police = Agency.objects.create(name="Custody", kind="police")
    service = Agency.objects.create(name="A service", kind="treatment")
    user = User.objects.create(username="someone", agency=police)
    test = _referral(old, submitting=police, receiving=service, user=user, reference="REF-2026-000001")
    test.pathway, test.dip_test_result, test.status, test.subject_key = (
        "dip_test_on_arrest",
        "opiates",
        "submitted",
        "k",
    )
    test.save()
    for number in (2, 3):
        step = _referral(
            old, submitting=police, receiving=service, user=user, reference=f"REF-2026-00000{number}"
        )
        step.subject_key, step.entered_treatment_on = "k", datetime.date(2026, 3, 10 + number)
        step.save()

    new = migrate([("partners", "0005_journeys_of_existing_referrals")])
    Referral = new.get_model("partners", "Referral")
    first, second, third = Referral.objects.order_by("reference")
    assert (second.journey_id, third.journey_id) == (first.pk, first.pk)  # treatment after the test
    assert [r.possible_repeat for r in (first, second, third)] == [False, False, False]
    assert (second.counted_entry, third.counted_entry) == (True, False)  # one person, one entry
    assert first.journey_entered_treatment_on == datetime.date(2026, 3, 12)
    ChangedMonth = new.get_model("core", "ChangedMonth")
    assert ChangedMonth.objects.filter(source="partners", month=datetime.date(2026, 3, 1)).exists()

"""The migration that closes self-addressed referrals: any that exist are kept, withdrawn with
the reason and named; the rest are untouched; and it reverses."""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("partners", "0001_initial")]
AFTER = [("partners", "0002_submission_keys_per_submitter")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


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

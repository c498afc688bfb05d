"""Closed referrals, and open ones left without any change, lose their identifying fields and
notes after the retention period; figures do not change."""

import datetime

import pytest
from django.forms.models import model_to_dict

from core import metrics
from partners import retention, services
from partners.choices import Status
from partners.models import IDENTIFYING_FIELDS, Referral, RetentionRun
from partners.tasks import clear_expired_identifiers
from tests.factories.partners import make_referral, move_to

pytestmark = pytest.mark.django_db

CLOSED_ON = datetime.date(2024, 6, 10)
AFTER_PERIOD = datetime.date(2026, 6, 11)  # 24 months and a day after closing


@pytest.fixture
def referrals(partner_a, treatment_worker, treatment_service):
    old_completed = make_referral(by=partner_a, to=treatment_service, referral_date=datetime.date(2024, 1, 8))
    move_to(old_completed, Status.IN_TREATMENT, by=treatment_worker, on=datetime.date(2024, 1, 20))
    services.referral_transition(
        referral=old_completed, user=treatment_worker, to_status=Status.COMPLETED, effective_on=CLOSED_ON
    )
    old_declined = make_referral(
        by=partner_a, to=treatment_service, referral_date=datetime.date(2024, 2, 1), subject_first_initial="A"
    )
    services.referral_transition(
        referral=old_declined,
        user=treatment_worker,
        to_status=Status.DECLINED,
        effective_on=datetime.date(2024, 2, 2),
        note="No capacity",
    )
    recent_closed = make_referral(
        by=partner_a, to=treatment_service, referral_date=datetime.date(2026, 1, 5), subject_first_initial="B"
    )
    services.referral_transition(
        referral=recent_closed,
        user=treatment_worker,
        to_status=Status.NOT_ELIGIBLE,
        effective_on=datetime.date(2026, 1, 6),
        note="Lives elsewhere",
    )
    old_but_open = make_referral(
        by=partner_a, to=treatment_service, referral_date=datetime.date(2023, 5, 1), subject_first_initial="C"
    )
    move_to(old_but_open, Status.IN_TREATMENT, by=treatment_worker, on=datetime.date(2023, 6, 1))
    return {
        "old_completed": old_completed,
        "old_declined": old_declined,
        "recent_closed": recent_closed,
        "old_but_open": old_but_open,
    }


def figures():
    """Every referral metric's total, from the records, as the rollup computes it."""
    out = {}
    for name, metric in metrics.discover().items():
        if name.startswith("referrals."):
            out[name] = metric.queryset().order_by().aggregate(value=metric.value)["value"]
    return out


def snapshot():
    return {
        r.pk: model_to_dict(r, exclude=["id"])
        | {"subject_key": r.subject_key, "submission_fingerprint": r.submission_fingerprint}
        for r in Referral.objects.all()
    }


def test_clears_exactly_the_expired_identifying_fields_and_nothing_else(referrals):
    before, figures_before = snapshot(), figures()
    run = retention.identifiers_clear_expired(today=AFTER_PERIOD)
    after = snapshot()
    # In treatment since June 2023 with no change since: cleared though still open.
    expired = {referrals["old_completed"].pk, referrals["old_declined"].pk, referrals["old_but_open"].pk}
    assert run.cleared == 3 and run.cleared_open == 1 and run.cutoff == datetime.date(2024, 6, 11)
    for pk, fields in before.items():
        if pk in expired:
            changed = {name for name in fields if fields[name] != after[pk][name]}
            assert changed == {*IDENTIFYING_FIELDS, "notes"}
            assert after[pk]["subject_date_of_birth"] is None and after[pk]["subject_key"] == ""
        else:
            assert after[pk] == fields
    assert figures() == figures_before


def test_the_history_loses_the_identifiers_too(referrals):
    retention.identifiers_clear_expired(today=AFTER_PERIOD)
    history = Referral.history.filter(id=referrals["old_completed"].pk)
    assert history.exists()
    assert set(history.values_list("subject_date_of_birth", "subject_first_initial").distinct()) == {
        (None, "")
    }


def test_before_the_period_ends_nothing_is_cleared(referrals):
    run = retention.identifiers_clear_expired(today=datetime.date(2026, 2, 3))
    # The referral declined on 2 February 2024, and the one in treatment with no change since June 2023.
    assert run.cleared == 2
    assert Referral.objects.get(pk=referrals["old_completed"].pk).subject_date_of_birth is not None


def test_running_twice_is_safe_and_each_run_is_logged(referrals):
    first = retention.identifiers_clear_expired(today=AFTER_PERIOD)
    second = retention.identifiers_clear_expired(today=AFTER_PERIOD)
    assert (first.cleared, second.cleared) == (3, 0)
    assert RetentionRun.objects.count() == 2


def test_the_task_uses_the_clock(referrals, monkeypatch):
    from django.utils import timezone

    moved = timezone.make_aware(datetime.datetime(2026, 6, 11, 1, 30))
    monkeypatch.setattr(timezone, "now", lambda: moved)
    assert clear_expired_identifiers.delay().get() == 3
    assert RetentionRun.objects.get().cutoff == datetime.date(2024, 6, 11)


def test_the_period_comes_from_settings(referrals, settings):
    settings.REFERRAL_RETENTION_MONTHS = 37  # the open one last changed on 1 June 2023
    assert retention.identifiers_clear_expired(today=AFTER_PERIOD).cleared == 0


def test_a_cleared_referral_shows_that_it_was_cleared(partner_a_client, referrals):
    from django.urls import reverse

    retention.identifiers_clear_expired(today=AFTER_PERIOD)
    page = partner_a_client.get(
        reverse("partners:referral_detail", args=[referrals["old_completed"].pk])
    ).content.decode()
    assert "Cleared under the retention rule" in page and "17 May 1990" not in page

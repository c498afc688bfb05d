"""The retention rule: what could identify a person is cleared once the period passes.

A referral closed more than REFERRAL_RETENTION_MONTHS ago, or open with no change (a status
change or a confirmation that it is still open) for that long, has cleared: the initials, date
of birth and keyed hashes, and every free-text field, where a name or an address may have been
written despite the checks (the reason for referral, the status notes, the withdrawal reason) —
on the referral, on its status changes and in every row of its change history. What the figures
need stays (pathway, dates, district, age band, sex, status, and the journey and entry worked
out while the key was there).

An open referral reaches its receiving agency's review list after REFERRAL_REVIEW_MONTHS without
a change (`referrals_to_review`): they record what happened, or confirm it is still open, which
starts the clock again. One left unreviewed is cleared when the retention period has passed.
"""

import calendar
import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .models import IDENTIFYING_FIELDS, Referral, ReferralTransition, RetentionRun

logger = logging.getLogger(__name__)

CLEARED_VALUES = {
    "subject_first_initial": "",
    "subject_surname_initial": "",
    "subject_date_of_birth": None,
    "subject_key": "",
    "submission_fingerprint": "",
}
# Free text, where identifying details may have been written whatever the form said.
FREE_TEXT_CLEARED = {"notes": "", "withdrawal_reason": ""}
# Neither hash is kept in the change history.
NOT_IN_HISTORY = ("subject_key", "submission_fingerprint")
assert set(CLEARED_VALUES) == set(IDENTIFYING_FIELDS)


def months_before(day, months):
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_cutoff(today):
    return months_before(today, settings.REFERRAL_RETENTION_MONTHS)


def review_cutoff(today):
    return months_before(today, settings.REFERRAL_REVIEW_MONTHS)


def with_last_activity(referrals):
    """Annotate `last_activity_on`: the latest of the referral's date, its last status change
    and its last confirmation that it is still open."""
    return referrals.annotate(
        last_change_on=Max("transitions__effective_on"),
    ).annotate(
        last_activity_on=Greatest(
            F("referral_date"),
            Coalesce(F("last_change_on"), F("referral_date")),
            Coalesce(F("reviewed_on"), F("referral_date")),
        )
    )


def open_referrals():
    return Referral.objects.live().filter(closed_on__isnull=True, identifiers_cleared_at__isnull=True)


def referrals_to_review(*, today=None, agency=None):
    """Open referrals with no change for REFERRAL_REVIEW_MONTHS, oldest activity first; those of
    the agency they were sent to when `agency` is given."""
    today = today or timezone.localdate()
    referrals = open_referrals()
    if agency is not None:
        referrals = referrals.filter(receiving_agency=agency)
    return (
        with_last_activity(referrals)
        .filter(last_activity_on__lt=review_cutoff(today))
        .select_related("area__force", "submitting_agency")  # the review list's columns
        .order_by("last_activity_on", "pk")
    )


def clears_on(last_activity_on):
    """The first night an open referral with this last activity is cleared unless it changes:
    the day after the retention period from it ends."""
    index = last_activity_on.year * 12 + last_activity_on.month - 1 + settings.REFERRAL_RETENTION_MONTHS
    year, month = index // 12, index % 12 + 1
    last_kept = datetime.date(year, month, min(last_activity_on.day, calendar.monthrange(year, month)[1]))
    return last_kept + datetime.timedelta(days=1)


def identifiers_clear_expired(*, today=None):
    """Clear the identifiers and free text of referrals closed before the cut-off, and of open
    ones with no change since it; log the run. Running it again clears nothing more
    (already-cleared referrals are skipped)."""
    today = today or timezone.localdate()
    cutoff = retention_cutoff(today)
    now = timezone.now()
    with transaction.atomic():
        not_cleared = Referral.objects.select_for_update().filter(identifiers_cleared_at__isnull=True)
        closed = set(not_cleared.filter(closed_on__lt=cutoff).values_list("pk", flat=True))
        stale_open = set(
            with_last_activity(
                Referral.objects.filter(identifiers_cleared_at__isnull=True, closed_on__isnull=True)
            )
            .filter(last_activity_on__lt=cutoff)
            .values_list("pk", flat=True)
        )
        ids = sorted(closed | stale_open)
        history_values = {
            name: value
            for name, value in {**CLEARED_VALUES, **FREE_TEXT_CLEARED}.items()
            if name not in NOT_IN_HISTORY
        }
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            Referral.objects.filter(pk__in=batch).update(
                **CLEARED_VALUES, **FREE_TEXT_CLEARED, identifiers_cleared_at=now
            )
            ReferralTransition.objects.filter(referral_id__in=batch).exclude(note="").update(note="")
            Referral.history.filter(id__in=batch).update(**history_values)
        run = RetentionRun.objects.create(
            ran_at=now, cutoff=cutoff, cleared=len(ids), cleared_open=len(stale_open - closed)
        )
    logger.info(
        "Retention: cleared identifiers and notes of %s referrals (%s open) inactive or closed before %s",
        len(ids),
        run.cleared_open,
        cutoff,
    )
    return run

"""The retention rule: identifying fields of closed referrals are cleared once the period passes.

What the figures need stays (pathway, dates, district, age band, sex, status); what could
identify the person goes (initials, date of birth, the keyed hashes) — from the referral and
from its change history.
"""

import calendar
import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import IDENTIFYING_FIELDS, Referral, RetentionRun

logger = logging.getLogger(__name__)

CLEARED_VALUES = {
    "subject_first_initial": "",
    "subject_surname_initial": "",
    "subject_date_of_birth": None,
    "subject_key": "",
    "submission_fingerprint": "",
}
# Neither hash is kept in the change history.
NOT_IN_HISTORY = ("subject_key", "submission_fingerprint")
assert set(CLEARED_VALUES) == set(IDENTIFYING_FIELDS)


def months_before(day, months):
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_cutoff(today):
    return months_before(today, settings.REFERRAL_RETENTION_MONTHS)


def identifiers_clear_expired(*, today=None):
    """Clear the identifiers of referrals closed before the cut-off; log the run. Running it
    again clears nothing more (already-cleared referrals are skipped)."""
    today = today or timezone.localdate()
    cutoff = retention_cutoff(today)
    now = timezone.now()
    with transaction.atomic():
        expired = Referral.objects.select_for_update().filter(
            closed_on__lt=cutoff, identifiers_cleared_at__isnull=True
        )
        ids = list(expired.values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            Referral.objects.filter(pk__in=batch).update(**CLEARED_VALUES, identifiers_cleared_at=now)
            history_values = {
                name: value for name, value in CLEARED_VALUES.items() if name not in NOT_IN_HISTORY
            }
            Referral.history.filter(id__in=batch).update(**history_values)
        run = RetentionRun.objects.create(ran_at=now, cutoff=cutoff, cleared=len(ids))
    logger.info("Retention: cleared identifiers of %s referrals closed before %s", len(ids), cutoff)
    return run

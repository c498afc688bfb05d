"""Everything that writes offences: keyword-only, in a transaction, validated with full_clean,
and marking the months the nightly rollup must recompute."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import mark_changed

from .models import DUPLICATE_REFERENCE, Offence

SOURCE = "offences"
OFFENCE_FIELDS = (
    "crime_reference",
    "recorded_date",
    "force",
    "area",
    "offence_type",
    "cultivation",
    "plants",
    "site_type",
    "factory",
    "outcome",
    "outcome_date",
    "warrant",
)


def _audit(offence, user, reason=None):
    """Who made the change: API calls carry no request user for the history middleware."""
    offence._history_user = user
    if reason:
        offence._change_reason = reason
    return offence


def _dates(offence):
    # Metrics count by the date recorded and (charges) by the outcome date: both months change.
    return offence.recorded_date, offence.outcome_date


def _save(offence, user, reason=None):
    """Save; a duplicate crime reference that slipped past full_clean (two people saving the
    same reference at once) is reported like the one full_clean finds."""
    try:
        with transaction.atomic():
            _audit(offence, user, reason).save()
    except IntegrityError as clash:
        if Offence.objects.filter(
            force_id=offence.force_id, crime_reference=offence.crime_reference
        ).exists():
            raise ValidationError({"crime_reference": DUPLICATE_REFERENCE}) from clash
        raise


@transaction.atomic
def offence_create(*, user, **fields):
    unknown = set(fields) - set(OFFENCE_FIELDS)
    if unknown:
        raise TypeError(f"offence_create() got unexpected fields: {', '.join(sorted(unknown))}")
    offence = Offence(**fields)
    offence.full_clean()
    _save(offence, user)
    mark_changed(SOURCE, *_dates(offence))
    return offence


@transaction.atomic
def offence_update(*, offence, user, **fields):
    unknown = set(fields) - set(OFFENCE_FIELDS)
    if unknown:
        raise TypeError(f"offence_update() got unexpected fields: {', '.join(sorted(unknown))}")
    offence = Offence.objects.select_for_update().get(pk=offence.pk)
    if offence.is_withdrawn:
        raise ValidationError("A withdrawn offence cannot be changed")
    old_dates = _dates(offence)
    for name, value in fields.items():
        setattr(offence, name, value)
    offence.full_clean()
    _save(offence, user)
    mark_changed(SOURCE, *old_dates, *_dates(offence))
    return offence


@transaction.atomic
def offence_withdraw(*, offence, user, reason):
    """Withdraw with a reason: the offence stays, hidden from lists, exports and figures."""
    offence = Offence.objects.select_for_update().get(pk=offence.pk)
    offence.withdraw(by=user, reason=reason)
    _save(offence, user, reason=f"Withdrawn: {offence.withdrawal_reason}")
    mark_changed(SOURCE, *_dates(offence))
    return offence

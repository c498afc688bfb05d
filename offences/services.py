"""Everything that writes offences: keyword-only, in a transaction, validated with full_clean,
and marking the months the nightly rollup must recompute."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.services import model_update, record_changing, record_created, record_withdrawn

from .models import DUPLICATE_REFERENCE, Offence

OFFENCE_FIELDS = (
    "crime_reference",
    "recorded_date",
    "force",
    "area",
    "offence_type",
    "cultivation",
    "plants",
    "site_type",
    "drug",
    "site",
    "outcome",
    "outcome_date",
    "warrant",
)


@contextmanager
def _reference_clash_reported(offence):
    """A duplicate crime reference that slipped past full_clean (two people saving the same
    reference at once) is reported like the one full_clean finds."""
    try:
        with transaction.atomic():
            yield
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
    with _reference_clash_reported(offence):
        return record_created(offence, user=user)


@transaction.atomic
def offence_update(*, offence, user, **fields):
    unknown = set(fields) - set(OFFENCE_FIELDS)
    if unknown:
        raise TypeError(f"offence_update() got unexpected fields: {', '.join(sorted(unknown))}")
    with (
        record_changing(Offence, offence, user=user, noun="offence") as offence,
        _reference_clash_reported(offence),
    ):
        model_update(instance=offence, fields=OFFENCE_FIELDS, data=fields, user=user)
    return offence


@transaction.atomic
def offence_withdraw(*, offence, user, reason):
    """Withdraw with a reason: the offence stays, hidden from lists, exports and figures."""
    return record_withdrawn(Offence, offence, user=user, reason=reason)

"""Everything that writes a referral: submit, change, move through the workflow, acknowledge."""

import datetime
import json
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.links import absolute_url
from core.metrics import counted_on, mark_counted
from core.periodlocks import dated_in, guard_change
from core.services import audited, model_update

from .choices import CLOSED_STATUSES, Status
from .journeys import journeys_refresh
from .models import ReferenceSequence, Referral, ReferralTransition
from .personal_data import note_problem
from .selectors import referral_submitted_with
from .workflow import move_between, refusal

logger = logging.getLogger(__name__)

# What a partner may give or change on a referral; everything else is derived or the workflow's.
REFERRAL_FIELDS = (
    "pathway",
    "referral_date",
    "area",
    "receiving_agency",
    "substances",
    "dip_test_result",
    "trigger_offence",
    "notes",
    "consent_recorded",
    "subject_first_initial",
    "subject_surname_initial",
    "subject_date_of_birth",
    "subject_sex",
)


def next_reference(year):
    """REF-2026-000123. The row update holds a lock until the transaction ends, so two
    referrals submitted at once never share a number."""
    ReferenceSequence.objects.get_or_create(year=year)
    ReferenceSequence.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = ReferenceSequence.objects.values_list("last_number", flat=True).get(year=year)
    return f"REF-{year}-{number:06d}"


DERIVED_FIELDS = [
    "journey",
    "possible_repeat",
    "counted_entry",
    "journey_assessment",
    "journey_entered_treatment_on",
    "journey_completed_on",
    "represented_on",
]


class SubmissionKeyReused(Exception):
    """The submitter sent this key before with a different referral."""

    message = (
        "This submission key was already used for a different referral. Send a new key for each new referral"
    )


def may_submit(user):
    return user.agency_id is not None and user.agency.active and user.has_perm("partners.add_referral")


def submission_fingerprint(fields):
    """A keyed hash of what was submitted: the same answers give the same fingerprint."""

    def plain(value):
        if isinstance(value, models.Model):
            return value.pk
        if isinstance(value, (list, tuple, set)):
            return sorted(plain(item) for item in value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    submitted = {name: plain(fields[name]) for name in REFERRAL_FIELDS if name in fields}
    canonical = json.dumps(submitted, sort_keys=True, default=str)
    return salted_hmac("partners.referral_submission", canonical, algorithm="sha256").hexdigest()


def _replayed(referral, fingerprint):
    # No stored fingerprint (cleared by the retention rule, or from before fingerprints were
    # kept): nothing says the answers differ.
    if referral.submission_fingerprint and referral.submission_fingerprint != fingerprint:
        raise SubmissionKeyReused
    return referral


def referral_submit(*, user, submission_key, **fields):
    """Create a referral from the user's agency. The same user sending the same key again with
    the same answers gets the referral the first submission created; with other answers,
    SubmissionKeyReused."""
    if not may_submit(user):
        raise PermissionDenied("Only members of an active partner agency can submit referrals")
    fingerprint = submission_fingerprint(fields)
    existing = referral_submitted_with(user=user, submission_key=submission_key)
    if existing is not None:
        return _replayed(existing, fingerprint)
    referral = Referral(
        submission_key=submission_key,
        submission_fingerprint=fingerprint,
        submitting_agency_id=user.agency_id,
        submitted_by=user,
        **{name: value for name, value in fields.items() if name in REFERRAL_FIELDS},
    )
    referral.full_clean(exclude=["reference", "submission_key", "submitted_by", "submitting_agency"])
    try:
        with transaction.atomic():
            referral.reference = next_reference(timezone.localdate().year)
            audited(referral, user).save()
            guard_change(referral, user=user, action="Submitted")
            mark_counted(counted_on(referral))
            # A step of the person's journey (an assessment after their test), not a repeat.
            journeys_refresh(referral.subject_key)
    except IntegrityError:
        # The same submission sent twice at the same moment: the other request won.
        duplicate = referral_submitted_with(user=user, submission_key=submission_key)
        if duplicate is None:
            raise
        return _replayed(duplicate, fingerprint)
    referral.refresh_from_db(fields=DERIVED_FIELDS)
    referral_id = referral.pk
    transaction.on_commit(lambda: queue_acknowledgement(referral_id))
    logger.info("Referral %s submitted by agency %s", referral.reference, user.agency_id)
    return referral


def queue_acknowledgement(referral_id):
    """Queue the acknowledgement email. When the broker cannot take it (Redis down), the
    referral is saved all the same and stays unacknowledged: the periodic sweep
    (send_pending_acknowledgements) sends it once tasks run again, so nothing is lost."""
    from kombu.exceptions import OperationalError as BrokerUnavailable

    from .tasks import send_referral_acknowledgement

    try:
        send_referral_acknowledgement.delay(referral_id)
    except (BrokerUnavailable, OSError):
        logger.warning(
            "Could not queue the acknowledgement of referral %s: the sweep will send it",
            referral_id,
            exc_info=True,
        )


def can_edit(user, referral):
    """The submitting agency may correct a referral until the receiving agency acts on it."""
    return (
        referral.status == Status.SUBMITTED
        and not referral.is_withdrawn
        and not referral.identifiers_cleared
        and user.agency_id is not None
        and user.agency_id == referral.submitting_agency_id
        and user.has_perm("partners.change_referral")
    )


def referral_update(*, referral, user, **fields):
    if not can_edit(user, referral):
        raise PermissionDenied(
            "Only the agency that submitted it can change a referral, and only before it is accepted"
        )
    old_key = referral.subject_key
    with transaction.atomic():
        # Compare-and-swap on the status: if the receiving agency accepted it meanwhile, stop.
        if not Referral.objects.filter(pk=referral.pk, status=Status.SUBMITTED).select_for_update().exists():
            raise ValidationError(
                "The receiving agency has acted on this referral: it can no longer be changed"
            )
        before, was = counted_on(referral), dated_in(referral)
        model_update(
            instance=referral,
            fields=REFERRAL_FIELDS,
            data=fields,
            user=user,
            reason="Changed by the submitting agency",
        )
        guard_change(referral, was, user=user, action="Changed by the submitting agency")
        mark_counted(before, counted_on(referral))
        journeys_refresh(old_key, referral.subject_key)
        referral.refresh_from_db(fields=DERIVED_FIELDS)
    return referral


def referral_transition(*, referral, user, to_status, note="", effective_on=None, expected_from=None):
    """Move the referral to `to_status`. `expected_from` is the status the user saw: if the
    referral has moved on since (a second click, another colleague), nothing changes."""
    from_status = expected_from or referral.status
    note = (note or "").strip()
    effective_on = effective_on or timezone.localdate()
    if from_status != referral.status:
        raise ValidationError({"to_status": _already_moved_message(referral)})
    reason = refusal(user, referral, to_status)
    if reason:
        raise ValidationError({"to_status": reason})
    move = move_between(from_status, to_status)
    errors = {}
    if move.needs_note and not note:
        errors["note"] = "Enter a note saying why"
    elif note_problem(note):
        errors["note"] = note_problem(note)
    if effective_on > timezone.localdate():
        errors["effective_on"] = "The date must be today or in the past"
    elif effective_on < _earliest_effective_date(referral):
        errors["effective_on"] = "The date must be on or after the referral's last change"
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    changes = {"status": to_status, "status_changed_at": now}
    if to_status == Status.ASSESSED:
        changes["assessed_on"] = effective_on
    if to_status == Status.IN_TREATMENT:
        changes["entered_treatment_on"] = effective_on
        changes["days_to_treatment"] = (effective_on - referral.referral_date).days
    if to_status in CLOSED_STATUSES:
        changes["closed_on"] = effective_on
    if to_status == Status.WITHDRAWN:
        changes.update(withdrawn_at=now, withdrawn_by=user, withdrawal_reason=note)
    # What the referral was counted by until now: the workflow never returns to a status, so
    # while it is still at `from_status` (the update below checks) these are the stored dates.
    before, was = counted_on(referral), dated_in(referral)
    with transaction.atomic():
        if Referral.objects.filter(pk=referral.pk, status=from_status).update(**changes) != 1:
            referral.refresh_from_db()
            raise ValidationError({"to_status": _already_moved_message(referral)})
        ReferralTransition.objects.create(
            referral=referral,
            from_status=from_status,
            to_status=to_status,
            by=user,
            by_agency_id=user.agency_id,
            at=now,
            effective_on=effective_on,
            note=note,
        )
        referral.refresh_from_db()
        # A step of the workflow is dated by its own date: it touches the figures of the dates
        # it adds (entered treatment, closed), except a withdrawal, which leaves every figure.
        guard_change(
            referral,
            was,
            user=user,
            action=f"{Status(from_status).label} → {Status(to_status).label}",
            only_moved=to_status != Status.WITHDRAWN,
        )
        mark_counted(before, counted_on(referral))
        # Into treatment, assessed, completed or withdrawn: the person's journey and entries.
        journeys_refresh(referral.subject_key)
        referral.refresh_from_db()
    return referral


def may_review(user, referral):
    """Only the receiving agency confirms its long-open referral is still open."""
    return (
        referral.is_open
        and not referral.is_withdrawn
        and not referral.identifiers_cleared
        and user.agency_id is not None
        and user.agency_id == referral.receiving_agency_id
        and user.has_perm("partners.change_referral")
    )


def referral_review(*, referral, user):
    """Record that the receiving agency confirms the referral is still open (the person is still
    being seen): it leaves the review list, and the retention clock starts again from today."""
    if not may_review(user, referral):
        raise PermissionDenied("Only the agency the referral was sent to can confirm it is still open")
    today = timezone.localdate()
    with transaction.atomic():
        if not Referral.objects.filter(pk=referral.pk, closed_on__isnull=True).select_for_update().exists():
            raise ValidationError("This referral has been closed: there is nothing to confirm")
        referral.reviewed_on = today
        audited(referral, user, "Confirmed still open by the receiving agency").save(
            update_fields=["reviewed_on"]
        )
    return referral


def _already_moved_message(referral):
    current = Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).first()
    label = Status(current).label.lower() if current else "changed"
    return f"This referral is already {label}. Nothing was changed"


def _earliest_effective_date(referral):
    last = referral.transitions.order_by("-effective_on").values_list("effective_on", flat=True).first()
    return max(filter(None, [referral.referral_date, last]))


def referral_acknowledge(*, referral_id):
    """Email the person who submitted the referral that it arrived. Sent once: the referral is
    marked acknowledged before the email goes, by a guarded update only one worker can win, so
    two workers given the same referral never both send; if the email fails, the mark is taken
    back so that a retry (or the sweep) sends it. The email carries no identifying details."""
    referral = (
        Referral.objects.select_related("submitted_by", "receiving_agency").filter(pk=referral_id).first()
    )
    if referral is None or referral.acknowledged_at is not None or not referral.submitted_by.email:
        return False
    unacknowledged = Referral.objects.filter(pk=referral.pk, acknowledged_at__isnull=True)
    marked_at = timezone.now()
    if unacknowledged.update(acknowledged_at=marked_at) != 1:
        return False
    link = absolute_url(reverse("partners:referral_detail", args=[referral.pk]))
    try:
        send_mail(
            subject=f"Referral {referral.reference} received",
            message=(
                f"Your referral {referral.reference} ({referral.get_pathway_display()}) to "
                f"{referral.receiving_agency} was received on {referral.created_at:%-d %B %Y}.\n\n"
                f"Follow its progress in the Strategy Portal: {link}\n"
            ),
            from_email=None,
            recipient_list=[referral.submitted_by.email],
        )
    except Exception:
        Referral.objects.filter(pk=referral.pk, acknowledged_at=marked_at).update(acknowledged_at=None)
        raise
    return True


# Referrals submitted this long ago and still unacknowledged are swept up; older ones (before
# acknowledgements existed, or whose submitter has no email) are left alone.
ACKNOWLEDGEMENT_SWEEP_WINDOW = datetime.timedelta(days=7)


def referral_acknowledge_pending(*, older_than=datetime.timedelta(minutes=10)):
    """Send the acknowledgements that could not be queued when their referral was submitted
    (the broker was down). `older_than` leaves recent referrals to their own queued task.
    Returns how many were sent."""
    now = timezone.now()
    pending = (
        Referral.objects.live()
        .filter(
            acknowledged_at__isnull=True,
            created_at__gte=now - ACKNOWLEDGEMENT_SWEEP_WINDOW,
            created_at__lte=now - older_than,
        )
        .exclude(submitted_by__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    return sum(1 for referral_id in pending if referral_acknowledge(referral_id=referral_id))

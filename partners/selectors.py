"""Read queries shared by the pages, the API and the metrics. All start at `visible_to`."""

import statistics

from django.db.models import Q

from core.history import changed_after

from .models import Referral, ReferralTransition


def referral_list(*, user):
    """The referrals the user may see, with what the list, export and API show per row."""
    return (
        Referral.objects.visible_to(user)
        .live()
        # ReferralTable / ReferralSerializer columns
        .select_related("area__force", "area__partnership", "submitting_agency", "receiving_agency")
    )


def referrals_changed_after(moment):
    """The ids of referrals submitted, edited or moved on (accepted, into treatment, closed,
    withdrawn) after `moment`: edits leave a version in the history, moves a transition."""
    moved = ReferralTransition.objects.filter(at__gt=moment).order_by().values("referral_id")
    return changed_after(Referral, moment).union(moved)


def referral_for(*, user, pk):
    """One referral the user may see (withdrawn ones included), or None — the caller says 404."""
    return (
        Referral.objects.visible_to(user)
        .select_related(
            "area__force", "submitting_agency", "receiving_agency", "submitted_by", "withdrawn_by"
        )
        .filter(pk=pk)
        .first()
    )


def referral_submitted_with(*, user, submission_key):
    """The referral this user submitted, for their agency, with this key, or None. A key is its
    submitter's own: the same key from another user or agency finds nothing."""
    return Referral.objects.filter(
        submitted_by=user, submitting_agency_id=user.agency_id, submission_key=submission_key
    ).first()


def shows_identifiers(user, referral):
    """Initials and date of birth are shown only to the two agencies on the referral: others
    (analysts, managers, administrators) see it pseudonymised."""
    return (
        not referral.identifiers_cleared
        and user.agency_id is not None
        and user.agency_id in (referral.submitting_agency_id, referral.receiving_agency_id)
    )


def shows_repeat_flag(user):
    return user.has_perm("partners.view_all_referrals")


def entered_treatment(records):
    return records.live().filter(entered_treatment_on__isnull=False, days_to_treatment__isnull=False)


def median_days_to_treatment(*, records=None, date_from=None, date_to=None, force=None, area=None):
    """Median days from referral to entering treatment of the referrals that entered treatment
    in the period: computed from the records over the whole period, because medians of months or
    districts cannot be added up or averaged into the period's median. None when nobody did."""
    records = entered_treatment(records if records is not None else Referral.objects.all())
    if date_from:
        records = records.filter(entered_treatment_on__gte=date_from)
    if date_to:
        records = records.filter(entered_treatment_on__lte=date_to)
    if force:
        records = records.filter(area__force=force)
    if area:
        records = records.filter(area=area)
    days = list(records.values_list("days_to_treatment", flat=True))
    return statistics.median(days) if days else None


def journey_of(*, user, referral):
    """The referrals of this referral's journey (the one that began it and its steps) that the
    user may see, in order, this one included; empty when it is a journey of one."""
    head = referral.journey_id or referral.pk
    steps = (
        Referral.objects.visible_to(user)
        .filter(Q(pk=head) | Q(journey_id=head))
        .select_related("receiving_agency")  # the journey panel's rows
        .order_by("referral_date", "pk")
    )
    steps = list(steps)
    return steps if len(steps) > 1 else []

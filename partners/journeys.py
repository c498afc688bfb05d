"""A person's journey through their referrals, worked out from the keyed hash of their identifiers.

A Drugs Intervention Programme test on arrest, the required assessment that follows it and the
treatment the person then enters are one journey of one person, not three referrals that
"repeat" each other. Whenever a referral of a person is submitted, changed, moved on or
withdrawn, everything below is worked out again from all of that person's live referrals (a
handful), and stored on them, so the figures count stored columns and keep counting the same
once the retention rule has cleared the identifiers:

- journey: a referral continues the journey of an earlier one of the same person when its
  pathway follows on (choices.CONTINUES), it comes within JOURNEY_STEP_DAYS of the journey's
  latest step, the journey has not ended (completed, dropped out, transferred) before it, and a
  test on arrest that began it was positive;
- possible_repeat: the person has more than one live journey;
- counted_entry: the person entered treatment on this referral while no other referral of
  theirs (on the same side: treatment, or early intervention) was in treatment. Entries into
  treatment count these, so a person entering on two referrals at once counts once, in the
  district and month of the first entry, and a count over months and districts adds up;
- on the referral that began a journey: how far the journey went (assessment required,
  attended or not; the first entry into treatment; a successful completion);
- represented_on: on a successful completion, the first later referral of the person, by any
  agency, within REPRESENTATION_MONTHS (the national measure of treatment success).

Every referral whose stored values change has the months the figures count it by marked, so
the nightly rollup rebuilds them.
"""

import calendar
import datetime

from core.metrics import counted_on, mark_counted

from .choices import (
    CONTINUES,
    JOURNEY_ENDINGS,
    JOURNEY_STEP_DAYS,
    POSITIVE_RESULTS,
    REPRESENTATION_MONTHS,
    Pathway,
    Status,
)
from .models import JourneyAssessment, Referral

DERIVED = (
    "journey_id",
    "possible_repeat",
    "counted_entry",
    "journey_assessment",
    "journey_entered_treatment_on",
    "journey_completed_on",
    "represented_on",
)
ASSESSMENT_PATHWAYS = (Pathway.DIP_TEST_ON_ARREST, Pathway.DIP_ASSESSMENT_INITIAL)


def months_after(day, months):
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_not_positive_test(referral):
    return referral.pathway == Pathway.DIP_TEST_ON_ARREST and referral.dip_test_result not in POSITIVE_RESULTS


def _ended_on(referral):
    return referral.closed_on if referral.status in JOURNEY_ENDINGS else None


def _links(live):
    """{referral id: id of the referral that began its journey, or None}."""
    head_of, latest_step, ended = {}, {}, {}
    for position, referral in enumerate(live):
        head_of[referral.pk] = None
        follows = CONTINUES.get(referral.pathway, ())
        for earlier in reversed(live[:position]):
            head = head_of[earlier.pk] or earlier.pk
            if earlier.pathway not in follows:
                continue
            if (referral.referral_date - latest_step[head]).days > JOURNEY_STEP_DAYS:
                continue
            if ended.get(head) is not None and ended[head] < referral.referral_date:
                continue
            first = next(r for r in live if r.pk == head)
            if is_not_positive_test(first) or is_not_positive_test(earlier):
                continue
            head_of[referral.pk] = head
            break
        head = head_of[referral.pk] or referral.pk
        latest_step[head] = max(latest_step.get(head, referral.referral_date), referral.referral_date)
        if _ended_on(referral) is not None:
            ended[head] = min(filter(None, [ended.get(head), _ended_on(referral)]))
    return head_of


def _counted_entries(live):
    """The ids of the referrals on which the person entered treatment while not already in it:
    treatment and early intervention each on their own."""
    counted = set()
    for early in (False, True):
        entered = sorted(
            (
                r
                for r in live
                if r.entered_treatment_on
                and (r.pathway == Pathway.EARLY_INTERVENTION) == early
                and not is_not_positive_test(r)
            ),
            key=lambda r: (r.entered_treatment_on, r.pk),
        )
        in_treatment_until = None  # None: not in treatment; date.max: still in it
        for referral in entered:
            if in_treatment_until is None or referral.entered_treatment_on > in_treatment_until:
                counted.add(referral.pk)
                in_treatment_until = referral.closed_on or datetime.date.max
            else:
                in_treatment_until = max(in_treatment_until, referral.closed_on or datetime.date.max)
    return counted


def _journey_progress(head, steps):
    """How far the journey begun by `head` went, from it and its steps."""
    whole = [head, *steps]
    assessed = [
        r
        for r in whole
        if r.pathway in ASSESSMENT_PATHWAYS and (r.assessed_on or r.status == Status.DID_NOT_ATTEND)
    ]
    assessment = ""
    if head.pathway == Pathway.DIP_TEST_ON_ARREST and not is_not_positive_test(head):
        required = assessed or any(r.pathway == Pathway.DIP_ASSESSMENT_INITIAL for r in steps)
        if any(r.assessed_on for r in assessed):
            assessment = JourneyAssessment.ATTENDED
        elif assessed:
            assessment = JourneyAssessment.DID_NOT_ATTEND
        elif required:
            assessment = JourneyAssessment.REQUIRED
    entries = [r.entered_treatment_on for r in whole if r.entered_treatment_on]
    completions = [r.closed_on for r in whole if r.status == Status.COMPLETED and r.closed_on]
    return {
        "journey_assessment": assessment,
        "journey_entered_treatment_on": min(entries) if entries else None,
        "journey_completed_on": min(completions) if completions else None,
    }


def _representations(live, head_of):
    """{completed referral id: the first later referral date within the window, or None}."""
    found = {}
    for completed in live:
        if completed.status != Status.COMPLETED or completed.pathway == Pathway.EARLY_INTERVENTION:
            continue
        journey = head_of[completed.pk] or completed.pk
        until = months_after(completed.closed_on, REPRESENTATION_MONTHS)
        later = [
            r.referral_date
            for r in live
            if (head_of[r.pk] or r.pk) != journey
            and r.pathway != Pathway.EARLY_INTERVENTION
            and not is_not_positive_test(r)
            and completed.closed_on < r.referral_date <= until
        ]
        found[completed.pk] = min(later) if later else None
    return found


def derived_values(referrals):
    """{referral id: {derived field: value}} for one person's referrals (withdrawn ones
    included: they are in no journey and count for nothing)."""
    live = sorted((r for r in referrals if r.withdrawn_at is None), key=lambda r: (r.referral_date, r.pk))
    head_of = _links(live)
    heads = [r for r in live if head_of[r.pk] is None]
    counted = _counted_entries(live)
    represented = _representations(live, head_of)
    values = {}
    for referral in referrals:
        values[referral.pk] = {
            "journey_id": head_of.get(referral.pk),
            "possible_repeat": referral.pk in head_of and head_of[referral.pk] is None and len(heads) > 1,
            "counted_entry": referral.pk in counted,
            "journey_assessment": "",
            "journey_entered_treatment_on": None,
            "journey_completed_on": None,
            "represented_on": represented.get(referral.pk),
        }
    for head in heads:
        steps = [r for r in live if head_of[r.pk] == head.pk]
        values[head.pk].update(_journey_progress(head, steps))
    return values


def journeys_refresh(*keys):
    """Work out again the journeys of the people with these keys; store what changed and mark
    the months the figures count each changed referral by. Returns how many changed."""
    changed = 0
    for key in sorted({key for key in keys if key}):
        referrals = list(Referral.objects.filter(subject_key=key).select_for_update().order_by("pk"))
        derived = derived_values(referrals)
        for referral in referrals:
            wanted = derived[referral.pk]
            stale = {name: value for name, value in wanted.items() if getattr(referral, name) != value}
            if not stale:
                continue
            before = counted_on(referral)
            Referral.objects.filter(pk=referral.pk).update(**stale)
            for name, value in stale.items():
                setattr(referral, name, value)
            mark_counted(before, counted_on(referral))
            changed += 1
    return changed

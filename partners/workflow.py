"""Which status changes are allowed, and which side of a referral may make each.

The receiving agency (the service the person is referred to) moves a referral through
treatment; the submitting agency may only withdraw it, and only before it is accepted —
after that the receiving service owns the person's journey. The same table backs a database
check constraint on the recorded transitions.
"""

from dataclasses import dataclass

from .choices import POSITIVE_RESULTS, Pathway, Status

RECEIVING = "receiving"
SUBMITTING = "submitting"


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    by: str  # RECEIVING or SUBMITTING
    action: str  # what the button says
    needs_note: bool = False


MOVES = [
    Move(Status.SUBMITTED, Status.ACCEPTED, RECEIVING, "Accept the referral"),
    Move(Status.SUBMITTED, Status.DECLINED, RECEIVING, "Decline the referral", needs_note=True),
    Move(Status.SUBMITTED, Status.NOT_ELIGIBLE, RECEIVING, "Record as not eligible", needs_note=True),
    Move(Status.SUBMITTED, Status.WITHDRAWN, SUBMITTING, "Withdraw the referral", needs_note=True),
    Move(Status.ACCEPTED, Status.ASSESSED, RECEIVING, "Record the assessment attended"),
    Move(Status.ACCEPTED, Status.DID_NOT_ATTEND, RECEIVING, "Record the assessment not attended"),
    Move(Status.ACCEPTED, Status.NOT_ELIGIBLE, RECEIVING, "Record as not eligible", needs_note=True),
    Move(Status.ACCEPTED, Status.DISENGAGED, RECEIVING, "Record as dropped out", needs_note=True),
    Move(Status.ASSESSED, Status.IN_TREATMENT, RECEIVING, "Record entry into treatment"),
    Move(Status.ASSESSED, Status.NOT_ELIGIBLE, RECEIVING, "Record as not eligible", needs_note=True),
    Move(Status.ASSESSED, Status.DISENGAGED, RECEIVING, "Record as dropped out", needs_note=True),
    Move(Status.IN_TREATMENT, Status.COMPLETED, RECEIVING, "Record treatment completed successfully"),
    Move(Status.IN_TREATMENT, Status.DISENGAGED, RECEIVING, "Record as dropped out", needs_note=True),
    Move(
        Status.IN_TREATMENT,
        Status.TRANSFERRED,
        RECEIVING,
        "Record a transfer to another service",
        needs_note=True,
    ),
]

# A negative or refused test on arrest leads to no required assessment and no treatment: the
# receiving service may only record it as not eligible, and the referrer withdraw it.
AFTER_A_TEST_NOT_POSITIVE = (Status.NOT_ELIGIBLE, Status.DECLINED, Status.WITHDRAWN)


def ends_at_the_test(referral):
    return referral.pathway == Pathway.DIP_TEST_ON_ARREST and referral.dip_test_result not in POSITIVE_RESULTS


_BY_PAIR = {(move.source, move.target): move for move in MOVES}


def move_between(source, target):
    return _BY_PAIR.get((source, target))


def sides_of(user, referral):
    """The side of this referral the user's agency is on: at most one. An agency never
    receives its own referral (the database refuses one); were one to exist, its submitter
    would still be only the submitter, so it could not move its own referral through
    treatment."""
    if user.agency_id is None:
        return set()
    if user.agency_id == referral.submitting_agency_id:
        return {SUBMITTING}
    if user.agency_id == referral.receiving_agency_id:
        return {RECEIVING}
    return set()


def moves_for(user, referral):
    """The status changes this user may make to this referral now."""
    if referral.is_withdrawn or not user.has_perm("partners.change_referral"):
        return []
    sides = sides_of(user, referral)
    moves = [move for move in MOVES if move.source == referral.status and move.by in sides]
    if ends_at_the_test(referral):
        moves = [move for move in moves if move.target in AFTER_A_TEST_NOT_POSITIVE]
    return moves


def refusal(user, referral, target):
    """Why the user may not move the referral to `target` now, or None if they may."""
    move = move_between(referral.status, target)
    label = Status(target).label.lower() if target in Status.values else repr(target)
    if move is None:
        return f"A referral that is {referral.get_status_display().lower()} cannot be changed to {label}"
    if ends_at_the_test(referral) and target not in AFTER_A_TEST_NOT_POSITIVE:
        return (
            "A negative or refused test on arrest leads to no assessment and no treatment: record it "
            "as not eligible, and refer the person for treatment if they ask for help"
        )
    if move not in moves_for(user, referral):
        who = "the receiving agency" if move.by == RECEIVING else "the agency that submitted it"
        return f"Only {who} can change this referral to {label}"
    return None

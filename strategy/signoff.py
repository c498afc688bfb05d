"""Quarter sign-off: an analyst marks a quarter's figures ready, a manager signs them off (the
facts kept as they stood, and the records behind them locked), a manager reopens one with a
reason. Published figures are read from the kept facts by the same code that reads today's.

The lock itself is core's (`core.models.PeriodLock`), so that the recording apps' services,
which may not know this app, check it before they write.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core import generations
from core.models import ChangeAfterLock, ChangedMonth, PeriodLock
from core.periods import Period, financial_quarter, financial_year_of
from geography.models import Force

from .facts import FactTable, month_start, months_between
from .figures import figures_through
from .models import Fact, QuarterSignOff, SignedOffFact, SignOffEvent, SignOffPolicy
from .scopes import Scope

Status, Action = QuarterSignOff.Status, SignOffEvent.Action


def quarters_between(start, end):
    """The financial quarters from the one holding `start` to the one holding `end`."""
    year, quarter = financial_year_of(start), (start.month - 4) % 12 // 3 + 1
    found = []
    while True:
        period = financial_quarter(year, quarter)
        if period.start > end:
            return found
        found.append(period)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarter_from(year, number):
    try:
        return financial_quarter(year, number)
    except ValueError as invalid:
        raise ValidationError(str(invalid)) from invalid


def _when(moment):
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _name(user):
    return user.get_full_name() or user.get_username()


def sign_off_of(quarter, force):
    return QuarterSignOff.objects.filter(start=quarter.start, force=force).first()


def policy_of(force):
    policy = SignOffPolicy.objects.filter(force=force).first()
    return policy.changes_after_sign_off if policy else PeriodLock.Mode.REFUSE


def _check_scope(force):
    if force is not None and not force.in_alliance:
        raise ValidationError("Only the alliance's own forces sign their quarters off")


def _check_figures_cover(quarter, today):
    if quarter.end >= today:
        raise ValidationError(f"{quarter.label} has not ended yet: it can be signed off once it has")
    through = figures_through()
    if through is None or through < quarter.end:
        shown = f"{through.day} {through:%B %Y}" if through else "no day yet"
        raise ValidationError(
            f"The figures count records to {shown}: {quarter.label} can be signed off once they "
            "count every day of it (after the next nightly run, or a rebuild now)"
        )


def _events(sign_off, action, user, **extra):
    return SignOffEvent.objects.create(sign_off=sign_off, action=action, by=user, at=timezone.now(), **extra)


@transaction.atomic
def quarter_mark_ready(*, quarter, force, user, today=None):
    """An analyst says the quarter's figures are complete and checked, for a manager to sign off."""
    _check_scope(force)
    _check_figures_cover(quarter, today or timezone.localdate())
    sign_off = (
        QuarterSignOff.objects.select_for_update(of=("self",))
        .filter(start=quarter.start, force=force)
        .first()
    )
    if sign_off is not None and sign_off.status == Status.READY:
        raise ValidationError(f"{quarter.label} is already marked ready for sign-off")
    if sign_off is not None and sign_off.status == Status.SIGNED_OFF:
        raise ValidationError(f"{quarter.label} is signed off: a manager must reopen it first")
    if sign_off is None:
        sign_off = QuarterSignOff(start=quarter.start, end=quarter.end, force=force)
    sign_off.status = Status.READY
    sign_off.save()
    _events(sign_off, Action.READY, user)
    return sign_off


def _pending_changes(quarter):
    """Months of the quarter with records changed since the figures were last built."""
    return sorted(
        set(
            ChangedMonth.objects.filter(month__gte=quarter.start, month__lte=quarter.end).values_list(
                "month", flat=True
            )
        )
    )


def _forces_of(force):
    return [force] if force is not None else list(Force.objects.filter(in_alliance=True).order_by("name"))


@transaction.atomic
def quarter_sign_off(*, quarter, force, user, today=None, in_bulk=False):
    """A manager signs off the quarter marked ready: its facts are kept as published, and records
    dated in it are locked (or their changes listed, as each force chose)."""
    _check_scope(force)
    sign_off = (
        QuarterSignOff.objects.select_for_update(of=("self",))
        .filter(start=quarter.start, force=force)
        .first()
    )
    if sign_off is None or sign_off.status == Status.REOPENED:
        raise ValidationError(f"{quarter.label} must be marked ready by an analyst before it is signed off")
    if sign_off.status == Status.SIGNED_OFF:
        raise ValidationError(f"{quarter.label} is already signed off")
    prepared = sign_off.events.filter(action=Action.READY).last()
    if prepared and prepared.by_id == user.pk:
        raise ValidationError(
            f"You marked {quarter.label} ready: another person must sign it off (two people see every "
            "published figure)"
        )
    _check_figures_cover(quarter, today or timezone.localdate())
    pending = _pending_changes(quarter)
    if pending:
        months = ", ".join(f"{month:%B %Y}" for month in pending)
        raise ValidationError(
            f"Records dated in {months} changed since the figures were last built: rebuild the "
            "figures, then sign the quarter off, so that what is published counts them"
        )
    event = _events(sign_off, Action.SIGNED_OFF, user, through=figures_through(), in_bulk=in_bulk)
    forces = _forces_of(force)
    _snapshot(event, quarter, forces)
    label = f"{sign_off.scope_label} {quarter.label}, signed off on {_when(event.at)} by {_name(user)}"
    locks = [
        PeriodLock.objects.create(
            force=each, start=quarter.start, end=quarter.end, mode=policy_of(each), label=label
        )
        for each in forces
    ]
    sign_off.locks.set(locks)
    sign_off.status, sign_off.published = Status.SIGNED_OFF, event
    sign_off.save(update_fields=["status", "published"])
    return sign_off


def _snapshot(event, quarter, forces):
    """The quarter's facts for these forces, as they stand, kept with the sign-off."""
    columns = ("metric", "month", "force_id", "area_id", "dimension", "dimension_value", "value")
    rows = Fact.objects.filter(
        month__gte=quarter.start, month__lte=quarter.end, force__in=forces
    ).values_list(*columns)
    SignedOffFact.objects.bulk_create(
        (SignedOffFact(event=event, **dict(zip(columns, row, strict=True))) for row in rows.iterator()),
        batch_size=2000,
    )


@transaction.atomic
def quarter_reopen(*, quarter, force, user, reason):
    """A manager reopens a signed-off quarter so records dated in it may change; the figures it
    published are kept, and it is signed off again (a new published figure) when ready."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the quarter is being reopened"})
    sign_off = (
        QuarterSignOff.objects.select_for_update(of=("self",))
        .filter(start=quarter.start, force=force)
        .first()
    )
    if sign_off is None or sign_off.status != Status.SIGNED_OFF:
        raise ValidationError(f"{quarter.label} is not signed off, so there is nothing to reopen")
    PeriodLock.objects.filter(pk__in=sign_off.locks.values("pk"), released_at__isnull=True).update(
        released_at=timezone.now()
    )
    sign_off.status = Status.REOPENED
    sign_off.save(update_fields=["status"])
    _events(sign_off, Action.REOPENED, user, reason=reason)
    return sign_off


@dataclass
class BulkOutcome:
    quarter: Period
    signed_off: bool
    message: str


def quarters_sign_off_bulk(*, quarters, force, user, today=None):
    """Sign off many past quarters at once (history approved in one go): each on its own, so one
    that cannot be signed off (not ready, figures short) leaves the others signed off."""
    outcomes = []
    for quarter in sorted(quarters, key=lambda q: q.start):
        try:
            quarter_sign_off(quarter=quarter, force=force, user=user, today=today, in_bulk=True)
        except ValidationError as refused:
            outcomes.append(BulkOutcome(quarter, False, " ".join(refused.messages)))
        else:
            outcomes.append(BulkOutcome(quarter, True, "Signed off"))
    return outcomes


def quarters_mark_ready_bulk(*, quarters, force, user, today=None):
    outcomes = []
    for quarter in sorted(quarters, key=lambda q: q.start):
        try:
            quarter_mark_ready(quarter=quarter, force=force, user=user, today=today)
        except ValidationError as refused:
            outcomes.append(BulkOutcome(quarter, False, " ".join(refused.messages)))
        else:
            outcomes.append(BulkOutcome(quarter, True, "Marked ready"))
    return outcomes


@transaction.atomic
def policy_set(*, force, mode, user):
    """The force's choice for changes to records of its signed-off quarters; its locks in force
    follow at once."""
    _check_scope(force)
    if mode not in PeriodLock.Mode.values:
        raise ValidationError({"changes_after_sign_off": "Choose what a change after sign-off does"})
    SignOffPolicy.objects.update_or_create(
        force=force,
        defaults={"changes_after_sign_off": mode, "changed_by": user, "changed_at": timezone.now()},
    )
    PeriodLock.objects.in_force().filter(force=force).update(mode=mode)


# --- reading published figures -----------------------------------------------------------------


@dataclass
class Published:
    """The published figures of a period made of whole signed-off quarters, for a scope."""

    period: Period
    scope: Scope
    sign_offs: list
    events: list = field(default_factory=list)

    @property
    def cache_key(self):
        """Changes with every sign-off, reopening or new publication of the period's quarters."""
        return ",".join(
            f"{sign_off.pk}.{sign_off.status}.{publication.pk}"
            for sign_off, publication in zip(self.sign_offs, self.events, strict=True)
        )

    @property
    def reopened(self):
        return [s for s in self.sign_offs if s.status == Status.REOPENED]

    def table(self, indicators, group_by=()):
        source = SignedOffFact.objects.filter(event__in=self.events)
        return FactTable(
            indicators,
            first_month=month_start(self.period.start),
            last_month=month_start(self.period.end),
            scope=self.scope if not group_by else None,
            group_by=group_by,
            source=source,
        )

    def figures(self, indicators):
        """{indicator pk: the published figure}."""
        indicators = list(indicators)
        table = self.table(indicators)
        return {indicator.pk: table.figure(indicator, self.period) for indicator in indicators}

    def changes(self, sign_offs=None):
        """Records changed since sign-off (in forces that allow it) under these sign-offs."""
        return changes_since(sign_offs or self.sign_offs, self.scope.force)

    def lines(self):
        """Per quarter: its sign-off, how many records changed since, and the page listing them."""
        return [
            {
                "sign_off": sign_off,
                "changes": self.changes([sign_off]).count(),
                "changes_url": quarter_url("quarter_changes", sign_off.quarter, sign_off.force),
                "url": quarter_url("quarter", sign_off.quarter, sign_off.force),
            }
            for sign_off in self.sign_offs
        ]


def changes_since(sign_offs, force=None):
    locks = PeriodLock.objects.filter(
        pk__in=QuarterSignOff.locks.through.objects.filter(
            quartersignoff__in=[s.pk for s in sign_offs]
        ).values("periodlock")
    )
    if force is not None:
        locks = locks.filter(force=force)
    return ChangeAfterLock.objects.filter(lock__in=locks).select_related("by", "lock")


def scope_code(force):
    return force.ons_code if force is not None else "alliance"


def quarter_key(quarter):
    """(financial year, quarter number): 2025-26 Q1 is (2025, 1)."""
    return financial_year_of(quarter.start), (quarter.start.month - 4) % 12 // 3 + 1


def quarter_url(name, quarter, force, *extra):
    return reverse(f"strategy:{name}", args=[scope_code(force), *quarter_key(quarter), *extra])


def whole_quarters(period):
    quarters = quarters_between(period.start, period.end)
    if not quarters or quarters[0].start != period.start or quarters[-1].end != period.end:
        return None
    return quarters


def published_for(period, scope):
    """The published figures for `period` and `scope` when every quarter of the period has been
    signed off for it — by the scope's force, or else by the alliance, whose kept facts hold
    every alliance force's — else None. Every dashboard page asks: kept until a sign-off or
    its history changes."""
    return generations.kept_until_changed(
        [QuarterSignOff, SignOffEvent],
        lambda: _published_for(period, scope),
        "published-for",
        period.start,
        period.end,
        scope.kind,
        scope.narrowest.pk if scope.narrowest else 0,
    )


def _published_for(period, scope):
    quarters = whole_quarters(period)
    if quarters is None:
        return None
    if scope.force is not None and not scope.force.in_alliance:
        return None
    wanted = Q(force__isnull=True) | (Q(force=scope.force) if scope.force is not None else Q(pk__in=[]))
    found = (
        QuarterSignOff.objects.filter(wanted, start__in=[q.start for q in quarters], published__isnull=False)
        .select_related("published__by", "force")
        .order_by("start")
    )
    chosen = {}
    for sign_off in found:
        # The force's own sign-off before the alliance's.
        if sign_off.start not in chosen or sign_off.force_id is not None:
            chosen[sign_off.start] = sign_off
    if len(chosen) != len(quarters):
        return None
    sign_offs = [chosen[q.start] for q in quarters]
    return Published(period, scope, sign_offs, [s.published for s in sign_offs])


def history_of(sign_off):
    return sign_off.events.select_related("by").order_by("-at", "-pk")


def quarters_of(strategy, force, today):
    """Every quarter of the strategy that has ended, newest first, with its sign-off (or None)."""
    if strategy is None:
        return []
    last = min(strategy.end, today - datetime.timedelta(days=1))
    quarters = [q for q in quarters_between(strategy.start, last) if q.end < today]
    states = {
        s.start: s
        for s in QuarterSignOff.objects.filter(
            force=force, start__in=[q.start for q in quarters]
        ).select_related("published__by")
    }
    return [(quarter, states.get(quarter.start)) for quarter in reversed(quarters)]


def months_of(quarter):
    return list(months_between(quarter.start, quarter.end))


def policy_label(force):
    return PeriodLock.Mode(policy_of(force)).label.lower()


@transaction.atomic
def commentary_write(*, indicator, quarter, force, user, text):
    """The analyst's commentary on an indicator for a quarter: part of what is published, so it
    is fixed once the quarter is signed off (until it is reopened)."""
    from .models import Commentary

    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the commentary"})
    state = sign_off_of(quarter, force)
    if state is not None and state.status == Status.SIGNED_OFF:
        raise ValidationError(
            f"{quarter.label} is signed off: its commentary is published as it stands. A manager must "
            "reopen the quarter to change it"
        )
    commentary, _ = Commentary.objects.update_or_create(
        indicator=indicator,
        start=quarter.start,
        force=force,
        defaults={"text": text, "written_by": user, "updated_at": timezone.now()},
    )
    return commentary


def pack_subscription_set(*, user, force, frequency):
    from .models import PackSubscription

    if frequency == "never":
        PackSubscription.objects.filter(user=user, force=force).delete()
        return None
    subscription, _ = PackSubscription.objects.update_or_create(
        user=user, force=force, defaults={"frequency": frequency}
    )
    return subscription

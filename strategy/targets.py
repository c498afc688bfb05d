"""What is due of a target so far, for any period and scope.

A target is set over whole months (a year, a quarter, the whole strategy, or any run of months)
for one scope. For a period and a day `upto`, the targets used are, in this order:

1. those set for exactly that period;
2. else the shortest target whose months contain the period (a year's target, seen in a
   quarter): the share of it that falls in the period;
3. else the targets inside the period that do not overlap (the quarters of a year), added up.

A scope with no target of its own adds up its parts' (the alliance its forces', a force its
partnerships', a partnership its districts'). What is due by `upto` is the target pro rata to
the days elapsed, or by season: each month's share of the year, averaged over the last three
complete years of the indicator's own figures, where the target says so. Shares (per cent) are
not spread: the target share applies at any time.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from core.periods import Period

from .facts import FactTable, add_months, month_end, month_start, months_between
from .models import Target

SEASON_YEARS = 3


@dataclass
class Due:
    value: Decimal | None  # due by `upto`
    total: Decimal | None  # for the whole period
    tolerance: Decimal = Decimal(10)
    targets: list = field(default_factory=list)
    seasonal: bool = False

    @property
    def basis(self):
        if not self.targets:
            return ""
        periods = sorted({target.period.label for target in self.targets})
        spread = (
            "by season (each month's share of the year over the last three years)"
            if self.seasonal
            else "in proportion to the days elapsed"
        )
        return f"From the target{'s' if len(periods) > 1 else ''} for {', '.join(periods)}, {spread}."


def targets_for(indicators):
    return list(
        Target.objects.filter(indicator__in=indicators).select_related("force", "partnership", "area")
    )


def due(indicator, targets, period, scope, upto, seasons=None):
    """What `indicator` should have reached in `period` by `upto` in `scope` (Due), or a Due of
    None when no target applies."""
    seasons = seasons if seasons is not None else Seasons()
    mine = [t for t in targets if t.indicator_id == indicator.pk]
    found = _due_in_scope(indicator, mine, period, scope, upto, seasons)
    if found.total is not None:
        return found
    parts = [_due_in_scope(indicator, mine, period, part, upto, seasons) for part in scope.parts()]
    parts = [part for part in parts if part.total is not None]
    if not parts:
        return Due(None, None)
    if indicator.is_ratio:
        return Due(
            sum(p.value for p in parts) / len(parts),
            sum(p.total for p in parts) / len(parts),
            parts[0].tolerance,
            [t for p in parts for t in p.targets],
        )
    return Due(
        sum((p.value for p in parts), Decimal(0)),
        sum((p.total for p in parts), Decimal(0)),
        max(p.tolerance for p in parts),
        [t for p in parts for t in p.targets],
        any(p.seasonal for p in parts),
    )


def _due_in_scope(indicator, targets, period, scope, upto, seasons):
    chosen = chosen_targets([t for t in targets if scope.holds(t)], period)
    if not chosen:
        return Due(None, None)
    tolerance = max(t.amber_tolerance_percent for t in chosen)
    if indicator.is_ratio:
        current = next((t for t in chosen if t.start <= upto <= t.end), chosen[-1])
        return Due(current.value, current.value, tolerance, chosen)
    value = total = Decimal(0)
    seasonal = False
    for target in chosen:
        weights = (
            seasons.weights(indicator, target, scope) if target.profile == Target.Profile.SEASONAL else None
        )
        seasonal = seasonal or weights is not None
        before = _share(target, period.start - datetime.timedelta(days=1), weights)
        total += target.value * (_share(target, period.end, weights) - before)
        value += target.value * (_share(target, min(upto, period.end), weights) - before)
    return Due(value, total, tolerance, chosen, seasonal)


def chosen_targets(targets, period):
    exact = [t for t in targets if (t.start, t.end) == (period.start, period.end)]
    if exact:
        return exact[:1]
    containing = [t for t in targets if t.start <= period.start and t.end >= period.end]
    if containing:
        return [min(containing, key=lambda t: (t.end - t.start, t.start))]
    inside = [t for t in targets if t.start >= period.start and t.end <= period.end]
    by_length = {}
    for target in inside:
        months = (target.end.year - target.start.year) * 12 + target.end.month - target.start.month + 1
        by_length.setdefault(months, []).append(target)
    for _, family in sorted(by_length.items(), reverse=True):
        family.sort(key=lambda t: t.start)
        if all(later.start > earlier.end for earlier, later in zip(family, family[1:], strict=False)):
            return family
    return []


def _share(target, day, weights):
    """The share of `target` due by the end of `day` (0 before it starts, 1 after it ends)."""
    if day < target.start:
        return Decimal(0)
    if day >= target.end:
        return Decimal(1)
    if weights is None:
        return Decimal((day - target.start).days + 1) / Decimal((target.end - target.start).days + 1)
    months = list(months_between(target.start, target.end))
    whole = sum(weights[m.month] for m in months)
    done = sum(weights[m.month] for m in months if month_end(m) <= day)
    current = month_start(day)
    if month_end(current) > day:
        done += weights[current.month] * Decimal(day.day) / Decimal(month_end(current).day)
    return done / whole if whole else Decimal(0)


class Seasons:
    """Each calendar month's share of a year, from the indicator's own figures over the
    SEASON_YEARS years of twelve months before a target starts; None (spread evenly) when
    any of those years has no figures."""

    def __init__(self):
        self._weights = {}

    def weights(self, indicator, target, scope):
        key = (indicator.pk, target.start, scope)
        if key not in self._weights:
            self._weights[key] = _season_weights(indicator, target.start, scope)
        return self._weights[key]

    @staticmethod
    def describe():
        return (
            f"Due by season: each month's share of a year, averaged over the {SEASON_YEARS} years "
            "before the target starts."
        )


def _season_weights(indicator, start, scope):
    first = add_months(month_start(start), -12 * SEASON_YEARS)
    last = add_months(month_start(start), -1)
    facts = FactTable([indicator], first_month=first, last_month=last, scope=scope)
    shares = {month: Decimal(0) for month in range(1, 13)}
    for year in range(SEASON_YEARS):
        months = [add_months(first, 12 * year + offset) for offset in range(12)]
        values = {m.month: facts.figure(indicator, Period(m, month_end(m), "")) for m in months}
        total = sum(values.values(), Decimal(0))
        if not total:
            return None
        for month, value in values.items():
            shares[month] += value / total / SEASON_YEARS
    return shares

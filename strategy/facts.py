"""Reading the rollup: monthly facts for whole months, daily facts for a month cut part way.

Facts count the records dated up to the last day the figures are complete for (`through`), so
the month of `through` is read from Fact as it stands. A window of figures runs from the first
day of a month to any day: its whole months are read from Fact, and a last month cut part way a
year or more earlier (the same days as the month under way) from DailyFact, which every run
keeps for exactly those months (`daily_months`). Dashboards never count records themselves, so
a dashboard costs the same few queries whatever the number of records.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from core.periods import Period

from .models import DailyFact, Fact

# A window compared with the same months up to this many years before still finds its daily
# facts (the longest comparison: a 36-month window against the 36 months before).
DAILY_YEARS_BACK = 3


def month_start(day):
    return day.replace(day=1)


def add_months(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month):
    return add_months(month_start(month), 1) - datetime.timedelta(days=1)


def months_between(first, last):
    month = month_start(first)
    while month <= last:
        yield month
        month = add_months(month, 1)


def month_period(month, end=None):
    """A month as a period; `end` cuts it short (1 to 29 November 2026)."""
    last = end or month_end(month)
    if last == month_end(month):
        return Period(month, last, f"{month:%B %Y}")
    return Period(month, last, f"1 to {last.day} {month:%B %Y}")


def daily_months(through):
    """The months a run keeps daily facts for: the month of its last complete day in each of
    the years before that a comparison may reach. (The month of `through` itself needs none:
    its monthly facts count the records up to `through` and no further.)"""
    if through is None:
        return []
    return [add_months(month_start(through), -12 * years) for years in range(1, DAILY_YEARS_BACK + 1)]


def series_keys(indicator):
    """The fact slices an indicator reads: its metric (and denominator) at its dimension."""
    keys = [(indicator.metric, indicator.dimension, indicator.dimension_value)]
    if indicator.is_ratio:
        keys.append((indicator.denominator_metric, indicator.dimension, indicator.dimension_value))
    return keys


def unpriced_key(indicator):
    """The slice counting what the indicator's sum leaves out for want of a value (items with no
    street price), at the same dimension; None for a metric that leaves nothing out."""
    if indicator.is_ratio:
        return None
    unpriced = indicator.metric_definition.unpriced_metric
    return (unpriced, indicator.dimension, indicator.dimension_value) if unpriced else None


class FactTable:
    """Totals of the needed fact slices between two months, for one scope, grouped by month
    (and by day within the months cut part way), read in two queries. `source`: the facts to
    read (default Fact; a quarter's facts as signed off are read the same way)."""

    def __init__(self, indicators, *, first_month, last_month, scope, through=None, group_by=(), source=None):
        self.through = through
        self.partial_months = set(daily_months(through))
        self.values = defaultdict(Decimal)
        self.daily = defaultdict(Decimal)
        keys = {key for indicator in indicators for key in series_keys(indicator)}
        keys |= {key for indicator in indicators if (key := unpriced_key(indicator))}
        if not keys:
            return
        wanted = Q()
        for metric, dimension, value in keys:
            wanted |= Q(metric=metric, dimension=dimension, dimension_value=value)
        fields = ("metric", "dimension", "dimension_value")
        # scope None: every force's facts, context forces included (a breakdown shows them apart).
        where = scope.fact_filter() if scope is not None else Q()
        monthly = (
            (Fact.objects.all() if source is None else source)
            .filter(wanted, where, month__gte=first_month, month__lte=last_month)
            .values(*fields, "month", *group_by)
            .annotate(total=Sum("value"))
            .order_by()
        )
        for row in monthly:
            self.values[(tuple(row[f] for f in fields), row["month"], _group(row, group_by))] += row["total"]
        if self.partial_months:
            days = Q()
            for month in self.partial_months:
                days |= Q(day__gte=month, day__lte=month_end(month))
            daily = (
                DailyFact.objects.filter(wanted, days, where)
                .values(*fields, "day", *group_by)
                .annotate(total=Sum("value"))
                .order_by()
            )
            for row in daily:
                self.daily[(tuple(row[f] for f in fields), row["day"], _group(row, group_by))] += row["total"]

    def total(self, key, window, group=()):
        """The slice's total over the window (from a month's first day to any later day)."""
        total = Decimal(0)
        for month in months_between(window.start, window.end):
            # Whole months, and the month under way: its facts stop at `through`.
            if month_end(month) <= window.end or self._under_way_to(month, window.end):
                total += self.values.get((key, month, group), Decimal(0))
                continue
            if month not in self.partial_months:
                raise ValueError(f"no daily figures were kept for {month:%B %Y}")
            day = month
            while day <= window.end:
                total += self.daily.get((key, day, group), Decimal(0))
                day += datetime.timedelta(days=1)
        return total

    def _under_way_to(self, month, end):
        return self.through is not None and month == month_start(self.through) and end >= self.through

    def figure(self, indicator, window, group=()):
        """The indicator's figure over the window: a total, or a share in per cent (None when
        the window is empty or the share has no denominator)."""
        if window is None:
            return None
        keys = series_keys(indicator)
        numerator = self.total(keys[0], window, group)
        if not indicator.is_ratio:
            return numerator
        denominator = self.total(keys[1], window, group)
        return None if denominator == 0 else numerator / denominator * 100

    def unpriced(self, indicator, window, group=()):
        """How many records the indicator's figure over the window leaves out for want of a
        value (a minimum, then), or None when its metric leaves none out or there is no window."""
        key = unpriced_key(indicator)
        if key is None or window is None:
            return None
        return int(self.total(key, window, group))


def _group(row, group_by):
    return tuple(row[name] for name in group_by)

"""Dashboard figures, read from the rollup facts only (never from the records themselves),
so a dashboard costs the same few queries whatever the number of records."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from core.periods import Period, financial_year, financial_year_of
from geography.models import Area

from . import rag
from .models import Fact, Target


@dataclass(frozen=True)
class Scope:
    """The whole alliance, one force, or one district."""

    force: object = None
    area: object = None

    @property
    def label(self):
        return str(self.area or self.force or "Alliance")

    def fact_filter(self):
        if self.area is not None:
            return Q(area=self.area)
        if self.force is not None:
            return Q(force=self.force)
        return Q()

    def link_params(self):
        return {"force": self.force.pk if self.force else None, "area": self.area.pk if self.area else None}


def month_start(day):
    return day.replace(day=1)


def add_months(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first, last):
    month = month_start(first)
    while month <= last:
        yield month
        month = add_months(month, 1)


def series_keys(indicator):
    """The fact slices an indicator reads: its metric (and denominator) at its dimension."""
    keys = [(indicator.metric, indicator.dimension, indicator.dimension_value)]
    if indicator.is_ratio:
        keys.append((indicator.denominator_metric, indicator.dimension, indicator.dimension_value))
    return keys


class FactTable:
    """Monthly totals of the needed fact slices over a range of months, for one scope, read in
    a single query."""

    def __init__(self, indicators, *, first_month, last_month, scope, group_by=()):
        keys = {key for indicator in indicators for key in series_keys(indicator)}
        self.values = defaultdict(Decimal)
        if not keys:
            return
        wanted = Q()
        for metric, dimension, value in keys:
            wanted |= Q(metric=metric, dimension=dimension, dimension_value=value)
        rows = (
            Fact.objects.filter(wanted, scope.fact_filter(), month__gte=first_month, month__lte=last_month)
            .values("metric", "dimension", "dimension_value", "month", *group_by)
            .annotate(total=Sum("value"))
            .order_by()
        )
        for row in rows:
            key = (row["metric"], row["dimension"], row["dimension_value"])
            group = tuple(row[name] for name in group_by)
            self.values[(key, row["month"], group)] += row["total"]

    def total(self, key, months, group=()):
        return sum((self.values.get((key, month, group), Decimal(0)) for month in months), Decimal(0))

    def figure(self, indicator, months, group=()):
        """The indicator's figure over these months: a total, or a share in per cent."""
        keys = series_keys(indicator)
        numerator = self.total(keys[0], months, group)
        if not indicator.is_ratio:
            return numerator
        denominator = self.total(keys[1], months, group)
        return None if denominator == 0 else numerator / denominator * 100


def elapsed_end(period, today):
    """The last day figures can exist for: the period's end, or today if that is earlier."""
    return min(period.end, today)


def expected_by(indicator, targets, period, scope, today):
    """The target due by the end of `period` (or today), pro rata to the days elapsed.

    Year targets are spread over their year; a quarter target is used when the period is that
    quarter. For the alliance, forces' targets are added up when there is no alliance target.
    Shares (per cent) are not spread: the target share applies at any time."""
    relevant = [t for t in targets if t.indicator_id == indicator.pk]
    upto = elapsed_end(period, today)
    quarter_targets = [
        t for t in relevant if t.quarter and t.period.start == period.start and t.period.end == period.end
    ]
    if quarter_targets:
        chosen = _in_scope(quarter_targets, scope)
        return None if chosen is None else _sum_pro_rata(indicator, chosen, period, upto)
    expected, found = Decimal(0), False
    for year in range(financial_year_of(period.start), financial_year_of(period.end) + 1):
        chosen = _in_scope([t for t in relevant if not t.quarter and t.financial_year == year], scope)
        if chosen is None:
            continue
        found = True
        if indicator.is_ratio:
            return sum(t.value for t in chosen) / len(chosen)
        window = Period(
            max(period.start, financial_year(year).start), min(upto, financial_year(year).end), ""
        )
        if window.end < window.start:
            continue
        for target in chosen:
            expected += Decimal(target.value) * Decimal(window.days) / Decimal(target.period.days)
    return expected if found else None


def _in_scope(targets, scope):
    exact = [
        t
        for t in targets
        if t.force_id == (scope.force.pk if scope.force else None)
        and t.area_id == (scope.area.pk if scope.area else None)
    ]
    if exact:
        return exact[:1]
    if scope.force is None and scope.area is None:
        by_force = [t for t in targets if t.force_id and not t.area_id]
        return by_force or None
    return None


def _sum_pro_rata(indicator, targets, period, upto):
    if indicator.is_ratio:
        return targets[0].value
    return sum(rag.pro_rata_target(t.value, t.period, upto) for t in targets)


@dataclass
class Card:
    indicator: object
    figure: Decimal | None
    expected: Decimal | None
    previous: Decimal | None
    assessment: rag.Assessment
    change: Decimal | None
    sparkline: list = field(default_factory=list)
    records_url: str = ""
    previous_url: str = ""


def targets_for(indicators):
    return list(Target.objects.filter(indicator__in=indicators).select_related("force", "area"))


def overview_cards(indicators, *, period, scope, today):
    """One card per indicator: the period figure (to date), the pro-rata target and RAG, the
    same period a year earlier, and the last twelve months for a sparkline. Three queries."""
    indicators = list(indicators)
    year_earlier = period.year_earlier()
    last_month = month_start(elapsed_end(period, today))
    spark_months = [add_months(last_month, -offset) for offset in range(11, -1, -1)]
    first_month = min(month_start(year_earlier.start), spark_months[0])
    facts = FactTable(indicators, first_month=first_month, last_month=month_start(period.end), scope=scope)
    targets = targets_for(indicators)

    months_now = list(months_between(period.start, elapsed_end(period, today)))
    months_before = list(
        months_between(year_earlier.start, elapsed_end(year_earlier, add_months(today, -12)))
    )
    cards = []
    for indicator in indicators:
        figure = facts.figure(indicator, months_now)
        previous = facts.figure(indicator, months_before)
        expected = expected_by(indicator, targets, period, scope, today)
        cards.append(
            Card(
                indicator=indicator,
                figure=figure,
                expected=expected,
                previous=previous,
                assessment=assess(indicator, figure, expected, targets, period, scope),
                change=rag.change_percent(figure, previous),
                sparkline=[(month, facts.figure(indicator, [month])) for month in spark_months],
                records_url=records_url(indicator, period, scope),
                previous_url=records_url(indicator, year_earlier, scope),
            )
        )
    return cards


def assess(indicator, figure, expected, targets, period, scope):
    tolerance = next((t.amber_tolerance_percent for t in targets if t.indicator_id == indicator.pk), 10)
    return rag.assess(
        figure,
        expected,
        higher_is_better=indicator.higher_is_better,
        amber_tolerance_percent=tolerance,
        small_count_threshold=0 if indicator.is_ratio else indicator.small_count_threshold,
    )


def records_url(indicator, period, scope, *, denominator=False):
    """The record list filtered to exactly the records behind a figure."""
    from core import metrics

    metric = metrics.get(indicator.denominator_metric if denominator else indicator.metric)
    return metric.records_url(
        date_from=period.start,
        date_to=period.end,
        dimension=indicator.dimension or None,
        value=indicator.dimension_value or None,
        **scope.link_params(),
    )


# --- the indicator page ------------------------------------------------------------------------


def month_period(month):
    return Period(month, add_months(month, 1) - datetime.timedelta(days=1), f"{month:%B %Y}")


def indicator_figures(indicator, *, period, scope, today):
    """Everything the indicator page shows, from facts: monthly figures against the pro-rata
    target, the figure by force and district, and the forecast to the end of the period."""
    months = list(months_between(period.start, period.end))
    history_start = add_months(months[0], -12)
    facts = FactTable([indicator], first_month=history_start, last_month=months[-1], scope=scope)
    targets = targets_for([indicator])
    expected_total = expected_by(indicator, targets, period, scope, datetime.date.max)

    monthly, cumulative_months = [], []
    for month in months:
        in_month = month_period(month)
        has_data = month <= today
        cumulative_months.append(month)
        monthly.append(
            {
                "month": month,
                "figure": facts.figure(indicator, [month]) if has_data else None,
                "year_earlier": facts.figure(indicator, [add_months(month, -12)]),
                "cumulative": facts.figure(indicator, cumulative_months) if has_data else None,
                "expected": expected_by(indicator, targets, period, scope, in_month.end),
                "records_url": records_url(indicator, in_month, scope) if has_data else "",
                "year_earlier_url": records_url(indicator, in_month.year_earlier(), scope),
            }
        )

    elapsed = [m for m in months if m <= today]
    figure = facts.figure(indicator, elapsed)
    expected = expected_by(indicator, targets, period, scope, today)
    return {
        "figure": figure,
        "expected": expected,
        "expected_total": expected_total,
        "assessment": assess(indicator, figure, expected, targets, period, scope),
        "forecast": forecast_to_period_end(indicator, facts, period, months, elapsed),
        "monthly": monthly,
        "breakdown": breakdown(indicator, period=period, scope=scope, today=today, targets=targets),
        "records_url": records_url(indicator, period, scope),
        "denominator_url": records_url(indicator, period, scope, denominator=True)
        if indicator.is_ratio
        else "",
    }


def breakdown(indicator, *, period, scope, today, targets):
    """The period figure by force, and by district within each force."""
    months = list(months_between(period.start, min(period.end, today)))
    if not months:
        return []
    first, last = months[0], months[-1]
    by_force = FactTable([indicator], first_month=first, last_month=last, scope=scope, group_by=("force",))
    by_area = FactTable([indicator], first_month=first, last_month=last, scope=scope, group_by=("area",))
    areas = Area.objects.in_alliance().select_related("force")  # grouped under their force
    if scope.area is not None:
        areas = areas.filter(pk=scope.area.pk)
    elif scope.force is not None:
        areas = areas.filter(force=scope.force)
    rows = []
    for area in areas:
        if not rows or rows[-1]["force"] != area.force:
            force_scope = Scope(force=area.force)
            figure = by_force.figure(indicator, months, group=(area.force.pk,))
            expected = expected_by(indicator, targets, period, force_scope, today)
            rows.append(
                {
                    "force": area.force,
                    "figure": figure,
                    "expected": expected,
                    "assessment": assess(indicator, figure, expected, targets, period, force_scope),
                    "records_url": records_url(indicator, period, force_scope),
                    "areas": [],
                }
            )
        area_scope = Scope(force=area.force, area=area)
        figure = by_area.figure(indicator, months, group=(area.pk,))
        expected = expected_by(indicator, targets, period, area_scope, today)
        rows[-1]["areas"].append(
            {
                "area": area,
                "figure": figure,
                "expected": expected,
                "assessment": assess(indicator, figure, expected, targets, period, area_scope),
                "records_url": records_url(indicator, period, area_scope),
            }
        )
    return rows


def forecast_to_period_end(indicator, facts, period, months, elapsed):
    """The period's figure forecast to its end, or None (a ratio, or a period that is over or
    not started). The current month is still filling up: the trend is drawn through the eleven
    complete months before it (some may be last year's: they shape the trend, not the total)
    and projected over the current month and the rest of the period."""
    if indicator.is_ratio or not elapsed or len(elapsed) == len(months):
        return None
    current = elapsed[-1]
    history = [add_months(current, -back) for back in range(11, 0, -1)]
    trend = [(facts.figure(indicator, [month]), month >= period.start) for month in history]
    return rag.forecast_year_end(trend, len(months) - len(elapsed) + 1)

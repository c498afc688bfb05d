"""Dashboard figures, read from the rollup facts only (never from the records themselves), so a
dashboard costs the same few queries whatever the number of records.

Every figure covers a window that runs from the first day of its period to the last day the
figures are complete for (`figures_through`: the day before the last successful run), and links
to the record list cut to exactly that window. It is compared with the same days of the year
before (for a period longer than a year, as many whole years before as the period is long, so
the two never overlap and seasons line up).
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from core.periods import Period
from geography.models import Area, CommunitySafetyPartnership, Force

from . import rag
from .facts import (
    FactTable,
    add_months,
    month_end,
    month_period,
    month_start,
    months_between,
)
from .models import AggregationRun
from .scopes import Scope
from .selectors import latest_run
from .targets import Due, Seasons, due, targets_for

__all__ = [
    "Card",
    "FactTable",
    "Scope",
    "add_months",
    "comparison",
    "figures_through",
    "indicator_figures",
    "month_start",
    "months_between",
    "overview_cards",
    "records_url",
    "to_date",
]


def figures_through():
    """The last day the figures are complete for: the day before the latest successful run
    (records of the run's own day were still being entered). None before the first run."""
    run = latest_run(
        lambda run: run.outcome == AggregationRun.Outcome.SUCCEEDED and run.through is not None,
        AggregationRun.objects.filter(outcome=AggregationRun.Outcome.SUCCEEDED, through__isnull=False),
    )
    return run.through if run else None


def to_date(period, through):
    """The part of `period` the figures cover: its start to `through` (or its end); None when
    it has not started or there are no figures yet."""
    if through is None or through < period.start:
        return None
    end = min(period.end, through)
    label = period.label if end == period.end else f"{period.label} to {end.day} {end:%B %Y}"
    return Period(period.start, end, label)


def comparison(period, window):
    """The same days `years` years before: one year for a period of up to twelve months, and
    for a longer period as many whole years as it spans."""
    months = len(list(months_between(period.start, period.end)))
    years = max(1, math.ceil(months / 12))
    start, end = _years_before(window.start, years), _years_before(window.end, years)
    label = "a year earlier" if years == 1 else f"{years} years earlier"
    return Period(start, end, label)


def _years_before(day, years):
    """The same day `years` years before; a month's last day is that month's last day then
    (28 February 2026 ends February 2024 on the 29th), so whole months stay whole."""
    if day == month_end(day):
        return month_end(day.replace(day=1, year=day.year - years))
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def records_url(indicator, window, scope, *, denominator=False):
    """The record list filtered to exactly the records behind a figure over `window`."""
    metric = indicator.denominator_definition if denominator else indicator.metric_definition
    return metric.records_url(
        date_from=window.start,
        date_to=window.end,
        dimension=indicator.dimension or None,
        value=indicator.dimension_value or None,
        **scope.link_params(metric),
    )


def unpriced_url(indicator, window, scope):
    """The record list of exactly the items an indicator's figure leaves out for want of a price."""
    metric = indicator.metric_definition
    if window is None or not metric.unpriced_metric or indicator.is_ratio:
        return ""
    from core import metrics as metric_registry

    return metric_registry.get(metric.unpriced_metric).records_url(
        date_from=window.start,
        date_to=window.end,
        dimension=indicator.dimension or None,
        value=indicator.dimension_value or None,
        **scope.link_params(metric),
    )


def assess(indicator, figure, owed, window):
    if window is None:
        return rag.NOT_YET
    return rag.assess(
        figure,
        owed.value,
        higher_is_better=indicator.higher_is_better,
        amber_tolerance_percent=owed.tolerance,
        small_count_threshold=0 if indicator.is_ratio else indicator.small_count_threshold,
    )


# --- the overview -----------------------------------------------------------------------------


@dataclass
class Card:
    indicator: object
    window: Period | None
    figure: Decimal | None
    owed: Due
    previous: Decimal | None
    compared_with: Period | None
    assessment: rag.Assessment
    change: Decimal | None
    sparkline: list = field(default_factory=list)
    records_url: str = ""
    previous_url: str = ""
    # Items the figure leaves out for want of a price (None: its metric leaves none out).
    unpriced: int | None = None
    unpriced_url: str = ""

    @property
    def expected(self):
        return self.owed.value


def overview_cards(indicators, *, period, scope, through):
    """One card per indicator: the figure to date, what is due of the target, RAG, the same
    days earlier, and the last twelve months for a sparkline. Four queries."""
    indicators = list(indicators)
    window = to_date(period, through)
    earlier = comparison(period, window) if window else None
    last = month_start(window.end) if window else month_start(period.start)
    spark_months = [add_months(last, -offset) for offset in range(11, -1, -1)]
    first = min(spark_months[0], earlier.start if earlier else spark_months[0])
    facts = FactTable(indicators, first_month=first, last_month=last, scope=scope, through=through)
    targets, seasons = targets_for(indicators), Seasons()
    cards = []
    for indicator in indicators:
        figure = facts.figure(indicator, window)
        previous = facts.figure(indicator, earlier)
        owed = due(indicator, targets, period, scope, window.end if window else period.start, seasons)
        cards.append(
            Card(
                indicator=indicator,
                window=window,
                figure=figure,
                owed=owed,
                previous=previous,
                compared_with=earlier,
                assessment=assess(indicator, figure, owed, window),
                change=rag.change_percent(figure, previous),
                sparkline=[
                    (month, facts.figure(indicator, _month_to(month, through))) for month in spark_months
                ]
                if window
                else [],
                records_url=records_url(indicator, window, scope) if window else "",
                previous_url=records_url(indicator, earlier, scope) if earlier else "",
                unpriced=facts.unpriced(indicator, window),
                unpriced_url=unpriced_url(indicator, window, scope),
            )
        )
    return cards


def _month_to(month, through):
    """The month as far as the figures go: whole, cut at `through`, or None (not yet)."""
    if through is None or through < month:
        return None
    return month_period(month, min(month_end(month), through))


# --- the indicator page -------------------------------------------------------------------------


def indicator_figures(indicator, *, period, scope, through):
    """Everything the indicator page shows, from facts: month by month against the target due,
    the figure by force, partnership and district, each target's progress, and the forecast to
    the end of the period."""
    window = to_date(period, through)
    months = list(months_between(period.start, period.end))
    history = _history_months(through)
    first = min(add_months(months[0], -12 * 3), history[0] if history else months[0])
    facts = FactTable(
        [indicator],
        first_month=first,
        last_month=months[-1],
        scope=scope,
        through=through,
    )
    targets, seasons = targets_for([indicator]), Seasons()
    owed = due(indicator, targets, period, scope, window.end if window else period.start, seasons)
    figure = facts.figure(indicator, window)

    monthly = []
    for month in months:
        so_far = _month_to(month, through)
        earlier = comparison(period, so_far) if so_far else None
        cumulative = Period(period.start, so_far.end, "") if so_far else None
        monthly.append(
            {
                "month": month,
                "label": so_far.label if so_far else f"{month:%B %Y}",
                "part": so_far is not None and so_far.end != month_end(month),
                "figure": facts.figure(indicator, so_far),
                "year_earlier": facts.figure(indicator, earlier),
                "cumulative": facts.figure(indicator, cumulative),
                "expected": due(
                    indicator, targets, period, scope, so_far.end if so_far else month_end(month), seasons
                ).value,
                "records_url": records_url(indicator, so_far, scope) if so_far else "",
                "year_earlier_url": records_url(indicator, earlier, scope) if earlier else "",
                "unpriced": facts.unpriced(indicator, so_far),
                "unpriced_url": unpriced_url(indicator, so_far, scope),
            }
        )
    outlook = forecast_to(indicator, facts, period, window, through)
    return {
        "forecast_series": _forecast_series(indicator, facts, period, window, through, months),
        "window": window,
        "compared_with": comparison(period, window) if window else None,
        "figure": figure,
        "expected": owed.value,
        "expected_total": owed.total,
        "owed": owed,
        "assessment": assess(indicator, figure, owed, window),
        "forecast": outlook,
        "monthly": monthly,
        "breakdown": breakdown(indicator, period=period, scope=scope, through=through, targets=targets),
        "target_progress": target_progress(indicator, targets, scope, through, seasons),
        "records_url": records_url(indicator, window, scope) if window else "",
        "unpriced": facts.unpriced(indicator, window),
        "unpriced_url": unpriced_url(indicator, window, scope),
        "denominator_url": records_url(indicator, window, scope, denominator=True)
        if window and indicator.is_ratio
        else "",
    }


def _history_months(through):
    """The twelve complete months the trend is drawn through: those before the month the
    figures end in, or up to it when they end on its last day."""
    if through is None:
        return []
    last = month_start(through) if month_end(through) == through else add_months(month_start(through), -1)
    return [add_months(last, -offset) for offset in range(11, -1, -1)]


def forecast_to(indicator, facts, period, window, through):
    """The period's figure forecast to its end (rag.Forecast), or None for a share, a period
    that has ended, or one that has not started."""
    if indicator.is_ratio or window is None or window.end >= period.end:
        return None
    history = [facts.figure(indicator, month_period(month)) for month in _history_months(through)]
    remaining = []
    current = month_start(window.end)
    if month_end(current) > window.end:
        days = month_end(current).day
        remaining.append((current, Decimal(days - window.end.day) / Decimal(days)))
    for month in months_between(add_months(current, 1), period.end):
        remaining.append((month, Decimal(1)))
    return rag.forecast(facts.figure(indicator, window), history, remaining)


def _forecast_series(indicator, facts, period, window, through, months):
    """The forecast as the chart draws it: the cumulative figure projected month by month from
    the last day of figures to the end of the period, with its band ("|"-separated, empty for
    months before)."""
    if forecast_to(indicator, facts, period, window, through) is None:
        return {"values": "", "low": "", "high": ""}
    history = [facts.figure(indicator, month_period(month)) for month in _history_months(through)]
    so_far = facts.figure(indicator, window)
    current = month_start(window.end)
    remaining = [(m, Decimal(1)) for m in months_between(add_months(current, 1), period.end)]
    if month_end(current) > window.end:
        days = month_end(current).day
        remaining.insert(0, (current, Decimal(days - window.end.day) / Decimal(days)))
    points = {current: (so_far, so_far, so_far)}
    for step in range(1, len(remaining) + 1):
        ahead = rag.forecast(so_far, history, remaining[:step])
        points[remaining[step - 1][0]] = (ahead.total, ahead.low, ahead.high)
    series = [points.get(month) for month in months]
    return {
        name: "|".join("" if point is None else str(point[index]) for point in series)
        for index, name in enumerate(("values", "low", "high"))
    }


def target_progress(indicator, targets, scope, through, seasons):
    """Each target set for this scope, over its own months: the figure so far, what is due,
    RAG and the forecast to its end."""
    rows = []
    for target in sorted((t for t in targets if scope.holds(t)), key=lambda t: (t.start, t.end)):
        period = target.period
        window = to_date(period, through)
        history = _history_months(through)
        first = min(history[0] if history else period.start, add_months(period.start, -36))
        facts = FactTable(
            [indicator],
            first_month=first,
            last_month=month_start(period.end),
            scope=scope,
            through=through,
        )
        owed = due(indicator, [target], period, scope, window.end if window else period.start, seasons)
        figure = facts.figure(indicator, window)
        rows.append(
            {
                "target": target,
                "period": period,
                "window": window,
                "figure": figure,
                "owed": owed,
                "assessment": assess(indicator, figure, owed, window),
                "forecast": forecast_to(indicator, facts, period, window, through),
                "records_url": records_url(indicator, window, scope) if window else "",
            }
        )
    return rows


def breakdown(indicator, *, period, scope, through, targets):
    """The figure by force, by community safety partnership within it, and by district within
    that; forces outside the alliance (data kept for comparison) in a part of their own."""
    window = to_date(period, through)
    if window is None:
        return {"alliance": [], "context": []}
    months = (month_start(window.start), month_start(window.end))

    def table(group_by):
        # Every force's facts, context forces included: they are shown apart below.
        return FactTable(
            [indicator], first_month=months[0], last_month=months[1], scope=None,
            through=through, group_by=group_by,
        )  # fmt: skip

    by_force, by_area = table(("force",)), table(("area",))
    by_partnership = table(("area__partnership",))
    seasons = Seasons()

    def row(place_scope, figure, unpriced=None):
        owed = due(indicator, targets, period, place_scope, window.end, seasons)
        return {
            "scope": place_scope,
            "figure": figure,
            "unpriced": unpriced,
            "unpriced_url": unpriced_url(indicator, window, place_scope) if unpriced else "",
            "expected": owed.value,
            "assessment": assess(indicator, figure, owed, window),
            "records_url": records_url(indicator, window, place_scope),
        }

    forces = list(Force.objects.order_by("-in_alliance", "name"))
    partnerships = list(CommunitySafetyPartnership.objects.order_by("name"))
    areas = list(Area.objects.order_by("name"))
    if scope.kind != "alliance":
        forces = [scope.force]
        partnerships = [
            p for p in partnerships if p.force_id == scope.force.pk and scope.partnership in (None, p)
        ]
        areas = [a for a in areas if a.partnership in partnerships and scope.area in (None, a)]
    alliance, context = [], []
    for force in forces:
        force_row = row(
            Scope.of(force=force),
            by_force.figure(indicator, window, (force.pk,)),
            by_force.unpriced(indicator, window, (force.pk,)),
        )
        force_row["partnerships"] = []
        for partnership in (p for p in partnerships if p.force_id == force.pk):
            partnership_row = row(
                Scope.of(partnership=partnership),
                by_partnership.figure(indicator, window, (partnership.pk,)),
                by_partnership.unpriced(indicator, window, (partnership.pk,)),
            )
            partnership_row["areas"] = [
                row(
                    Scope.of(area=area),
                    by_area.figure(indicator, window, (area.pk,)),
                    by_area.unpriced(indicator, window, (area.pk,)),
                )
                for area in areas
                if area.partnership_id == partnership.pk
            ]
            force_row["partnerships"].append(partnership_row)
        if force.in_alliance:
            alliance.append(force_row)
        elif force_row["figure"]:
            context.append(force_row)
    return {"alliance": alliance, "context": context}

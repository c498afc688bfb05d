import csv
import datetime

from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.exports import neutralise_formula
from core.periods import Period

from . import figures, rag
from .forms import DashboardFilterForm
from .models import AggregationRun, Indicator
from .selectors import current_strategy, freshness, indicators_of
from .templatetags.dashboard import format_indicator_value

VIEW_DASHBOARDS = "strategy.view_indicator"
OVERVIEW_CACHE_SECONDS = 60 * 60


def _filters(request, strategy):
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, strategy=strategy, today=today)
    return form, form.selected_period(), form.selected_scope(), today


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def overview(request):
    today = timezone.localdate()
    strategy = current_strategy(today)
    form, period, scope, today = _filters(request, strategy)
    goals = {}
    fresh = freshness()
    if strategy:
        # Facts change only when a rollup succeeds, so the latest run keys the cache: every
        # cached overview is stale the moment a new run lands, in every process.
        run = fresh["as_of"]
        force, area = (scope.force.pk if scope.force else 0), (scope.area.pk if scope.area else 0)
        run_id = run.pk if run else 0
        key = f"overview:{run_id}:{strategy.pk}:{period.start}:{period.end}:{force}:{area}:{today}"
        cards = cache.get_or_set(
            key,
            lambda: figures.overview_cards(indicators_of(strategy), period=period, scope=scope, today=today),
            OVERVIEW_CACHE_SECONDS,
        )
        for card in cards:
            goals.setdefault(card.indicator.goal, []).append(card)
    return render(
        request,
        "strategy/overview.html",
        {
            "strategy": strategy,
            "form": form,
            "period": period,
            "scope": scope,
            "to_date": period.end > today,
            "goals": goals,
            "freshness": fresh,
            "query": request.GET.urlencode(),
        },
    )


def month_period(month):
    return Period(month, figures.add_months(month, 1) - datetime.timedelta(days=1), f"{month:%B %Y}")


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def indicator_detail(request, slug):
    indicator = get_object_or_404(Indicator.objects.select_related("goal__strategy"), slug=slug)
    form, period, scope, today = _filters(request, indicator.goal.strategy)
    detail = indicator_figures(indicator, period=period, scope=scope, today=today)
    if request.GET.get("format") == "csv":
        return indicator_csv(indicator, period, scope, detail)
    return render(
        request,
        "strategy/indicator_detail.html",
        {
            "indicator": indicator,
            "form": form,
            "period": period,
            "scope": scope,
            "freshness": freshness(),
            "query": request.GET.urlencode(),
            **detail,
        },
    )


def indicator_figures(indicator, *, period, scope, today):
    """Everything the indicator page shows, from facts: monthly figures against the pro-rata
    target, the figure by force and district, and the forecast to the end of the period."""
    months = list(figures.months_between(period.start, period.end))
    history_start = figures.add_months(months[0], -12)
    facts = figures.FactTable([indicator], first_month=history_start, last_month=months[-1], scope=scope)
    targets = figures.targets_for([indicator])
    expected_total = figures.expected_by(indicator, targets, period, scope, datetime.date.max)

    monthly, cumulative_months = [], []
    for month in months:
        in_month = month_period(month)
        has_data = month <= today
        cumulative_months.append(month)
        monthly.append(
            {
                "month": month,
                "figure": facts.figure(indicator, [month]) if has_data else None,
                "year_earlier": facts.figure(indicator, [figures.add_months(month, -12)]),
                "cumulative": facts.figure(indicator, cumulative_months) if has_data else None,
                "expected": figures.expected_by(indicator, targets, period, scope, in_month.end),
                "records_url": figures.records_url(indicator, in_month, scope) if has_data else "",
                "year_earlier_url": figures.records_url(indicator, in_month.year_earlier(), scope),
            }
        )

    elapsed = [m for m in months if m <= today]
    figure = facts.figure(indicator, elapsed)
    expected = figures.expected_by(indicator, targets, period, scope, today)
    forecast = None
    if not indicator.is_ratio and elapsed and len(elapsed) < len(months):
        # The current month is still filling up: the trend is drawn through the eleven complete
        # months before it (some may be last year's: they shape the trend, not the total), and
        # projected over the current month and the rest of the period.
        current = elapsed[-1]
        history = [figures.add_months(current, -back) for back in range(11, 0, -1)]
        trend = [(facts.figure(indicator, [month]), month >= period.start) for month in history]
        forecast = rag.forecast_year_end(trend, len(months) - len(elapsed) + 1)
    return {
        "figure": figure,
        "expected": expected,
        "expected_total": expected_total,
        "assessment": figures.assess(indicator, figure, expected, targets, period, scope),
        "forecast": forecast,
        "monthly": monthly,
        "breakdown": breakdown(indicator, period=period, scope=scope, today=today, targets=targets),
        "records_url": figures.records_url(indicator, period, scope),
        "denominator_url": figures.records_url(indicator, period, scope, denominator=True)
        if indicator.is_ratio
        else "",
    }


def breakdown(indicator, *, period, scope, today, targets):
    """The period figure by force, and by district within each force."""
    from geography.models import Area

    months = list(figures.months_between(period.start, min(period.end, today)))
    if not months:
        return []
    first, last = months[0], months[-1]
    by_force = figures.FactTable(
        [indicator], first_month=first, last_month=last, scope=scope, group_by=("force",)
    )
    by_area = figures.FactTable(
        [indicator], first_month=first, last_month=last, scope=scope, group_by=("area",)
    )
    areas = Area.objects.in_alliance().select_related("force")  # grouped under their force
    if scope.area is not None:
        areas = areas.filter(pk=scope.area.pk)
    elif scope.force is not None:
        areas = areas.filter(force=scope.force)
    rows = []
    for area in areas:
        if not rows or rows[-1]["force"] != area.force:
            force_scope = figures.Scope(force=area.force)
            figure = by_force.figure(indicator, months, group=(area.force.pk,))
            expected = figures.expected_by(indicator, targets, period, force_scope, today)
            rows.append(
                {
                    "force": area.force,
                    "figure": figure,
                    "expected": expected,
                    "assessment": figures.assess(indicator, figure, expected, targets, period, force_scope),
                    "records_url": figures.records_url(indicator, period, force_scope),
                    "areas": [],
                }
            )
        area_scope = figures.Scope(force=area.force, area=area)
        figure = by_area.figure(indicator, months, group=(area.pk,))
        expected = figures.expected_by(indicator, targets, period, area_scope, today)
        rows[-1]["areas"].append(
            {
                "area": area,
                "figure": figure,
                "expected": expected,
                "assessment": figures.assess(indicator, figure, expected, targets, period, area_scope),
                "records_url": figures.records_url(indicator, period, area_scope),
            }
        )
    return rows


def indicator_csv(indicator, period, scope, detail):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{indicator.slug}-{period.start:%Y-%m}-to-{period.end:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([f"{indicator.title} — {scope.label} — {period.label}"])
    writer.writerow(["Month", "Figure", "Same month a year earlier", "Cumulative", "Target due by month end"])
    for row in detail["monthly"]:
        writer.writerow(
            [
                f"{row['month']:%Y-%m}",
                *(
                    neutralise_formula(format_indicator_value(row[key], indicator))
                    if row[key] is not None
                    else ""
                    for key in ("figure", "year_earlier", "cumulative", "expected")
                ),
            ]
        )
    writer.writerow([])
    writer.writerow(["Force", "District", "Figure", "Target due", "Status"])
    for force_row in detail["breakdown"]:
        for row in [force_row, *force_row["areas"]]:
            writer.writerow(
                [
                    force_row["force"],
                    row.get("area", "All districts"),
                    format_indicator_value(row["figure"], indicator),
                    format_indicator_value(row["expected"], indicator) if row["expected"] is not None else "",
                    row["assessment"].label,
                ]
            )
    return response


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def aggregation_runs(request):
    runs = AggregationRun.objects.all()[:50]
    return render(request, "strategy/runs.html", {"runs": runs, "freshness": freshness()})

import csv

from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.exports import neutralise_formula

from . import figures
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


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def indicator_detail(request, slug):
    indicator = get_object_or_404(Indicator.objects.select_related("goal__strategy"), slug=slug)
    form, period, scope, today = _filters(request, indicator.goal.strategy)
    detail = figures.indicator_figures(indicator, period=period, scope=scope, today=today)
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

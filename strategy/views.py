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
from .selectors import current_strategy, freshness, indicators_of, targets_version
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
    through = figures.figures_through()
    if strategy:
        # Facts change only when a rollup succeeds, so the latest run keys the cache: every
        # cached overview is stale the moment a new run lands, in every process. Targets are
        # in the key too, so an edited target shows at once.
        run = fresh["as_of"]
        key = ":".join(
            str(part)
            for part in (
                "overview",
                run.pk if run else 0,
                targets_version(),
                strategy.pk,
                period.start,
                period.end,
                scope.kind,
                scope.narrowest.pk if scope.narrowest else 0,
                through,
            )
        )
        cards = cache.get_or_set(
            key,
            lambda: figures.overview_cards(
                indicators_of(strategy), period=period, scope=scope, through=through
            ),
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
            "window": figures.to_date(period, through),
            "scope": scope,
            "goals": goals,
            "freshness": fresh,
            "through": through,
            "query": request.GET.urlencode(),
        },
    )


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def indicator_detail(request, slug):
    indicator = get_object_or_404(Indicator.objects.select_related("goal__strategy"), slug=slug)
    form, period, scope, today = _filters(request, indicator.goal.strategy)
    through = figures.figures_through()
    detail = figures.indicator_figures(indicator, period=period, scope=scope, through=through)
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
            "through": through,
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

    def shown(value):
        return "" if value is None else neutralise_formula(format_indicator_value(value, indicator))

    writer.writerow([f"{indicator.title} — {scope.label} — {period.label}"])
    writer.writerow(["Month", "Figure", "The same days earlier", "Cumulative", "Target due by then"])
    for row in detail["monthly"]:
        writer.writerow(
            [row["label"], *(shown(row[key]) for key in ("figure", "year_earlier", "cumulative", "expected"))]
        )
    writer.writerow([])
    writer.writerow(["Force", "Community safety partnership", "District", "Figure", "Target due", "Status"])

    def place_row(force, partnership, area, row):
        writer.writerow(
            [force, partnership, area, shown(row["figure"]), shown(row["expected"]), row["assessment"].label]
        )

    for part in ("alliance", "context"):
        for force_row in detail["breakdown"][part]:
            force = force_row["scope"].force
            place_row(force, "All", "All", force_row)
            for partnership_row in force_row["partnerships"]:
                place_row(force, partnership_row["scope"].partnership, "All", partnership_row)
                for row in partnership_row["areas"]:
                    place_row(force, partnership_row["scope"].partnership, row["scope"].area, row)
    return response


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def aggregation_runs(request):
    runs = AggregationRun.objects.all()[:50]
    return render(request, "strategy/runs.html", {"runs": runs, "freshness": freshness()})

import csv

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core import comparisons as national_comparisons
from core import generations
from core.exports import neutralise_formula
from core.jobs import job_waiting_kept

from . import figures, figures_html, selectors, signoff
from .forms import DashboardFilterForm
from .models import AggregationRun, Goal, Indicator, Strategy
from .rebuilds import NIGHTLY
from .selectors import current_strategy, freshness
from .templatetags.dashboard import format_indicator_value

VIEW_DASHBOARDS = "strategy.view_indicator"


def _filters(request, strategy):
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, strategy=strategy, today=today)
    return form, form.selected_period(), form.selected_scope(), today


def _kept_reads_prefetched(*page_reads):
    """The rows every dashboard page reads from the cache — the latest runs, the rebuild asked
    for, and the page's own (`page_reads`) — fetched in one round trip."""
    generations.prefetch_kept(selectors.RECENT_RUNS_KEPT, job_waiting_kept(NIGHTLY), *page_reads)


def _indicator_kept(slug):
    return ([Indicator, Goal, Strategy], "indicator", slug)


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def overview(request):
    today = timezone.localdate()
    _kept_reads_prefetched(selectors.current_strategy_kept(today))
    strategy = current_strategy(today)
    form, period, scope, today = _filters(request, strategy)
    through = figures.figures_through()
    query = request.GET.urlencode()
    # A signed-off period: its published figures beside today's (its sign-offs key the cache).
    published = signoff.published_for(period, scope) if strategy else None
    cards_html = ""
    if strategy:
        cards_html = figures_html.overview_cards(
            strategy, period=period, scope=scope, through=through, query=query, published=published
        )
    return render(
        request,
        "strategy/overview.html",
        {
            "strategy": strategy,
            "form": form,
            "period": period,
            "window": figures.to_date(period, through),
            "scope": scope,
            "cards_html": cards_html,
            "freshness": freshness(),
            "through": through,
            "query": query,
            "published": published,
        },
    )


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def indicator_detail(request, slug):
    _kept_reads_prefetched(_indicator_kept(slug))
    models, *key_parts = _indicator_kept(slug)
    indicator = generations.kept_until_changed(
        models,
        lambda: Indicator.objects.select_related("goal__strategy").filter(slug=slug).first(),
        *key_parts,
    )
    if indicator is None:
        raise Http404("No such indicator")
    form, period, scope, today = _filters(request, indicator.goal.strategy)
    through = figures.figures_through()
    if request.GET.get("format") == "csv":
        detail = figures.indicator_figures(indicator, period=period, scope=scope, through=through)
        return indicator_csv(indicator, period, scope, detail)
    query = request.GET.urlencode()
    page = {"indicator": indicator, "period": period, "scope": scope, "query": query}

    published = signoff.published_for(period, scope)
    indicator_html = figures_html.indicator_figures(
        indicator, period=period, scope=scope, through=through, query=query, published=published
    )
    return render(
        request,
        "strategy/indicator_detail.html",
        {
            **page,
            "form": form,
            "through": through,
            "window": figures.to_date(period, through),
            "freshness": freshness(),
            "comparisons": national_comparisons.for_indicator(indicator),
            "figures_html": indicator_html,
            "published": published,
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
    # A sum that leaves out unpriced items says how many, month by month: the figure is a minimum.
    unpriced = detail["unpriced"] is not None
    writer.writerow(
        ["Month", "Figure", "The same days earlier", "Cumulative", "Target due by then"]
        + (["Unpriced items left out (the figure is a minimum)"] if unpriced else [])
    )
    for row in detail["monthly"]:
        writer.writerow(
            [row["label"], *(shown(row[key]) for key in ("figure", "year_earlier", "cumulative", "expected"))]
            + ([row["unpriced"] if row["unpriced"] is not None else ""] if unpriced else [])
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

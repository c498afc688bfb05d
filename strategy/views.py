import csv

from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import comparisons as national_comparisons
from core.exports import neutralise_formula

from . import figures, national, signoff
from .forms import DashboardFilterForm
from .models import AggregationRun, Indicator
from .selectors import current_strategy, freshness, indicators_of, latest_success, targets_version
from .templatetags.dashboard import format_indicator_value

VIEW_DASHBOARDS = "strategy.view_indicator"
FIGURES_CACHE_SECONDS = 60 * 60


def rendered_figures(template_name, context, *key_parts):
    """The figures part of a dashboard page, rendered once and then served from the cache.

    Facts change only when a rollup succeeds, so the latest successful run keys it: every cached
    page is stale the moment a new run lands. The targets' and indicators' generation is in the
    key too (an edited target or indicator shows at once), as is everything the figures are
    asked for with — the period, the scope, the day they run to and the query string their
    links carry. What depends on who asks (the rebuild form, the menu) stays outside it.
    `context` is a function: it runs only when the page is not in the cache."""
    run = latest_success()
    key = ":".join(str(part) for part in (template_name, run.pk if run else 0, targets_version(), *key_parts))
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, context())
        cache.set(key, html, FIGURES_CACHE_SECONDS)
    return mark_safe(html)


def figures_asked_for(period, scope, through, query, published):
    """Everything a dashboard's figures are asked for with, as parts of their cache key: the
    period, the scope, the day they run to, the query string their links carry and the sign-offs
    of the published figures shown beside them."""
    narrowest = scope.narrowest.pk if scope.narrowest else 0
    return (
        period.start,
        period.end,
        scope.kind,
        narrowest,
        through,
        query,
        published.cache_key if published else "",
    )


def _filters(request, strategy):
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET or None, strategy=strategy, today=today)
    return form, form.selected_period(), form.selected_scope(), today


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def overview(request):
    today = timezone.localdate()
    strategy = current_strategy(today)
    form, period, scope, today = _filters(request, strategy)
    through = figures.figures_through()
    query = request.GET.urlencode()
    # A signed-off period: its published figures beside today's (its sign-offs key the cache).
    published = signoff.published_for(period, scope) if strategy else None

    def cards_context():
        goals = {}
        cards = figures.overview_cards(indicators_of(strategy), period=period, scope=scope, through=through)
        for card in cards:
            goals.setdefault(card.indicator.goal, []).append(card)
        published_figures = published.figures(indicators_of(strategy)) if published else {}
        return {
            "goals": goals,
            "period": period,
            "query": query,
            "published": published,
            "published_figures": published_figures,
        }

    cards_html = ""
    if strategy:
        cards_html = rendered_figures(
            "strategy/_overview_cards.html",
            cards_context,
            strategy.pk,
            *figures_asked_for(period, scope, through, query, published),
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
    indicator = get_object_or_404(Indicator.objects.select_related("goal__strategy"), slug=slug)
    form, period, scope, today = _filters(request, indicator.goal.strategy)
    through = figures.figures_through()
    if request.GET.get("format") == "csv":
        detail = figures.indicator_figures(indicator, period=period, scope=scope, through=through)
        return indicator_csv(indicator, period, scope, detail)
    query = request.GET.urlencode()
    page = {"indicator": indicator, "period": period, "scope": scope, "query": query}

    rates = national.shows_rates(indicator)
    published = signoff.published_for(period, scope)

    def figures_context():
        detail = figures.indicator_figures(indicator, period=period, scope=scope, through=through)
        if rates:
            for part in ("alliance", "context"):
                national.add_rates(detail["breakdown"][part])
            population = national.scope_population(scope)
            detail["population"] = population
            detail["rate"] = national.per_thousand(detail["figure"], population)
        published_figure = published.figures([indicator])[indicator.pk] if published else None
        return {
            **page,
            "rates": rates,
            "published": published,
            "published_figure": published_figure,
            **detail,
        }

    figures_html = rendered_figures(
        "strategy/_indicator_figures.html",
        figures_context,
        indicator.pk,
        *figures_asked_for(period, scope, through, query, published),
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
            "figures_html": figures_html,
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

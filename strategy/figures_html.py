"""The figures part of the dashboard pages as HTML: rendered once for each way it is asked for
and then served from the cache, until the next successful rollup or an edited target.

The nightly run renders the pages as they open (the current strategy's overview and each of its
indicators, for the default period and the whole alliance) as soon as it has built the facts, so
the first manager of the morning does not wait for them to be computed."""

import logging

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import figures, national, signoff
from .forms import DashboardFilterForm
from .selectors import current_strategy, indicators_of, latest_success, targets_version

logger = logging.getLogger(__name__)

# A new run changes the key, so an entry is never served stale: this only bounds how long a
# figure nobody asks for again is kept. A day and an hour: what the nightly run renders lasts
# until the next night's run replaces it.
FIGURES_CACHE_SECONDS = 25 * 60 * 60


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


def overview_cards(strategy, *, period, scope, through, query, published):
    """The overview's cards, goal by goal, with the published figures beside them."""

    def context():
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

    return rendered_figures(
        "strategy/_overview_cards.html",
        context,
        strategy.pk,
        *figures_asked_for(period, scope, through, query, published),
    )


def indicator_figures(indicator, *, period, scope, through, query, published):
    """An indicator page's figure, months, breakdown and forecast (and rates per resident)."""
    rates = national.shows_rates(indicator)

    def context():
        detail = figures.indicator_figures(indicator, period=period, scope=scope, through=through)
        if rates:
            for part in ("alliance", "context"):
                national.add_rates(detail["breakdown"][part])
            population = national.scope_population(scope)
            detail["population"] = population
            detail["rate"] = national.per_thousand(detail["figure"], population)
        published_figure = published.figures([indicator])[indicator.pk] if published else None
        return {
            "indicator": indicator,
            "period": period,
            "scope": scope,
            "query": query,
            "rates": rates,
            "published": published,
            "published_figure": published_figure,
            **detail,
        }

    return rendered_figures(
        "strategy/_indicator_figures.html",
        context,
        indicator.pk,
        *figures_asked_for(period, scope, through, query, published),
    )


def default_pages_render(today=None):
    """Render the figures of the pages as they open — the overview and each indicator of the
    current strategy, default period, whole alliance, no query — into the cache. Returns how many
    were rendered. Called after a successful run; a failure here is logged, never the run's."""
    today = today or timezone.localdate()
    strategy = current_strategy(today)
    if strategy is None:
        return 0
    form = DashboardFilterForm(None, strategy=strategy, today=today)
    period, scope = form.selected_period(), form.selected_scope()
    asked = {
        "period": period,
        "scope": scope,
        "through": figures.figures_through(),
        "query": "",
        "published": signoff.published_for(period, scope),
    }
    overview_cards(strategy, **asked)
    indicators = list(indicators_of(strategy))
    for indicator in indicators:
        indicator_figures(indicator, **asked)
    return 1 + len(indicators)

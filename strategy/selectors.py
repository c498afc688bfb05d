from django.core.cache import cache

from .models import AggregationRun, Indicator, Strategy


def current_strategy(today):
    """The strategy in force today, or else the latest one."""
    return (
        Strategy.objects.filter(start__lte=today, end__gte=today).order_by("-start").first()
        or Strategy.objects.order_by("-start").first()
    )


def indicators_of(strategy):
    return Indicator.objects.filter(goal__strategy=strategy).select_related("goal")  # card headings


def freshness():
    """The latest successful run (what the figures are as of) and the latest run of any outcome
    (so a failed night is said, not hidden)."""
    latest_success = AggregationRun.objects.filter(outcome=AggregationRun.Outcome.SUCCEEDED).first()
    latest = AggregationRun.objects.first()
    return {"as_of": latest_success, "latest": latest}


TARGETS_GENERATION = "strategy.targets-generation"


def targets_version():
    """A number that changes whenever a target, indicator, goal or strategy is saved or removed
    (strategy.signals): part of the cached dashboard pages' keys, so an edit shows at once in
    every process that shares the cache (CACHE_URL)."""
    return cache.get(TARGETS_GENERATION, 0)

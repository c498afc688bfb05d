from core import generations
from core.requestmemo import once_per_request

from .models import AggregationRun, Indicator, Strategy

# The runs a page reads in one query: the latest, the latest successful and a running one are
# among them unless this many runs in a row failed (then each is looked for on its own).
RECENT_RUNS = 10


def current_strategy_kept(today):
    """How current_strategy keeps its answer: (models, *key parts), for generations.prefetch_kept."""
    return ([Strategy], "current-strategy", today)


def current_strategy(today):
    """The strategy in force today, or else the latest one (kept until a strategy is saved)."""

    def read():
        return (
            Strategy.objects.filter(start__lte=today, end__gte=today).order_by("-start").first()
            or Strategy.objects.order_by("-start").first()
        )

    models, *key_parts = current_strategy_kept(today)
    return generations.kept_until_changed(models, read, *key_parts)


def indicators_of(strategy):
    return Indicator.objects.filter(goal__strategy=strategy).select_related("goal")  # card headings


RECENT_RUNS_KEPT = ([AggregationRun], "recent-runs")  # for generations.prefetch_kept


@once_per_request
def recent_runs():
    """The latest runs, newest first, read once per request: the figures' date, the freshness
    banner, the rebuild button and the figures' cache key each ask them."""
    models, *key_parts = RECENT_RUNS_KEPT
    return generations.kept_until_changed(
        models, lambda: list(AggregationRun.objects.all()[:RECENT_RUNS]), *key_parts
    )


def latest_run(matches, queryset):
    """The newest run for which `matches(run)` holds; `queryset` finds it when it is older than
    the recent runs."""
    runs = recent_runs()
    found = next((run for run in runs if matches(run)), None)
    if found is None and len(runs) == RECENT_RUNS:
        return queryset.first()
    return found


def latest_success():
    return latest_run(
        lambda run: run.outcome == AggregationRun.Outcome.SUCCEEDED,
        AggregationRun.objects.filter(outcome=AggregationRun.Outcome.SUCCEEDED),
    )


def freshness():
    """The latest successful run (what the figures are as of) and the latest run of any outcome
    (so a failed night is said, not hidden)."""
    runs = recent_runs()
    return {"as_of": latest_success(), "latest": runs[0] if runs else None}


# One generation for the four tables rather than their rows' own (core.generations keeps those
# too): a transaction saving several of them moves it on at its first save, so its commit-time
# move comes before the pages' rendering queued then (strategy.signals), never after it.
TARGETS_GENERATION = "strategy.targets-generation"


def targets_version():
    """A number that changes whenever a target, indicator, goal or strategy is saved or removed
    (strategy.signals): part of the cached dashboard pages' keys, so an edit shows at once in
    every process that shares the cache (CACHE_URL)."""
    return generations.stamp(TARGETS_GENERATION)

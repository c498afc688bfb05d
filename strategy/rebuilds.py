"""When the figures are built: the last build and the next nightly run."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from core import freshness

from .models import AggregationRun

NIGHTLY = "nightly-rollup"  # its entry in the beat schedule (settings)


def next_nightly_run(now=None):
    """When the nightly run next starts, from its crontab in the beat schedule."""
    entry = settings.CELERY_BEAT_SCHEDULE.get(NIGHTLY)
    if entry is None:
        return None
    return freshness.next_run(
        entry["schedule"], after=now or timezone.now(), zone=ZoneInfo(settings.CELERY_TIMEZONE)
    )


def figures_clock():
    """The figures are as of the start of the latest successful run: a run reads the changed
    months marked before it started, so anything changed since may not be in them."""
    built_from = (
        AggregationRun.objects.filter(outcome=AggregationRun.Outcome.SUCCEEDED)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return freshness.FiguresClock(built_from=built_from, next_build=next_nightly_run())

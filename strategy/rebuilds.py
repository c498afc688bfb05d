"""When the figures are built: the last build, the next nightly run, and a rebuild now.

Between nightly runs a manager may ask for the figures to be rebuilt: the same task as the
nightly run (the months changed since), queued after commit. While a run holds the lock or a
rebuild waits for a worker, asking again queues nothing more.
"""

import datetime
import enum
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import freshness, jobs

from .models import AggregationRun
from .rollups import stale_after
from .selectors import latest_run, latest_success

logger = logging.getLogger(__name__)

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
    run = latest_success()
    return freshness.FiguresClock(built_from=run.started_at if run else None, next_build=next_nightly_run())


def waiting_lapses_after():
    """A rebuild not started within the nightly run's `expires` is dropped by the workers, and
    the request lapses with it."""
    options = settings.CELERY_BEAT_SCHEDULE.get(NIGHTLY, {}).get("options", {})
    return datetime.timedelta(seconds=options.get("expires", 60 * 60))


class Rebuild(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"  # a run holds the lock
    WAITING = "waiting"  # a rebuild asked for earlier has not started yet
    UNAVAILABLE = "unavailable"  # the queue could not take it


@dataclass(frozen=True)
class RebuildState:
    running: AggregationRun | None
    waiting: object | None  # core.models.JobRequest

    @property
    def busy(self):
        return self.running is not None or self.waiting is not None


def running_run():
    """The run holding the lock, unless its worker was lost (the next run marks it abandoned)."""
    since = timezone.now() - stale_after()
    return latest_run(
        lambda run: run.outcome == AggregationRun.Outcome.RUNNING and run.started_at > since,
        AggregationRun.objects.filter(outcome=AggregationRun.Outcome.RUNNING, started_at__gt=since),
    )


def rebuild_state():
    running = running_run()
    waiting = None if running else jobs.job_waiting(NIGHTLY, lapses_after=waiting_lapses_after())
    return RebuildState(running=running, waiting=waiting)


def rebuild_request(*, user):
    """Queue the nightly task now (changed months only), once: refused while a run is running
    or a rebuild is waiting to start."""
    if running_run() is not None:
        return Rebuild.RUNNING
    sent = []
    with transaction.atomic():
        if not jobs.job_request(NIGHTLY, user=user, lapses_after=waiting_lapses_after()):
            return Rebuild.WAITING
        transaction.on_commit(lambda: sent.append(_queue_rebuild()))
    # `sent` stays empty where the commit is an enclosing transaction's, still to come.
    return Rebuild.UNAVAILABLE if sent == [False] else Rebuild.QUEUED


def _queue_rebuild():
    from kombu.exceptions import OperationalError as BrokerUnavailable

    from .tasks import nightly_rollup

    try:
        nightly_rollup.apply_async(kwargs={"full": False}, expires=waiting_lapses_after().total_seconds())
    except (BrokerUnavailable, OSError):
        logger.warning("Could not queue a rebuild of the figures", exc_info=True)
        jobs.job_taken(NIGHTLY)  # nothing waits: the rebuild may be asked for again
        return False
    return True


def rebuild_taken():
    """A run of the nightly task has begun: it does whatever was asked for before it."""
    jobs.job_taken(NIGHTLY)

import logging
import smtplib

from celery import shared_task
from django.db import OperationalError

from .figures_html import default_pages_render
from .models import AggregationRun
from .rebuilds import rebuild_taken
from .rollups import RollupAlreadyRunning, rollup_run

logger = logging.getLogger(__name__)


@shared_task(
    name="strategy.tasks.nightly_rollup",
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=3,
)
def nightly_rollup(full=False):
    """Roll the changed months up into facts. Safe to repeat: a second run finds nothing
    changed; safe to overlap: a run that finds another running stops at once."""
    rebuild_taken()
    try:
        run = rollup_run(full=full)
    except RollupAlreadyRunning as busy:
        logger.info("%s", busy)
        return {"outcome": "skipped"}
    rendered = 0
    if run.outcome == AggregationRun.Outcome.SUCCEEDED:
        try:
            rendered = default_pages_render()
        except Exception:
            # The figures are built; the pages are then rendered when first asked for.
            logger.exception("Rendering the dashboard pages after rollup %s failed", run.pk)
    return {"run": run.pk, "outcome": run.outcome, "rows": run.rows, "pages_rendered": rendered}


@shared_task(name="strategy.tasks.dashboard_pages_render", autoretry_for=(OperationalError,), max_retries=3)
def dashboard_pages_render():
    """Render the dashboard pages as they open into the cache, after an edited target, indicator,
    goal or strategy (strategy.signals). Nothing is lost if it fails: a page not rendered is
    rendered when first asked for."""
    try:
        return {"pages_rendered": default_pages_render()}
    except Exception:
        # Run in the saving request where tasks run in-process: the edit is saved either way.
        logger.exception("Rendering the dashboard pages after an edit failed")
        return {"pages_rendered": 0}


@shared_task(
    name="strategy.tasks.send_performance_packs",
    autoretry_for=(OperationalError, ConnectionError, smtplib.SMTPException),
    retry_backoff=True,
    max_retries=3,
)
def send_performance_packs():
    """Email the performance packs due (monthly, and quarterly once signed off). Safe to run
    twice: each edition goes to each subscriber once."""
    from .pack_mail import packs_send_due

    return {"sent": packs_send_due()}

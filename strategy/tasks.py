import logging
import smtplib

from celery import shared_task
from django.db import OperationalError

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
    return {"run": run.pk, "outcome": run.outcome, "rows": run.rows}


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

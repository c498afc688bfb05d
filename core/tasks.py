"""Thin tasks: each takes an id, calls one service, and is safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from . import downloads


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_download(download_id):
    download = downloads.download_build(download_id)
    return download.status if download else None


@shared_task
def tidy_downloads():
    """Hourly: remove downloads past their keeping time; queue again any left waiting."""
    return downloads.downloads_tidy()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def clear_expired_sessions():
    """Nightly: delete sessions past their age. A session can hold what a user typed and never
    sent (a referral's initials and date of birth); expired, it must not stay in the table."""
    from django.core.management import call_command

    call_command("clearsessions")

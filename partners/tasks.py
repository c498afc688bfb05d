"""Thin tasks: they take ids, call one service and are safe to run twice."""

import datetime
import smtplib

from celery import shared_task
from django.db import OperationalError

from . import retention, services

TRANSIENT_ERRORS = (OperationalError, smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_referral_acknowledgement(referral_id):
    return services.referral_acknowledge(referral_id=referral_id)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def send_pending_acknowledgements(older_than_minutes=10):
    """Periodic: the acknowledgements that could not be queued when the broker was down."""
    return services.referral_acknowledge_pending(older_than=datetime.timedelta(minutes=older_than_minutes))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def clear_expired_identifiers():
    return retention.identifiers_clear_expired().cleared

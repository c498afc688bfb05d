"""Thin tasks: each takes an id and calls one service, which is safe to run twice."""

from celery import shared_task

from . import repricing


@shared_task(name="seizures.tasks.reprice_items")
def reprice_items(job_id):
    """Re-price the items a street price row affects (a job taken already is left alone)."""
    repricing.reprice_job_run(job_id)

"""Thin tasks: each takes a batch id and calls one service, which is safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def preview_import(batch_id):
    services.batch_preview(batch_id)


@shared_task(bind=True)
def run_import(self, batch_id):
    def report(done, total):
        # Progress goes to the result backend, not the database: the batch's own row is
        # written only when the import's single transaction commits.
        if not self.request.is_eager:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    batch = services.batch_import(batch_id, progress=report)
    return batch.status


@shared_task
def tidy_imports():
    """Every quarter of an hour: resend lost tasks, close dead and abandoned batches."""
    return services.batches_tidy()

"""Batches nobody finished: a lost task is sent again, a dead worker's batch is closed with
nothing written, and a checked file never confirmed is removed after a week."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from imports import registry, services
from imports.models import ImportBatch
from imports.tasks import tidy_imports
from seizures.models import Seizure
from tests.factories.imports import csv_bytes

HEADER = ["Reference", "Date seized", "Force", "District", "Place", "Drug", "Quantity", "Unit"]
ROWS = [
    ["WK-1", "2025-06-01", "Warwickshire", "Rugby", "House", "cocaine", "3", "g"],
    ["WK-2", "2025-06-02", "Warwickshire", "Rugby", "Car", "heroin", "1", "g"],
]
Status = ImportBatch.Status


def uploaded_batch(user):
    return services.batch_upload(
        user=user,
        importer=registry.get("seizures"),
        file=io.BytesIO(csv_bytes(HEADER, ROWS)),
        file_name="seizures.csv",
        schedule=False,  # as if the broker had been down: no task was sent
    )


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def test_an_upload_whose_check_was_never_sent_is_checked_by_the_sweep(
    analyst, django_capture_on_commit_callbacks
):
    batch = uploaded_batch(analyst)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=ago(minutes=20))

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.batches_tidy()

    batch.refresh_from_db()
    assert counts["resent"] == 1
    assert (batch.status, batch.created) == (Status.PREVIEWED, 2)


def test_a_recent_upload_is_left_to_its_own_task(analyst, django_capture_on_commit_callbacks):
    batch = uploaded_batch(analyst)

    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert services.batches_tidy() == {"resent": 0, "died": 0, "expired": 0}

    assert sent == []
    batch.refresh_from_db()
    assert batch.status == Status.UPLOADED


def test_a_confirmed_import_whose_task_was_lost_is_imported_by_the_sweep(
    analyst, django_capture_on_commit_callbacks
):
    batch = services.batch_preview(uploaded_batch(analyst).pk)
    assert services.batch_confirm(batch=batch, schedule=False)  # the task never reached a worker
    ImportBatch.objects.filter(pk=batch.pk).update(queued_at=ago(minutes=16))

    with django_capture_on_commit_callbacks(execute=True):
        services.batches_tidy()

    batch.refresh_from_db()
    assert (batch.status, batch.created) == (Status.DONE, 2)
    assert Seizure.objects.count() == 2


def test_an_import_whose_worker_died_is_closed_as_failed_and_says_so(
    analyst, analyst_client, django_capture_on_commit_callbacks
):
    batch = services.batch_preview(uploaded_batch(analyst).pk)
    services.batch_confirm(batch=batch, schedule=False)
    limit = settings.CELERY_TASK_TIME_LIMIT
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.IMPORTING, started_at=ago(seconds=limit + 60)
    )

    assert tidy_imports.delay().get() == {"resent": 0, "died": 1, "expired": 0}

    batch.refresh_from_db()
    assert batch.status == Status.FAILED and not batch.upload
    page = analyst_client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "The import stopped without finishing (its worker ended); nothing was written." in page


def test_an_import_still_within_the_time_limit_is_left_running(analyst):
    batch = services.batch_preview(uploaded_batch(analyst).pk)
    services.batch_confirm(batch=batch, schedule=False)
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.IMPORTING, started_at=ago(minutes=50))

    services.batches_tidy()

    batch.refresh_from_db()
    assert batch.status == Status.IMPORTING and batch.upload


def test_a_worker_finishing_after_its_batch_was_closed_writes_nothing(analyst, monkeypatch):
    batch = services.batch_preview(uploaded_batch(analyst).pk)
    services.batch_confirm(batch=batch, schedule=False)
    original_run = services.engine.run

    def run_then_be_given_up_on(*args, **kwargs):
        result = original_run(*args, **kwargs)
        ImportBatch.objects.filter(pk=batch.pk).update(status=Status.FAILED, error="closed by the sweep")
        return result

    monkeypatch.setattr(services.engine, "run", run_then_be_given_up_on)

    batch = services.batch_import(batch.pk)

    # (The stand-in for the sweep wrote inside the import's transaction, so its "failed" went
    # with the rollback too; the real sweep commits on its own.)
    assert batch.status != Status.DONE
    assert Seizure.objects.count() == 0


@pytest.mark.parametrize(("days", "removed"), [(6, False), (8, True)])
def test_a_checked_file_never_confirmed_is_removed_after_a_week(analyst, days, removed):
    batch = services.batch_preview(uploaded_batch(analyst).pk)
    ImportBatch.objects.filter(pk=batch.pk).update(previewed_at=ago(days=days))

    services.batches_tidy()

    batch.refresh_from_db()
    assert (batch.status == Status.FAILED) is removed
    assert bool(batch.upload) is not removed
    if removed:
        assert batch.error.startswith("Not imported: the check was not confirmed within 7 days")
        assert services.batch_confirm(batch=batch, schedule=False) is False


def test_the_sweep_runs_every_quarter_of_an_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["tidy-import-batches"]

    assert entry["task"] == "imports.tasks.tidy_imports"
    assert entry["schedule"].minute == {7, 22, 37, 52}

"""A 100,000-row seizure file imported by a real Celery worker: the progress the page polls
advances while it runs, and the counts at the end are exact."""

import csv
import time

import pytest
from django.urls import reverse

from imports import registry, services
from imports.models import ImportBatch
from seizures.models import Seizure, SeizureItem

ROWS = 100_000
ITEMS_PER_SEIZURE = 4  # 25,000 seizures of four drugs each
HEADER = ["Reference", "Date seized", "Force", "District", "Place", "Drug", "Quantity", "Unit"]


def write_big_file(path):
    drugs = ["cocaine", "herbal-cannabis", "heroin", "crack"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(ROWS):
            seizure = n // ITEMS_PER_SEIZURE
            day = f"2024-{seizure % 12 + 1:02d}-{seizure % 28 + 1:02d}"
            writer.writerow(
                [
                    f"BULK-{seizure:06d}",
                    day,
                    "Warwickshire",
                    "Rugby",
                    "House",
                    drugs[n % ITEMS_PER_SEIZURE],
                    1 + n % 50,
                    "g",
                ]
            )


def wait_for(batch, statuses, client, timeout, seen):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(reverse("imports:status", args=[batch.pk])).json()
        seen.append((state["status"], state["done"]))
        if state["status"] in statuses:
            return state
        time.sleep(0.5)
    pytest.fail(f"import {batch.pk} still {seen[-1]} after {timeout} s")


@pytest.mark.redis
def test_the_progress_bar_advances_through_a_100k_row_import(
    real_celery_worker, analyst, client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "seizures-100k.csv"
    write_big_file(path)
    client.force_login(analyst)
    started = time.monotonic()

    with path.open("rb") as handle:
        batch = services.batch_upload(
            user=analyst, importer=registry.get("seizures"), file=handle, file_name=path.name
        )  # queues the preview on the worker (no transaction here: at once)
    seen = []
    state = wait_for(batch, {"previewed", "refused", "failed"}, client, 120, seen)
    assert state["status"] == "previewed", ImportBatch.objects.get(pk=batch.pk).error
    previewed = time.monotonic()

    batch.refresh_from_db()
    assert services.batch_confirm(batch=batch)
    seen = []
    state = wait_for(batch, {"done", "refused", "failed"}, client, 180, seen)
    finished = time.monotonic()

    batch.refresh_from_db()
    assert state["status"] == "done", batch.error
    assert (batch.rows, batch.created, batch.invalid, batch.progress) == (
        ROWS,
        ROWS // ITEMS_PER_SEIZURE,
        0,
        ROWS,
    )
    assert Seizure.objects.count() == ROWS // ITEMS_PER_SEIZURE and SeizureItem.objects.count() == ROWS
    running = [done for status, done in seen if status == "importing"]
    assert len(set(running)) >= 3, seen  # the bar moved at least twice while the import ran
    assert running == sorted(running) and 0 < max(running) <= ROWS
    print(f"\n100k rows: preview {previewed - started:.1f} s, import {finished - previewed:.1f} s")

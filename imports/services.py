"""Everything that writes import batches: upload, preview, confirm and the import itself.

The flow: `batch_upload` checks the file and stores it; `batch_preview` (a task) counts what
would be created, updated, left unchanged, skipped or refused; `batch_confirm` queues the
import; `batch_import` (a task) writes the whole file in one transaction, or nothing, and
removes the stored upload when it ends either way.
"""

import datetime
import hashlib
import logging
import os
import uuid

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from tablib import Dataset

from core.exports import neutralise_formula

from . import engine, reading
from .models import ImportBatch
from .reading import FileRefused

logger = logging.getLogger(__name__)
Status = ImportBatch.Status
CHUNK = 1024 * 1024


def checksum_of(file):
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def check_file(file, *, file_name, size, importer, enforce_size=True):
    """The file's format ('csv' or 'xlsx') once it is known to be readable with the importer's
    columns; FileRefused with the reason otherwise. Nothing is stored."""
    kind = reading.format_of(file_name)
    limit = reading.max_upload_bytes()
    if enforce_size and size > limit:
        raise FileRefused(
            f"The file is {reading.megabytes(size)}: the largest file accepted is "
            f"{reading.megabytes(limit)}. "
            "Split it into smaller files, or ask an administrator to import it from the command line"
        )
    file.seek(0)
    reading.sniff(kind, file.read(4096), size)
    file.seek(0)
    reading.read_table(file, kind, importer.columns)
    file.seek(0)
    return kind


def batch_upload(*, user, importer, file, file_name, options=None, enforce_size=True, schedule=True):
    """Store a readable file as a new batch and (with `schedule`) queue its preview."""
    file_name = os.path.basename(file_name or "upload")[:255]
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
    check_file(file, file_name=file_name, size=size, importer=importer, enforce_size=enforce_size)
    batch = ImportBatch(
        record_type=importer.key,
        created_by=user,
        file_name=file_name,
        checksum=checksum_of(file),
        options=options or {},
    )
    batch.upload.save(file_name, File(file), save=False)
    batch.save()
    if schedule:
        _send_preview(batch.pk)
    return batch


def _table(batch, importer):
    kind = reading.format_of(batch.file_name)
    with batch.upload.open("rb") as stored:
        return reading.read_table(stored, kind, importer.columns)


def _counts(result):
    return {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "invalid": result.invalid,
        "skipped": result.skipped,
        "skip_reasons": dict(result.skip_reasons.most_common()),
        "row_errors": result.row_errors,
        "progress": result.rows,
    }


def _fail(batch_id, message, *, among=ImportBatch.objects, **fields):
    """Close the batch as failed, if it is still `among` those given. Returns 1 if it was."""
    return among.filter(pk=batch_id).update(
        status=Status.FAILED, error=message, finished_at=timezone.now(), **fields
    )


def _unexpected(batch_id, error, what):
    logger.exception("import batch %s: %s failed", batch_id, what)
    _fail(
        batch_id,
        f"The {what} stopped with an unexpected error ({type(error).__name__}); nothing was written.",
    )


def batch_preview(batch_id, progress=None):
    """Count what importing the batch would do, writing nothing but the counts."""
    from .registry import get

    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status != Status.UPLOADED:
        return batch  # already previewed (a task delivered twice)

    def report(done, total):
        ImportBatch.objects.filter(pk=batch_id).update(progress=done, rows=total)
        if progress:
            progress(done, total)

    try:
        importer = get(batch.record_type)
        result = engine.run(
            importer,
            _table(batch, importer),
            user=batch.created_by,
            options=batch.options,
            write=False,
            progress=report,
        )
    except FileRefused as refused:
        _fail(batch_id, refused.message)
        _discard_upload(batch_id)
    except Exception as error:  # the batch says why; the log has the trace
        _unexpected(batch_id, error, "check")
        _discard_upload(batch_id)
    else:
        ImportBatch.objects.filter(pk=batch_id, status=Status.UPLOADED).update(
            status=Status.PREVIEWED, previewed_at=timezone.now(), **_counts(result)
        )
    batch.refresh_from_db()
    return batch


def batch_confirm(*, batch, schedule=True):
    """Queue the import of a previewed batch with no invalid rows. False if it cannot be."""
    task_id = str(uuid.uuid4())
    queued = ImportBatch.objects.filter(pk=batch.pk, status=Status.PREVIEWED, invalid=0).update(
        status=Status.QUEUED, task_id=task_id, progress=0, queued_at=timezone.now()
    )
    if queued != 1:
        return False
    if schedule:
        _send_import(batch.pk, task_id)
    return True


def _send_import(batch_id, task_id):
    from . import tasks

    transaction.on_commit(lambda: tasks.run_import.apply_async(args=[batch_id], task_id=task_id))


def _send_preview(batch_id):
    from . import tasks

    transaction.on_commit(lambda: tasks.preview_import.delay(batch_id))


class GivenUp(Exception):
    """The batch was closed by `batches_tidy` while this run was still going."""


def batch_import(batch_id, progress=None):
    """Write the whole batch in one transaction, or nothing. Safe to run twice: only the run
    that moves the batch from queued to importing does the work."""
    from .registry import get

    started = ImportBatch.objects.filter(pk=batch_id, status=Status.QUEUED).update(
        status=Status.IMPORTING, started_at=timezone.now()
    )
    if started != 1:
        return ImportBatch.objects.get(pk=batch_id)
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    try:
        importer = get(batch.record_type)
        table = _table(batch, importer)
        with transaction.atomic():
            result = engine.run(
                importer, table, user=batch.created_by, options=batch.options, write=True, progress=progress
            )
            # In the same transaction as the records: "done" is never seen without them.
            done = ImportBatch.objects.filter(pk=batch_id, status=Status.IMPORTING).update(
                status=Status.DONE, finished_at=timezone.now(), error="", **_counts(result)
            )
            if done != 1:
                raise GivenUp  # and the records go with the rollback
    except engine.ImportRefused as refused:
        counts = _counts(refused.result)
        _fail(
            batch_id,
            f"{refused.result.invalid} record(s) are invalid (listed below): nothing was written. "
            "Correct them and upload the file again.",
            **counts,
        )
    except FileRefused as refused:
        _fail(batch_id, refused.message)
    except GivenUp:
        logger.warning("import batch %s: finished after it was given up on; nothing was written", batch_id)
    except Exception as error:  # the batch says why; the log has the trace
        _unexpected(batch_id, error, "import")
    finally:
        _discard_upload(batch_id)
    return ImportBatch.objects.get(pk=batch_id)


def _discard_upload(batch_id):
    """The stored upload is kept only until its task ends: it may hold personal data."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.upload:
        batch.upload.delete(save=False)
        ImportBatch.objects.filter(pk=batch_id).update(upload="")


STRANDED_AFTER = datetime.timedelta(minutes=15)


def batches_tidy(now=None):
    """Hand on or close the batches whose task was lost, died or was never asked for.

    - uploaded or queued for longer than STRANDED_AFTER: the message to the worker was lost
      (broker down when the upload or confirmation committed), so it is sent again — both
      tasks are safe to run twice;
    - importing for longer than the task time limit: the worker died (its transaction was
      rolled back with its connection), so the batch is closed as failed, nothing written;
    - previewed but never confirmed within IMPORT_PREVIEW_KEEP_DAYS: the stored file (which may
      hold personal data) is removed and the batch closed.

    Returns how many batches each step touched."""
    now = now or timezone.now()
    stranded = now - STRANDED_AFTER
    uploaded = list(
        ImportBatch.objects.filter(status=Status.UPLOADED, created_at__lt=stranded).values_list(
            "pk", flat=True
        )
    )
    for batch_id in uploaded:
        _send_preview(batch_id)
    queued = list(
        ImportBatch.objects.filter(status=Status.QUEUED, queued_at__lt=stranded).values_list("pk", "task_id")
    )
    for batch_id, task_id in queued:
        ImportBatch.objects.filter(pk=batch_id, status=Status.QUEUED).update(queued_at=now)
        _send_import(batch_id, task_id)

    time_limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    died = _close(
        ImportBatch.objects.filter(status=Status.IMPORTING, started_at__lt=now - time_limit),
        "The import stopped without finishing (its worker ended); nothing was written. "
        "Upload the file again to import it.",
    )
    keep_days = settings.IMPORT_PREVIEW_KEEP_DAYS
    expired = _close(
        ImportBatch.objects.filter(
            status=Status.PREVIEWED, previewed_at__lt=now - datetime.timedelta(days=keep_days)
        ),
        f"Not imported: the check was not confirmed within {keep_days} days, so the uploaded file "
        "was removed. Upload it again to import it.",
    )
    counts = {"resent": len(uploaded) + len(queued), "died": died, "expired": expired}
    if any(counts.values()):
        logger.info("import batches tidied: %s", counts)
    return counts


def _close(batches, message):
    """Fail each of `batches` that is still as the query finds it (not confirmed or finished
    meanwhile), and remove its stored file. Returns how many were closed."""
    closed = 0
    for batch_id in list(batches.values_list("pk", flat=True)):
        if _fail(batch_id, message, among=batches):
            _discard_upload(batch_id)
            closed += 1
    return closed


def earlier_imports_of(batch):
    """Completed imports of the very same file (same checksum and type)."""
    return (
        ImportBatch.objects.filter(checksum=batch.checksum, record_type=batch.record_type, status=Status.DONE)
        .exclude(pk=batch.pk)
        .select_related("created_by")
    )


def dataset(importer, rows):
    """A tablib Dataset in the importer's template columns; text that a spreadsheet would run
    as a formula is neutralised (the import undoes it)."""
    names = [column.name for column in importer.columns]
    data = Dataset(headers=names, title=importer.label[:31])
    for row in rows:
        data.append(
            [neutralise_formula("" if row.get(name) is None else str(row.get(name))) for name in names]
        )
    return data


def batch_progress(batch):
    """{"status", "done", "total", "percent", "finished"} for the page's progress bar. While a
    batch imports, its own row is not written (one transaction), so the count comes from the
    task's state in the result backend."""
    done, total = batch.progress, batch.rows
    if batch.status == Status.IMPORTING and batch.task_id:
        from celery.result import AsyncResult

        try:
            info = AsyncResult(batch.task_id).info
        except Exception:  # no result backend (tasks run in-process): no live count
            info = None
        if isinstance(info, dict):
            done, total = info.get("done", 0), info.get("total", total)
    if batch.status == Status.DONE:
        done = total
    percent = int(100 * done / total) if total else (100 if batch.is_finished else 0)
    return {
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "done": done,
        "total": total,
        "percent": min(percent, 100),
        "finished": batch.is_finished or batch.status == Status.PREVIEWED,
    }

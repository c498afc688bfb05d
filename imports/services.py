"""Everything that writes import batches: upload, preview, confirm and the import itself.

The flow: `batch_upload` makes the cheap checks (size, extension, first bytes, a workbook's
zip directory) and stores the file with its checksum; `batch_preview` (a task) reads every row
and counts what would be created, updated, left unchanged, skipped or refused; `batch_confirm`
queues the import; `batch_import` (a task) writes the whole file in one transaction, or
nothing, and removes the stored upload when it ends either way. Reading the rows is left to
the tasks for CSV and workbooks alike: a large workbook takes minutes to read, longer than a
web request may last.

A batch whose file or rows cannot be imported ends "refused" (with the reason, or every
invalid row listed); "failed" is kept for faults of ours and abandoned batches.
"""

import datetime
import hashlib
import logging
import os
import time
import uuid

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from tablib import Dataset

from core.exports import neutralise_formula

from . import engine, reading, workbooks
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


def check_file(file, *, file_name, size, enforce_size=True):
    """The file's format ('csv' or 'xlsx') once its size, name and first bytes agree (and a
    workbook's zip directory is whole and safe); FileRefused with the reason otherwise. Reads
    no rows: that is the preview's work. Nothing is stored."""
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
    if kind == "xlsx":
        workbooks.inspect(file, size)
    file.seek(0)
    return kind


def batch_upload(*, user, importer, file, file_name, options=None, enforce_size=True, schedule=True):
    """Store a file that passes the cheap checks as a new batch and (with `schedule`) queue its
    preview, which reads the rows."""
    file_name = os.path.basename(file_name or "upload")[:255]
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
    check_file(file, file_name=file_name, size=size, enforce_size=enforce_size)
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


def _table(batch, importer, progress=None):
    kind = reading.format_of(batch.file_name)
    with batch.upload.open("rb") as stored:
        return reading.read_table(stored, kind, importer.columns, progress=progress)


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


def _fail(batch_id, message, *, among=ImportBatch.objects, status=Status.FAILED, **fields):
    """Close the batch as failed (or refused), if it is still `among` those given. Returns 1 if it was."""
    return among.filter(pk=batch_id).update(
        status=status, error=message, finished_at=timezone.now(), **fields
    )


def _refuse(batch_id, message, **fields):
    return _fail(batch_id, message, status=Status.REFUSED, **fields)


def invalid_rows_message(result):
    return (
        f"{result.invalid:,} record(s) are invalid (listed below, with every problem of each): nothing "
        "was imported. Correct them and upload the file again."
    )


def _unexpected(batch_id, error, what):
    logger.exception("import batch %s: %s failed", batch_id, what)
    _fail(
        batch_id,
        f"The {what} stopped with an unexpected error ({type(error).__name__}); nothing was written.",
    )


class Throttle:
    """At most one progress write a second: the page polls once a second, and a write per
    few hundred rows would make a large file's check cost queries in proportion to its size."""

    EVERY = 1.0  # seconds

    def __init__(self):
        self._last = time.monotonic()

    def due(self):
        now = time.monotonic()
        if now - self._last < self.EVERY:
            return False
        self._last = now
        return True


def batch_preview(batch_id, progress=None):
    """Read the batch's rows and count what importing them would do, writing nothing but the
    counts. A file that cannot be read, or with any invalid row, ends refused (and its upload
    is removed: it can never be imported); otherwise it is ready to import."""
    from .registry import get

    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status != Status.UPLOADED:
        return batch  # already previewed (a task delivered twice)

    shown = Throttle()

    def reading_rows(read):
        # While the rows are read, their total is not known yet: rows stays 0.
        if shown.due():
            ImportBatch.objects.filter(pk=batch_id, status=Status.UPLOADED).update(progress=read, rows=0)

    def report(done, total):
        if shown.due() or done == total:
            ImportBatch.objects.filter(pk=batch_id, status=Status.UPLOADED).update(progress=done, rows=total)
        if progress:
            progress(done, total)

    try:
        importer = get(batch.record_type)
        result = engine.run(
            importer,
            _table(batch, importer, progress=reading_rows),
            user=batch.created_by,
            options=batch.options,
            write=False,
            progress=report,
            error_limit=ImportBatch.MAX_ROW_ERRORS,
        )
    except FileRefused as refused:
        _refuse(batch_id, refused.message, progress=0, rows=0)
        _discard_upload(batch_id)
    except Exception as error:  # the batch says why; the log has the trace
        _unexpected(batch_id, error, "check")
        _discard_upload(batch_id)
    else:
        if result.invalid:
            _refuse(batch_id, invalid_rows_message(result), previewed_at=timezone.now(), **_counts(result))
            _discard_upload(batch_id)
        else:
            ImportBatch.objects.filter(pk=batch_id, status=Status.UPLOADED).update(
                status=Status.PREVIEWED, previewed_at=timezone.now(), **_counts(result)
            )
    batch.refresh_from_db()
    return batch


def batch_recheck(*, batch, schedule=True):
    """Preview the batch again (its counts are stale). False if it is no longer waiting to be
    confirmed (confirmed or closed meanwhile)."""
    rechecked = ImportBatch.objects.filter(pk=batch.pk, status=Status.PREVIEWED).update(
        status=Status.UPLOADED, progress=0, previewed_at=None
    )
    if rechecked != 1:
        return False
    if schedule:
        _send_preview(batch.pk)
    return True


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
                importer,
                table,
                user=batch.created_by,
                options=batch.options,
                write=True,
                progress=progress,
                error_limit=ImportBatch.MAX_ROW_ERRORS,
            )
            # In the same transaction as the records: "done" is never seen without them.
            done = ImportBatch.objects.filter(pk=batch_id, status=Status.IMPORTING).update(
                status=Status.DONE, finished_at=timezone.now(), error="", **_counts(result)
            )
            if done != 1:
                raise GivenUp  # and the records go with the rollback
    except engine.ImportRefused as refused:
        # Rows valid when checked may not be now (a warrant withdrawn meanwhile).
        _refuse(batch_id, invalid_rows_message(refused.result), **_counts(refused.result))
    except FileRefused as refused:
        _refuse(batch_id, refused.message)
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
    # A refused file can never be imported: its upload goes (kept only by a refusal recorded
    # before refusals removed their files).
    for batch_id in (
        ImportBatch.objects.filter(status=Status.REFUSED).exclude(upload="").values_list("pk", flat=True)
    ):
        _discard_upload(batch_id)
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


def export_cells(importer, rows):
    """(headers, rows as lists) in the importer's template columns, produced as `rows` are;
    text that a spreadsheet would run as a formula is neutralised (the import undoes it)."""
    names = [column.name for column in importer.columns]
    cells = (
        [neutralise_formula("" if row.get(name) is None else str(row.get(name))) for name in names]
        for row in rows
    )
    return names, cells


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

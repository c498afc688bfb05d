"""Reading import batches for the pages: what was imported before, whether a preview is
still true, progress, and the refused rows."""

from .models import ImportBatch

Status = ImportBatch.Status


def earlier_imports_of(batch):
    """Completed imports of the very same file (same checksum and type)."""
    return (
        ImportBatch.objects.filter(checksum=batch.checksum, record_type=batch.record_type, status=Status.DONE)
        .exclude(pk=batch.pk)
        .select_related("created_by")
    )


def preview_is_stale(batch):
    """Whether records this batch's preview compared with have been imported since it ran, so
    its counts may no longer be what importing it would do."""
    if batch.status != Status.PREVIEWED or batch.previewed_at is None:
        return False
    from .registry import discover

    importer = discover().get(batch.record_type)
    affected_by = {batch.record_type, *(importer.affected_by if importer else ())}
    return (
        ImportBatch.objects.filter(
            record_type__in=affected_by, status=Status.DONE, finished_at__gt=batch.previewed_at
        )
        .exclude(pk=batch.pk)
        .exists()
    )


def batch_progress(batch):
    """{"status", "status_label", "done", "total", "percent", "finished", "message"} for the
    page's progress bar. While a batch imports, its own row is not written (one transaction),
    so the count comes from the task's state in the result backend."""
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
    if batch.status == Status.UPLOADED and not total:
        message = f"Reading the file: {done:,} rows so far" if done else "Waiting to read the file"
    else:
        message = f"{done:,} of {total:,} rows ({min(percent, 100)}%)"
    return {
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "done": done,
        "total": total,
        "percent": min(percent, 100),
        "finished": batch.is_finished or batch.status == Status.PREVIEWED,
        "message": message,
    }


REFUSED_ROWS_HEADER = ("Row", "Rows of the record", "Problem")


def refused_rows(batch):
    """One line per problem of each invalid record: (first row, all its rows, problem)."""
    for problem in batch.row_errors:
        lines = ", ".join(str(line) for line in problem.get("lines", [problem["line"]]))
        for reason in problem.get("reasons") or [problem["reason"]]:
            yield problem["line"], lines, reason

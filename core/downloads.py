"""Workbook downloads of a list: small ones built while the page waits, large ones by a worker.

A spreadsheet cannot be streamed row by row as a CSV is, and a list of a hundred thousand rows
takes longer to write than a request may take. Above settings.DOWNLOAD_INLINE_ROWS the page
asks for a Download: a worker rebuilds the same list (the same view, filters, sort and the
requester's permissions) and writes the workbook to storage; the requester's download page
shows when it is ready. A sweep removes files after settings.DOWNLOAD_KEEP_HOURS.
"""

import datetime
import io
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone
from openpyxl import Workbook

from .exports import neutralise_formula
from .models import Download

logger = logging.getLogger(__name__)
Status = Download.Status


def workbook(headers, rows, *, title="Records"):
    """An XLSX workbook, written row by row (openpyxl's write-only mode keeps memory flat)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(headers)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


def table_rows(table):
    """(headers, rows) of a table: its ListExport when it declares one, else the table's own
    values (short lists), formulas neutralised either way."""
    export = getattr(table, "export", None)
    if export is not None:
        return export.headers(table), export.rows(table.data.data)
    values = iter(table.as_values())
    headers = next(values)
    return headers, ([neutralise_formula(value) for value in row] for row in values)


def download_request(*, user, list_path, query, title, file_format="xlsx"):
    """Ask for a download of the list at `list_path` with `query`; built after the request's
    transaction commits."""
    download = Download.objects.create(
        requested_by=user, list_path=list_path, query=query, title=title, file_format=file_format
    )
    transaction.on_commit(lambda: _queue(download.pk))
    return download


def _queue(download_id):
    from kombu.exceptions import OperationalError as BrokerUnavailable

    from .tasks import build_download

    try:
        build_download.delay(download_id)
    except (BrokerUnavailable, OSError):
        # Left waiting: the sweep queues it again once the broker answers.
        logger.warning("Could not queue download %s: the sweep will", download_id, exc_info=True)


def download_build(download_id):
    """Build the file. Safe to run twice: only a waiting download is taken (compare-and-swap)."""
    if not Download.objects.filter(pk=download_id, status=Status.QUEUED).update(status=Status.BUILDING):
        return Download.objects.filter(pk=download_id).first()
    download = Download.objects.select_related("requested_by").get(pk=download_id)
    try:
        content, rows = workbook(*_rows_of_the_list(download), title=download.title)
        download.file.save(download.filename, ContentFile(content), save=False)
        download.rows, download.status = rows, Status.READY
    except Exception as error:
        logger.exception("Download %s failed", download_id)
        download.status, download.error = Status.FAILED, f"{type(error).__name__}: {error}"
    download.finished_at = timezone.now()
    download.save(update_fields=["file", "rows", "status", "error", "finished_at"])
    return download


def _rows_of_the_list(download):
    """The list's page, asked again by its requester: the same view builds the same table from
    a request made as the page's own was (RequestFactory builds a whole WSGI request). A page
    that is not a list offers `rows_for_download(request)` instead."""
    request = RequestFactory().get(download.list_path + ("?" + download.query if download.query else ""))
    request.user = download.requested_by
    page = resolve(download.list_path).func
    if hasattr(page, "rows_for_download"):
        # A download that is not a list page's table (an export in an import's own columns).
        return page.rows_for_download(request)
    view = page.view_class()
    view.setup(request)
    if hasattr(view, "has_permission") and not view.has_permission():
        raise PermissionDenied("The requester may no longer open this list")
    return table_rows(view.table_for_download())


def downloads_tidy(*, now=None):
    """Remove the files of downloads older than DOWNLOAD_KEEP_HOURS, and queue again the ones
    left waiting (the broker was down). Returns (removed, requeued)."""
    now = now or timezone.now()
    removed = 0
    old = Download.objects.filter(created_at__lt=now - datetime.timedelta(hours=settings.DOWNLOAD_KEEP_HOURS))
    for download in old.exclude(status=Status.EXPIRED):
        if download.file:
            download.file.delete(save=False)
        Download.objects.filter(pk=download.pk).update(status=Status.EXPIRED, file="")
        removed += 1
    stranded = now - datetime.timedelta(minutes=5)
    waiting = Download.objects.filter(status=Status.QUEUED, created_at__lt=stranded)
    requeued = list(waiting.values_list("pk", flat=True))
    for download_id in requeued:
        _queue(download_id)
    return removed, len(requeued)

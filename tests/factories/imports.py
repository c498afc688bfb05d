"""Helpers for import tests: files built in memory, forces configured from the ONS lookup,
and running a file through the same services the page and the command use."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from geography.services import force_add_from_ons
from imports import registry, services

WEST_YORKSHIRE_CODE = "E23000010"


def csv_bytes(header, rows, *, encoding="utf-8"):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    """A workbook (.xlsx) of `rows`, the first the header, made as Excel would save it."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def uploaded(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def configure_force_from_ons(lookup_path, force_code, *, in_alliance=False):
    """A force with its districts and partnerships as the ONS LAD -> CSP -> PFA lookup lists them,
    configured as `manage.py add_force` does."""
    return force_add_from_ons(lookup=lookup_path, ons_code=force_code, context=not in_alliance).force


def import_path(path, record_type, *, user, options=None):
    """Upload, preview, confirm and import a file as the page does (tasks in-process)."""
    importer = registry.get(record_type)
    with open(path, "rb") as handle:
        batch = services.batch_upload(
            user=user, importer=importer, file=handle, file_name=path.name, options=options, schedule=False
        )
    return preview_and_import(batch)


def import_bytes(name, content, record_type, *, user, options=None):
    importer = registry.get(record_type)
    batch = services.batch_upload(
        user=user,
        importer=importer,
        file=io.BytesIO(content),
        file_name=name,
        options=options,
        schedule=False,
    )
    return preview_and_import(batch)


def preview_and_import(batch):
    batch = services.batch_preview(batch.pk)
    if services.batch_confirm(batch=batch, schedule=False):
        batch = services.batch_import(batch.pk)
    return batch

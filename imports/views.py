"""Import pages: start an import, preview it, confirm it, watch it run; the list of imports;
templates and exports in each record type's import format."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import resolve
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from core import downloads
from core.exports import neutralise_formula, streamed_csv
from core.views import FilteredTableView

from . import registry, selectors, services
from .filters import ImportBatchFilter
from .forms import UploadForm
from .models import ImportBatch
from .reading import FileRefused
from .tables import ImportBatchTable

ERRORS_SHOWN = 200  # on the page; the CSV of refused rows has them all
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _importer(key):
    try:
        return registry.get(key)
    except KeyError:
        raise Http404("No such import type") from None


def _importer_for(user, key):
    importer = _importer(key)
    if not importer.may_import(user):
        raise PermissionDenied
    return importer


@permission_required("imports.add_importbatch", raise_exception=True)
def import_start(request, record_type):
    importer = _importer_for(request.user, record_type)
    form = UploadForm(importer, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        options = {name: form.cleaned_data[name] for name in importer.option_fields()}
        try:
            batch = services.batch_upload(
                user=request.user, importer=importer, file=upload, file_name=upload.name, options=options
            )
        except FileRefused as refused:
            form.add_error("file", refused.message)
        else:
            return redirect("imports:detail", pk=batch.pk)
    return TemplateResponse(
        request,
        "imports/start.html",
        {
            "importer": importer,
            "form": form,
            "has_export": importer.may_export(request.user),
        },
        status=400 if form.errors else 200,
    )


def _download(data, stem, file_format):
    if file_format not in CONTENT_TYPES:
        raise Http404("No such format")
    body = data.export(file_format)
    response = HttpResponse(
        body.encode("utf-8") if isinstance(body, str) else body, content_type=CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{slugify(stem)}.{file_format}"'
    return response


@permission_required("imports.add_importbatch", raise_exception=True)
def import_template(request, record_type, file_format):
    importer = _importer_for(request.user, record_type)
    data = services.dataset(importer, importer.template_rows)
    return _download(data, f"{importer.key}-import-template", file_format)


@permission_required("imports.add_importbatch", raise_exception=True)
def import_export(request, record_type, file_format):
    """The records (filtered as the list page filters them) in the import's own format."""
    importer = _importer_for(request.user, record_type)
    if not importer.may_export(request.user):
        raise Http404("This record type has no export")
    if file_format not in CONTENT_TYPES:
        raise Http404("No such format")
    if file_format == "xlsx" and importer.export_records(request.user, request.GET).count() > (
        settings.DOWNLOAD_INLINE_ROWS
    ):
        query = request.GET.copy()
        download = downloads.download_request(
            user=request.user,
            list_path=request.path,
            query=query.urlencode(),
            title=f"{record_type}-for-import",
        )
        return redirect(download)
    stem, rows = importer.export_rows(request.user, request.GET)
    headers, cells = services.export_cells(importer, rows)
    if file_format == "csv":
        return streamed_csv(headers, cells, f"{slugify(stem)}.csv")
    content, _ = downloads.workbook(headers, cells, title=importer.label)
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{slugify(stem)}.xlsx"'
    return response


def _rows_for_download(request):
    """What a workbook built in the background holds (core.downloads): the same export, asked
    again as its requester."""
    match = resolve(request.path)
    importer = _importer_for(request.user, match.kwargs["record_type"])
    if not importer.may_export(request.user):
        raise PermissionDenied
    _, rows = importer.export_rows(request.user, request.GET)
    return services.export_cells(importer, rows)


import_export.rows_for_download = _rows_for_download


def _batch_for(user, pk):
    return get_object_or_404(ImportBatch.objects.visible_to(user).select_related("created_by"), pk=pk)


@permission_required("imports.view_importbatch", raise_exception=True)
def import_detail(request, pk):
    batch = _batch_for(request.user, pk)
    importer = registry.discover().get(batch.record_type)
    if selectors.preview_is_stale(batch) and services.batch_recheck(batch=batch):
        # Records were imported since these counts were made: show counts that are true now,
        # not ones that contradict what is stored.
        batch.refresh_from_db()
    may_import = importer is not None and importer.may_import(request.user)
    return TemplateResponse(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "importer": importer,
            "progress": selectors.batch_progress(batch),
            "may_confirm": may_import and batch.status == ImportBatch.Status.PREVIEWED and batch.invalid == 0,
            "earlier": selectors.earlier_imports_of(batch)[:5],
            "options": importer.describe_options(batch.options) if importer else "",
            "noun": importer.noun if importer else ("record", "records"),
            "errors_shown": batch.row_errors[:ERRORS_SHOWN],
        },
    )


@require_POST
@permission_required("imports.add_importbatch", raise_exception=True)
def import_confirm(request, pk):
    batch = _batch_for(request.user, pk)
    _importer_for(request.user, batch.record_type)
    if selectors.preview_is_stale(batch) and services.batch_recheck(batch=batch):
        messages.warning(
            request,
            "Records of this type were imported since this file was checked, so it is being checked "
            "again. Import it once the new counts are shown.",
        )
    elif services.batch_confirm(batch=batch):
        messages.success(request, f"Importing {batch.file_name}")
    else:
        messages.error(
            request, "This import cannot be started: it is not ready, already started, or has invalid rows"
        )
    return redirect("imports:detail", pk=batch.pk)


@permission_required("imports.view_importbatch", raise_exception=True)
def import_status(request, pk):
    return JsonResponse(selectors.batch_progress(_batch_for(request.user, pk)))


@permission_required("imports.view_importbatch", raise_exception=True)
def import_refused_rows(request, pk):
    """The invalid rows of a batch, one line per problem, to work through in a spreadsheet."""
    batch = _batch_for(request.user, pk)
    if not batch.row_errors:
        raise Http404("This import has no refused rows")
    response = HttpResponse(content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-refused-rows.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the text as UTF-8
    writer = csv.writer(response)
    writer.writerow(selectors.REFUSED_ROWS_HEADER)
    for row in selectors.refused_rows(batch):
        # Problems quote the file's cells, which may be written to run as formulas.
        writer.writerow([neutralise_formula(str(cell)) for cell in row])
    return response


class ImportListView(PermissionRequiredMixin, FilteredTableView):
    permission_required = "imports.view_importbatch"
    raise_exception = True
    filterset_class = ImportBatchFilter
    table_class = ImportBatchTable
    template_name = "imports/list.html"
    export_name = "imports"

    def get_queryset(self):
        return ImportBatch.objects.visible_to(self.request.user).select_related("created_by")  # "By" column

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["importers"] = registry.importers_for(self.request.user)
        return context

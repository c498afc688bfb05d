"""A filtered, sortable, paginated list with CSV and XLSX export of exactly what is filtered.

One FilterSet drives the filter panel, the table, the exports and (in the API) the viewset.
"""

from types import SimpleNamespace
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views import View
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from . import downloads, freshness
from .exports import XLSX_CONTENT_TYPE, SafeTableExport, streamed_csv
from .filters import govuk_filter_widgets
from .forms import WithdrawForm
from .models import Download


class RolePermissionRequired(PermissionRequiredMixin):
    raise_exception = True  # signed-in users without the role get 403, not a sign-in loop


def report_validation_error(form, invalid):
    """Put a service's ValidationError on the form: fields it names, else the whole form."""
    if hasattr(invalid, "error_dict"):
        for field, errors in invalid.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid.messages)


class ServiceFormView(RolePermissionRequired, View):
    """Record or change one record through the app's services, with the service's own
    validation errors shown on the form. Configure `model`, `form_class`, `template_name`,
    `service_fields` (the cleaned fields passed to the service) and `context_object_name`;
    implement save(fields); an edit view also overrides get_object()."""

    model = None
    form_class = None
    template_name = None
    service_fields = ()
    context_object_name = "record"

    def get_object(self):
        return None

    def get_live_object(self, queryset=None):
        """For edit views: the live record named in the URL, fetched once per request."""
        if not hasattr(self, "_object"):
            queryset = queryset if queryset is not None else self.model.objects.live()
            self._object = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._object

    def get(self, request, pk=None):
        return self.render(self.form_class(instance=self.get_object() or self.model()))

    def post(self, request, pk=None):
        form = self.form_class(request.POST, instance=self.get_object() or self.model())
        if form.is_valid():
            fields = {
                name: form.cleaned_data[name] for name in self.service_fields if name in form.cleaned_data
            }
            try:
                saved = self.save(fields)
            except ValidationError as invalid:
                report_validation_error(form, invalid)
            else:
                messages.success(request, f"{saved} saved")
                return redirect(saved)
        return self.render(form)

    def save(self, fields):
        raise NotImplementedError

    def render(self, form):
        context = {"form": form, self.context_object_name: self.get_object()}
        return TemplateResponse(self.request, self.template_name, context)


class WithdrawView(RolePermissionRequired, View):
    """Withdraw a live record with a reason: it stays, with its history, but leaves lists,
    exports and figures. Configure `model` and `withdraw`, the app's service, called as
    withdraw(<model_name>=record, user=…, reason=…)."""

    model = None
    withdraw = None
    template_name = "core/withdraw.html"

    def get_record(self):
        return get_object_or_404(self.model.objects.live(), pk=self.kwargs["pk"])

    def get_form(self, data=None):
        return WithdrawForm(data, noun=self.model._meta.verbose_name)

    def get(self, request, pk):
        return self.render(self.get_record(), self.get_form())

    def post(self, request, pk):
        record = self.get_record()
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                type(self).withdraw(
                    **{self.model._meta.model_name: record},
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as invalid:
                report_validation_error(form, invalid)
            else:
                messages.success(request, f"{record} withdrawn")
                return redirect(f"{self.model._meta.app_label}:{self.model._meta.model_name}_list")
        return self.render(record, form)

    def render(self, record, form):
        return TemplateResponse(
            self.request,
            self.template_name,
            {"record": record, "form": form, "noun": self.model._meta.verbose_name},
        )


class FilteredTableView(ExportMixin, SingleTableMixin, FilterView):
    """Configure: model or get_queryset(), filterset_class, table_class, template_name (one
    extending "filtered_list.html"), export_name, and `noun` — (one, several) as the count line
    says them — when the model's verbose names are not what a row is. The template gets
    `filter`, `table`, `noun`, `nouns`, `export_links`, `active_filters`, `list_totals` and
    `figures_lag`.

    A list behind dashboard figures that add something up (street value, plants) declares those
    sums in list_totals(), so each figure can be checked against the records its link lists. A
    list whose records the figures count sets `counted_in_figures` and says in changed_records()
    which of them changed after a moment: the page then says how many of the records it shows
    the figures do not include yet."""

    noun = None
    counted_in_figures = False
    export_class = SafeTableExport
    export_formats = (SafeTableExport.CSV, SafeTableExport.XLSX)
    paginate_by = 25
    # A page of at most this many rows, whatever `per_page` asks: a list is read a page at a
    # time, and the whole of it is downloaded, not paged.
    max_per_page = 100
    # An invalid filter (a bad date) shows its error in the panel and lists nothing,
    # rather than silently listing everything.
    filterset_strict = True

    def get_table(self, **kwargs):
        """The table, paginated and sorted as the request asks, with `per_page` held between 1
        and max_per_page (a number out of range is brought within it; anything else is ignored)."""
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        known = self.known_count()
        if known is not None:
            table.data._length = known  # django-tables2's count of the rows, kept for the paginator
        query = self.request.GET.copy()
        asked = query.get(table.prefixed_per_page_field, "")
        if asked:
            try:
                query[table.prefixed_per_page_field] = str(min(max(int(asked), 1), self.max_per_page))
            except ValueError:
                del query[table.prefixed_per_page_field]
        RequestConfig(SimpleNamespace(GET=query), paginate=self.get_table_pagination(table)).configure(table)
        table.request = self.request
        return table

    def paginate_queryset(self, queryset, page_size):
        # The table pages the list (a page out of range shows the last one); the list view's
        # own paging would count the rows again and answer 404 to a page it cannot find.
        return None, None, queryset, False

    def table_for_download(self):
        """The table this request's page shows — filtered, visible to the user, sorted — for a
        download built later by a worker (core.downloads)."""
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            self.object_list = self.filterset.qs
        else:
            self.object_list = self.filterset.queryset.none()
        return self.get_table(**self.get_table_kwargs())

    def create_export(self, export_format):
        """CSV streams row by row where the table declares a ListExport (`export`); the rest
        go through the table's own export. A workbook is written while the page waits up to
        DOWNLOAD_INLINE_ROWS rows; a longer list is built in the background (core.downloads)."""
        table = self.get_table(**self.get_table_kwargs())
        export = getattr(table, "export", None)
        if export_format == SafeTableExport.CSV and export is not None:
            records = table.data.data  # filtered, visible to the user and sorted as the page is
            return streamed_csv(export.headers(table), export.rows(records), self.get_export_filename("csv"))
        if export_format == SafeTableExport.XLSX:
            rows = table.paginator.count if table.page else len(table.data)
            if rows > settings.DOWNLOAD_INLINE_ROWS:
                query = self.request.GET.copy()
                query.pop(self.export_trigger_param, None)
                download = downloads.download_request(
                    user=self.request.user,
                    list_path=self.request.path,
                    query=query.urlencode(),
                    title=self.export_name,
                )
                return redirect(download)
            content, _ = downloads.workbook(*downloads.table_rows(table), title=self.export_name)
            response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{self.get_export_filename("xlsx")}"'
            return response
        return super().create_export(export_format)

    def known_count(self):
        """How many records the list holds, where the view knows it without counting them (a
        list of a million records takes longer to count than to show a page of); None: count."""
        return None

    def list_totals(self, records):
        """[(label, figure, note)] of what the figures behind this list add up, for exactly
        `records` (the filtered list the table and the downloads show), in one query. The note,
        which may be empty, says what the figure leaves out."""
        return []

    def changed_records(self, records, moment):
        """Those of `records` recorded or changed after `moment`: for counted_in_figures lists."""
        raise NotImplementedError

    def figures_lag(self, records):
        """How many of `records` the dashboard figures do not include as they stand now, with when
        the figures were built and will next be; None when they include them all."""
        if not self.counted_in_figures:
            return None
        clock = freshness.read()
        if clock is None:
            return None
        # Never built: the figures include none of them.
        pending = records if clock.built_from is None else self.changed_records(records, clock.built_from)
        count = pending.count()
        if not count:
            return None
        return {"count": count, "built_from": clock.built_from, "next_build": clock.next_build}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = not self.filterset.is_bound or self.filterset.is_valid()
        exporting = self.export_class.is_valid_format(self.request.GET.get(self.export_trigger_param))
        if listed and not exporting:  # a download carries the rows, not the page's notes
            context["list_totals"] = self.list_totals(self.object_list)
            context["figures_lag"] = self.figures_lag(self.object_list)
        query = self.request.GET.copy()
        query.pop("page", None)
        links = []
        for export_format in self.export_formats:
            query[self.export_trigger_param] = export_format
            links.append({"format": export_format.upper(), "url": "?" + query.urlencode()})
        context["export_links"] = links
        govuk_filter_widgets(context["filter"].form)
        context["active_filters"] = active_filters(context["filter"])
        meta = self.filterset_class._meta.model._meta
        context["noun"], context["nouns"] = self.noun or (meta.verbose_name, meta.verbose_name_plural)
        return context


class ActiveFilter(NamedTuple):
    label: str
    value: str  # in words: "Yes", "Drugs found", never True or drugs_found
    remove_url: str  # the same list without this filter


def active_filters(filterset):
    """The filters in use, for the MOJ filter panel's "Selected filters": each a tag that reads
    "Label: value" in plain words and removes that filter when followed."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    chosen = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        several = isinstance(value, list | tuple | QuerySet)  # multiple-choice filters
        if value is None or value == "" or (several and not value):
            continue
        # Records (forces, drugs) read as themselves; coded choices by their labels. A model
        # field's choices are not read: that would be a query for every option.
        words = {} if isinstance(field, forms.ModelChoiceField) else dict(getattr(field, "choices", ()))
        words |= {str(code): label for code, label in words.items()}
        if several:
            shown = ", ".join(str(words.get(str(item), item)) for item in value)
        else:
            shown = str(words.get(value, words.get(str(value), value)))
        rest = filterset.data.copy()
        for key in (name, "page"):
            rest.pop(key, None)
        chosen.append(ActiveFilter(field.label or name, shown, "?" + rest.urlencode()))
    return chosen


@login_required
def download(request, pk):
    """A download being prepared (the page looks again by itself) or ready to collect."""
    found = get_object_or_404(Download.objects.visible_to(request.user), pk=pk)
    return TemplateResponse(
        request, "core/download.html", {"download": found, "keep_hours": settings.DOWNLOAD_KEEP_HOURS}
    )


@login_required
def download_file(request, pk):
    found = get_object_or_404(Download.objects.visible_to(request.user), pk=pk)
    if found.status != Download.Status.READY or not found.file:
        raise Http404("This download is not ready, or has been removed")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename)

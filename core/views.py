"""A filtered, sortable, paginated list with CSV and XLSX export of exactly what is filtered.

One FilterSet drives the filter panel, the table, the exports and (in the API) the viewset.
"""

from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from .exports import SafeTableExport


class FilteredTableView(ExportMixin, SingleTableMixin, FilterView):
    """Configure: model or get_queryset(), filterset_class, table_class, template_name,
    export_name. The template gets `filter`, `table`, `export_links` and `active_filters`."""

    export_class = SafeTableExport
    export_formats = (SafeTableExport.CSV, SafeTableExport.XLSX)
    paginate_by = 25
    # An invalid filter (a bad date) shows its error in the panel and lists nothing,
    # rather than silently listing everything.
    filterset_strict = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        links = []
        for export_format in self.export_formats:
            query[self.export_trigger_param] = export_format
            links.append({"format": export_format.upper(), "url": "?" + query.urlencode()})
        context["export_links"] = links
        context["active_filters"] = active_filters(context["filter"])
        return context


def active_filters(filterset):
    """[(label, value shown)] for each filter in use, for the MOJ filter panel's summary."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    chosen = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if value in (None, "", [], ()) or (hasattr(value, "start") and not (value.start or value.stop)):
            continue
        if hasattr(value, "model") and not value:  # a multiple-choice model filter with nothing chosen
            continue
        if hasattr(value, "start"):  # date range slices
            shown = " to ".join(str(part) for part in (value.start, value.stop) if part)
        elif isinstance(value, list | tuple) or hasattr(value, "__iter__") and not isinstance(value, str):
            shown = ", ".join(str(item) for item in value)
        else:
            shown = str(dict(getattr(field, "choices", ())).get(value, value))
        chosen.append((field.label or name, shown))
    return chosen

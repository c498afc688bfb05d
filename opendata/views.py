"""Context pages: the open data behind the police.uk and Home Office figures, filtered."""

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Sum
from django.template.response import TemplateResponse

from core.views import FilteredTableView
from imports import registry

from .filters import RecordedCrimeFilter, StopSearchFilter, StreetCrimeFilter
from .models import RecordedCrime, StopSearch, StreetCrime
from .tables import RecordedCrimeTable, StopSearchTable, StreetCrimeTable

IMPORT_TYPES = {
    StreetCrime: "police-uk-street-crime",
    StopSearch: "police-uk-stop-search",
    RecordedCrime: "home-office-recorded-crime",
}


class _ContextList(PermissionRequiredMixin, FilteredTableView):
    raise_exception = True
    template_name = "opendata/context_list.html"
    heading = ""
    intro = ""

    def get_queryset(self):
        return self.model.objects.select_related("force", "area")  # force and district columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        importer = registry.discover().get(IMPORT_TYPES[self.model])
        context.update(
            heading=self.heading,
            intro=self.intro,
            importer=importer if importer and importer.may_import(self.request.user) else None,
            without_area=self.object_list.filter(area__isnull=True).count()
            if self.model != RecordedCrime
            else None,
        )
        return context


class _CountedList(_ContextList):
    """police.uk rows, which the dashboards count where they are placed in a district."""

    counted_in_figures = True

    def changed_records(self, records, moment):
        # A row without a district is in no figure, now or after the next run.
        return records.filter(changed_at__gt=moment, area__isnull=False)


class StreetCrimeListView(_CountedList):
    permission_required = "opendata.view_streetcrime"
    model = StreetCrime
    filterset_class = StreetCrimeFilter
    table_class = StreetCrimeTable
    export_name = "police-uk-drug-crimes"
    heading = "police.uk drug crimes"
    noun = ("crime", "crimes")
    intro = "Street-level crimes of type Drugs published by police.uk, mapped to districts by LSOA."


class StopSearchListView(_CountedList):
    permission_required = "opendata.view_stopsearch"
    model = StopSearch
    filterset_class = StopSearchFilter
    table_class = StopSearchTable
    export_name = "police-uk-drug-searches"
    heading = "police.uk stop and search for controlled drugs"
    noun = ("search", "searches")
    intro = "Searches whose object was controlled drugs, as police.uk publishes them (labels vary by year)."


class RecordedCrimeListView(_ContextList):
    permission_required = "opendata.view_recordedcrime"
    model = RecordedCrime
    filterset_class = RecordedCrimeFilter
    table_class = RecordedCrimeTable
    export_name = "home-office-recorded-drug-offences"
    template_name = "opendata/recorded_crime_list.html"
    heading = "Home Office recorded drug offences"
    noun = ("quarterly count", "quarterly counts")
    intro = (
        "Police recorded crime by force and quarter (Home Office open data). 92A trafficking includes "
        "production and cultivation of cannabis. Figures are by force only, so they are shown here as "
        "context rather than rolled up with the district figures."
    )

    def get_queryset(self):
        return RecordedCrime.objects.select_related("force")  # force column

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year_totals"] = (
            self.object_list.order_by("financial_year", "force__name", "offence_code")
            .values("financial_year", "force__name", "offence_code")
            .annotate(offences=Sum("offences"), quarters=Count("pk"))
        )
        return context


@permission_required("opendata.view_streetcrime", raise_exception=True)
def index(request):
    tables = [
        ("police.uk drug crimes", "opendata:street_crime_list", StreetCrime, "opendata.street_drug_crimes"),
        ("police.uk drug searches", "opendata:stop_search_list", StopSearch, "opendata.drug_searches"),
        ("Home Office recorded drug offences", "opendata:recorded_crime_list", RecordedCrime, ""),
    ]
    importers = registry.discover()
    rows = []
    for label, url_name, model, metric in tables:
        importer = importers.get(IMPORT_TYPES[model])
        rows.append(
            {
                "label": label,
                "url_name": url_name,
                "count": model.objects.count(),
                "without_area": None
                if model is RecordedCrime
                else model.objects.filter(area__isnull=True).count(),
                "metric": metric,
                "importer": importer if importer and importer.may_import(request.user) else None,
            }
        )
    return TemplateResponse(request, "opendata/index.html", {"tables": rows})

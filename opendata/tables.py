"""The context lists; the same columns are exported to CSV and XLSX."""

import django_tables2 as tables
from django.utils import timezone

from core.exports import ExportColumn, ListExport, choice_text, iso_date
from core.tables import StableTable

from .models import OffenceCode

NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


class _Base(StableTable):
    month = tables.DateColumn("M Y")
    force = tables.Column(order_by=("force__name",))
    area = tables.Column(verbose_name="District", order_by=("area__name",), default="Not known")

    class Meta:
        attrs = {"class": "govuk-table"}


class StreetCrimeTable(_Base):
    crime_id = tables.Column(verbose_name="Crime ID")

    class Meta(_Base.Meta):
        from .models import StreetCrime

        model = StreetCrime
        fields = ("month", "force", "area", "lsoa_name", "location", "outcome", "crime_id")

    export = ListExport(
        ExportColumn("month", "month", iso_date),
        ExportColumn("force", "force__name"),
        ExportColumn("area", "area__name"),
        ExportColumn("lsoa_name", "lsoa_name"),
        ExportColumn("location", "location"),
        ExportColumn("outcome", "outcome"),
        ExportColumn("crime_id", "crime_id"),
    )

    def render_crime_id(self, value):
        return f"{value[:12]}…"

    def value_crime_id(self, value):
        return value  # whole in downloads: the page shortens it only to fit


def local_time(moment):
    """In downloads as on the page: the time in Europe/London, with its offset."""
    return timezone.localtime(moment).isoformat()


class StopSearchTable(_Base):
    searched_at = tables.DateTimeColumn("j M Y H:i", verbose_name="Date")

    def value_searched_at(self, value):
        return local_time(value)

    class Meta(_Base.Meta):
        from .models import StopSearch

        model = StopSearch
        fields = (
            "searched_at",
            "force",
            "area",
            "search_type",
            "legislation",
            "outcome",
            "gender",
            "age_range",
            "officer_defined_ethnicity",
            "self_defined_ethnicity",
        )
        exclude = ("month",)

    export = ListExport(
        ExportColumn("searched_at", "searched_at", local_time),
        ExportColumn("force", "force__name"),
        ExportColumn("area", "area__name"),
        ExportColumn("search_type", "search_type"),
        ExportColumn("legislation", "legislation"),
        ExportColumn("outcome", "outcome"),
        ExportColumn("gender", "gender"),
        ExportColumn("age_range", "age_range"),
        ExportColumn("officer_defined_ethnicity", "officer_defined_ethnicity"),
        ExportColumn("self_defined_ethnicity", "self_defined_ethnicity"),
    )


class RecordedCrimeTable(StableTable):
    offences = tables.Column(attrs=NUMERIC)
    force = tables.Column(order_by=("force__name",))

    class Meta:
        from .models import RecordedCrime

        model = RecordedCrime
        fields = ("financial_year", "quarter", "force", "offence_code", "offence_description", "offences")
        attrs = {"class": "govuk-table"}

    export = ListExport(
        ExportColumn("financial_year", "financial_year"),
        ExportColumn("quarter", "quarter"),
        ExportColumn("force", "force__name"),
        ExportColumn("offence_code", "offence_code", choice_text(OffenceCode.choices)),
        ExportColumn("offence_description", "offence_description"),
        ExportColumn("offences", "offences"),
    )

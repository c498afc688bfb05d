"""The context lists; the same columns are exported to CSV and XLSX."""

import django_tables2 as tables

NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


class _Base(tables.Table):
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

    def render_crime_id(self, value):
        return f"{value[:12]}…"


class StopSearchTable(_Base):
    searched_at = tables.DateTimeColumn("j M Y H:i", verbose_name="Date")

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


class RecordedCrimeTable(tables.Table):
    offences = tables.Column(attrs=NUMERIC)
    force = tables.Column(order_by=("force__name",))

    class Meta:
        from .models import RecordedCrime

        model = RecordedCrime
        fields = ("financial_year", "quarter", "force", "offence_code", "offence_description", "offences")
        attrs = {"class": "govuk-table"}

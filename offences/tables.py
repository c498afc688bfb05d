"""The offence list table; the same columns are exported to CSV and XLSX."""

import django_tables2 as tables
from django.utils.html import format_html

from core.exports import ExportColumn, ListExport, choice_text, iso_date
from core.tables import StableTable

from .models import Offence, OffenceType, Outcome, SiteType

NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


def _yes_no(value):
    return "Yes" if value else "No"


class OffenceTable(StableTable):
    crime_reference = tables.Column(linkify=True, verbose_name="Crime reference")
    recorded_date = tables.DateColumn("j M Y", verbose_name="Date recorded")
    force = tables.Column(order_by=("force__name",))
    area = tables.Column(verbose_name="District", order_by=("area__name",))
    offence_group = tables.Column(verbose_name="Group")
    offence_type = tables.Column(verbose_name="Offence")
    # Hidden on the page (the table is wide) but exported: exports carry every column.
    cultivation = tables.Column(verbose_name="Cultivation", visible=False)
    plants = tables.Column(verbose_name="Plants", attrs=NUMERIC)
    site_type = tables.Column(verbose_name="Site", visible=False)
    drug = tables.Column(verbose_name="Drug", order_by=("drug__name",))
    drug_class = tables.Column(verbose_name="Class", visible=False)
    site = tables.Column(verbose_name="Factory", order_by=("site__reference",))
    outcome = tables.Column()
    outcome_date = tables.DateColumn("j M Y", verbose_name="Outcome date", visible=False)
    warrant = tables.Column(verbose_name="Warrant", order_by=("warrant__reference",))

    class Meta:
        model = Offence
        fields = (
            "crime_reference",
            "recorded_date",
            "force",
            "area",
            "offence_group",
            "offence_type",
            "cultivation",
            "plants",
            "site_type",
            "drug",
            "drug_class",
            "site",
            "outcome",
            "outcome_date",
            "warrant",
        )
        order_by = ("-recorded_date",)
        attrs = {"class": "govuk-table"}

    export = ListExport(
        ExportColumn("crime_reference", "crime_reference"),
        ExportColumn("recorded_date", "recorded_date", iso_date),
        ExportColumn("force", "force__name"),
        ExportColumn("area", "area__name"),
        ExportColumn("offence_group", "offence_group"),
        ExportColumn("offence_type", "offence_type", choice_text(OffenceType.choices)),
        ExportColumn("cultivation", "cultivation", _yes_no),
        ExportColumn("plants", "plants"),
        ExportColumn("site_type", "site_type", choice_text(SiteType.choices)),
        ExportColumn("drug", "drug__name"),
        ExportColumn("drug_class", "drug_class"),
        ExportColumn("site", "site__reference"),
        ExportColumn("outcome", "outcome", choice_text(Outcome.choices)),
        ExportColumn("outcome_date", "outcome_date", iso_date),
        ExportColumn("warrant", "warrant__reference"),
    )

    def render_offence_group(self, value, record):
        # The code alone in the cell, its meaning on hover and for screen readers.
        return format_html('<abbr title="{}">{}</abbr>', record.offence_group_label, record.offence_group)

    def value_offence_group(self, record):
        return record.offence_group

    def render_cultivation(self, value):
        return _yes_no(value)

    def value_cultivation(self, value):
        return _yes_no(value)

    def render_site(self, value):
        return value.reference

    def value_site(self, value):
        return value.reference if value else ""

    def render_warrant(self, value):
        return value.reference

    def value_warrant(self, value):
        return value.reference if value else ""

"""The list tables; the same columns are exported to CSV and XLSX."""

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html

from core.exports import ExportColumn, ListExport, choice_text, iso_date, pounds
from core.tables import StableTable
from core.templatetags.formatting import format_pence, quantity

from .models import Premises, Seizure, SeizureItem, Site, StreetPrice, Warrant

NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


def drugs_of(seizure_ids):
    """{seizure id: "Cocaine 5 g; Heroin 2 g"}, as the Drugs column shows them."""
    described = {}
    items = SeizureItem.objects.filter(seizure_id__in=seizure_ids).order_by("seizure_id", "pk")
    for seizure_id, drug, amount, unit in items.values_list("seizure_id", "drug__name", "quantity", "unit"):
        text = f"{drug} {quantity(amount)} {unit}"
        described[seizure_id] = f"{described[seizure_id]}; {text}" if seizure_id in described else text
    return described


class SeizureTable(StableTable):
    reference = tables.Column(linkify=True)
    seized_on = tables.DateColumn("j M Y", verbose_name="Date seized")
    force = tables.Column(order_by=("force__name",))
    area = tables.Column(verbose_name="District", order_by=("area__name",))
    drugs = tables.Column(empty_values=(), orderable=False, verbose_name="Drugs")
    total_value_pence = tables.Column(verbose_name="Street value", attrs=NUMERIC)
    warrant = tables.Column(verbose_name="Warrant", order_by=("warrant__reference",))

    class Meta:
        model = Seizure
        fields = ("reference", "seized_on", "force", "area", "place", "drugs", "total_value_pence", "warrant")
        order_by = ("-seized_on",)
        attrs = {"class": "govuk-table"}

    export = ListExport(
        ExportColumn("reference", "reference"),
        ExportColumn("seized_on", "seized_on", iso_date),
        ExportColumn("force", "force__name"),
        ExportColumn("area", "area__name"),
        ExportColumn("place", "place"),
        ExportColumn("drugs", "pk", per_chunk=drugs_of),
        ExportColumn("total_value_pence", "total_value_pence", pounds),
        ExportColumn("warrant", "warrant__reference"),
    )

    def render_seized_on(self, value):
        # As DateColumn's template writes it, without compiling that template for every row.
        return date_format(value, "j M Y")

    def value_seized_on(self, value):
        return value.isoformat()  # as DateColumn exports a date (else the render above is taken)

    def render_drugs(self, record):
        return "; ".join(f"{item.drug} {quantity(item.quantity)} {item.unit}" for item in record.items.all())

    def render_total_value_pence(self, value):
        return format_pence(value)

    def value_total_value_pence(self, value):
        return "" if value is None else f"{value / 100:.2f}"

    def render_warrant(self, value):
        return value.reference

    def value_warrant(self, value):
        return value.reference if value else ""


class WarrantTable(StableTable):
    reference = tables.Column(linkify=True)
    dated_on = tables.DateColumn("j M Y", verbose_name="Date (executed, else issued)")
    force = tables.Column(order_by=("force__name",))
    area = tables.Column(verbose_name="District", order_by=("area__name",))
    applied_on = tables.DateColumn("j M Y")
    issued_on = tables.DateColumn("j M Y")
    executed_on = tables.DateColumn("j M Y")
    result = tables.Column()
    arrests = tables.Column(attrs=NUMERIC)
    cash_seized_pence = tables.Column(verbose_name="Cash seized", attrs=NUMERIC)

    class Meta:
        model = Warrant
        fields = (
            "reference",
            "dated_on",
            "force",
            "area",
            "applied_on",
            "issued_on",
            "executed_on",
            "result",
            "arrests",
            "cash_seized_pence",
        )
        order_by = ("-dated_on",)
        attrs = {"class": "govuk-table"}

    export = ListExport(
        ExportColumn("reference", "reference"),
        ExportColumn("dated_on", "dated_on", iso_date),
        ExportColumn("force", "force__name"),
        ExportColumn("area", "area__name"),
        ExportColumn("applied_on", "applied_on", iso_date),
        ExportColumn("issued_on", "issued_on", iso_date),
        ExportColumn("executed_on", "executed_on", iso_date),
        ExportColumn("result", "result", choice_text(Warrant.Result.choices)),
        ExportColumn("arrests", "arrests"),
        ExportColumn("cash_seized_pence", "cash_seized_pence", pounds),
    )

    def render_cash_seized_pence(self, value):
        return format_pence(value) if value else "–"

    def value_cash_seized_pence(self, value):
        return f"{value / 100:.2f}"

    def render_result(self, record):
        colours = {
            "drugs_found": "govuk-tag--green",
            "nothing_found": "govuk-tag--grey",
            "not_executed": "govuk-tag--yellow",
        }
        return format_html(
            '<strong class="govuk-tag {}">{}</strong>', colours[record.result], record.get_result_display()
        )

    def value_result(self, record):
        return record.get_result_display()


class SiteTable(StableTable):
    reference = tables.Column(linkify=True)
    discovered_on = tables.DateColumn("j M Y", verbose_name="Discovered")
    closed_on = tables.DateColumn("j M Y", verbose_name="Closed", default="Open")
    force = tables.Column(order_by=("force__name",))
    area = tables.Column(verbose_name="District", order_by=("area__name",))
    postcode_sector = tables.Column(verbose_name="Sector")
    premises = tables.Column(verbose_name="Premises")
    plants = tables.Column(attrs=NUMERIC)
    size_band = tables.Column(verbose_name="Band", order_by=("size_band__category",))
    warrant = tables.Column(verbose_name="Warrant", order_by=("warrant__reference",))

    class Meta:
        model = Site
        fields = (
            "reference",
            "discovered_on",
            "closed_on",
            "force",
            "area",
            "postcode_sector",
            "premises",
            "plants",
            "size_band",
            "warrant",
        )
        order_by = ("-discovered_on",)
        attrs = {"class": "govuk-table"}

    export = ListExport(
        ExportColumn("reference", "reference"),
        ExportColumn("discovered_on", "discovered_on", iso_date),
        ExportColumn("closed_on", "closed_on", iso_date),
        ExportColumn("force", "force__name"),
        ExportColumn("area", "area__name"),
        ExportColumn("postcode_sector", "postcode_sector"),
        ExportColumn("premises", "premises", choice_text(Premises.choices)),
        ExportColumn("plants", "plants"),
        ExportColumn("size_band", "size_band__category"),
        ExportColumn("warrant", "warrant__reference"),
    )

    def render_size_band(self, value):
        return format_html('<abbr title="{}">Category {}</abbr>', value.description, value.category)

    def value_size_band(self, value):
        return value.category

    def render_warrant(self, value):
        return value.reference

    def value_warrant(self, value):
        return value.reference if value else ""


class StreetPriceTable(StableTable):
    drug = tables.Column(order_by=("drug__display_order",), linkify=lambda record: record.get_absolute_url())
    force = tables.Column(verbose_name="Table", order_by=("force__name",), default="Alliance default")
    price = tables.Column(empty_values=(), orderable=False, verbose_name="Price or assumed yield")
    valid_from = tables.DateColumn("j M Y")
    valid_to = tables.DateColumn("j M Y", default="In force")
    entered_by = tables.Column(verbose_name="Entered by", default="Installed with the service")

    class Meta:
        model = StreetPrice
        fields = ("drug", "force", "price", "valid_from", "valid_to", "source", "entered_by")
        attrs = {"class": "govuk-table"}

    def render_drug(self, record):
        return str(record.drug)

    def render_price(self, record):
        return record.describe()

    def value_force(self, record):
        return record.force.name if record.force_id else "Alliance default"

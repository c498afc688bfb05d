"""The list tables; the same columns are exported to CSV and XLSX."""

import django_tables2 as tables
from django.utils.html import format_html

from core.templatetags.formatting import format_pence, quantity

from .models import Seizure, StreetPrice, Warrant

NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


class SeizureTable(tables.Table):
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


class WarrantTable(tables.Table):
    reference = tables.Column(linkify=True)
    dated_on = tables.DateColumn("j M Y", verbose_name="Date (executed, else issued)")
    force = tables.Column(order_by=("force__name",))
    area = tables.Column(verbose_name="District", order_by=("area__name",))
    applied_on = tables.DateColumn("j M Y")
    issued_on = tables.DateColumn("j M Y")
    executed_on = tables.DateColumn("j M Y")
    result = tables.Column()
    arrests = tables.Column(attrs=NUMERIC)

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
        )
        order_by = ("-dated_on",)
        attrs = {"class": "govuk-table"}

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


class StreetPriceTable(tables.Table):
    drug = tables.Column(order_by=("drug__display_order",))
    price = tables.Column(empty_values=(), orderable=False, verbose_name="Price")
    valid_from = tables.DateColumn("j M Y")
    valid_to = tables.DateColumn("j M Y", default="In force")

    class Meta:
        model = StreetPrice
        fields = ("drug", "price", "valid_from", "valid_to", "source")
        attrs = {"class": "govuk-table"}

    def render_price(self, record):
        return record.describe()

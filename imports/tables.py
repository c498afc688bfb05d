import django_tables2 as tables

from core.tables import StableTable

from . import registry
from .models import ImportBatch


class ImportBatchTable(StableTable):
    file_name = tables.Column(linkify=("imports:detail", {"pk": tables.A("pk")}), verbose_name="File")
    record_type = tables.Column(verbose_name="Type")
    created_at = tables.DateTimeColumn("j M Y H:i", verbose_name="Uploaded")
    created_by = tables.Column(verbose_name="By")
    status = tables.Column()
    rows = tables.Column()
    created = tables.Column()
    updated = tables.Column()
    unchanged = tables.Column()
    skipped = tables.Column()
    invalid = tables.Column()
    checksum = tables.Column(verbose_name="SHA-256")

    class Meta:
        model = ImportBatch
        fields = (
            "file_name",
            "record_type",
            "created_at",
            "created_by",
            "status",
            "rows",
            "created",
            "updated",
            "unchanged",
            "skipped",
            "invalid",
            "checksum",
        )
        order_by = ("-created_at",)
        attrs = {"class": "govuk-table"}

    def render_checksum(self, value):
        return f"{value[:12]}…"

    def render_record_type(self, value):
        importer = registry.discover().get(value)
        return importer.label if importer else value

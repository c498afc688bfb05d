"""The record types that can be imported, declared by each app in `<app>/importers.py`.

    # seizures/importers.py
    from imports import Column, Importer, register

    register(SeizureImporter())

The registry is filled by importing every installed app's `importers` module (`discover()`),
the same way the metrics are found, so no app's AppConfig needs to know about imports.
"""

from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True
    help: str = ""
    example: str = ""


class Importer:
    """One importable record type. Subclasses set the attributes and implement start()."""

    key = ""  # the URL slug and the command's TYPE: "seizures"
    label = ""  # "Seizures"
    description = ""
    columns: tuple = ()
    permission = ""  # what the user needs besides imports.add_importbatch: "seizures.add_seizure"
    # Model field -> column name, so that a model's validation message names the column.
    field_columns: dict = {}
    # Example rows for the downloadable template.
    template_rows: tuple = ()
    # What a record is called in counts: ("seizure", "seizures").
    noun = ("record", "records")
    # The permission that lets a user download the stored records in this type's columns
    # (export_rows), or "" when the type has none: pages decide from it whether to offer the
    # export, without building it.
    export_permission = ""
    # Other record types whose imports change what a preview of this type would find.
    affected_by: tuple = ()

    def option_fields(self):
        """Extra questions asked with the upload (name -> form field), e.g. the force of a file
        that does not say which force it belongs to."""
        return {}

    def describe_options(self, options):
        return ""

    def group_key(self, row):
        """Rows sharing a key make one record (a seizure's items); None: each row is a record."""
        return None

    def start(self, *, user, options, write):
        """An ImportSession for one pass over a file (a preview when write is False)."""
        raise NotImplementedError

    # Export in this template's format, so that an export imports back unchanged.
    def export_records(self, user, params):
        """The records the export writes (filtered as their list filters them): counted to
        decide whether a workbook is written while the page waits."""
        raise NotImplementedError

    def export_rows(self, user, params):
        """(file name stem, row dicts) of the records a user who `may_export` sees. The rows are
        produced as they are read (a generator): an export of every record streams."""
        raise NotImplementedError

    def may_export(self, user):
        return bool(self.export_permission) and user.has_perm(self.export_permission)

    def may_import(self, user):
        return user.has_perm("imports.add_importbatch") and (
            not self.permission or user.has_perm(self.permission)
        )


class ImportSession:
    """One pass over a file. handle() classifies (and, when writing, may write) one record;
    finish() writes whatever was batched. Both run inside the import's single transaction."""

    def prefetch(self, records):
        """Called once with every record's lines before handle(): load what they refer to
        in a few queries rather than one per row."""

    def handle(self, lines):
        """`lines`: [(row number, {column: value})] of one record. Returns CREATED, UPDATED or
        UNCHANGED, or Skipped(reason); raises RowInvalid or ValidationError."""
        raise NotImplementedError

    def finish(self):
        pass


_importers = {}


def register(importer):
    existing = _importers.get(importer.key)
    if existing is not None and type(existing) is not type(importer):
        raise ValueError(f"import type {importer.key} is registered twice")
    _importers[importer.key] = importer
    return importer


_discovered = False


def discover():
    """Import every installed app's importers module (once a process), then return the registry."""
    global _discovered
    if not _discovered:
        autodiscover_modules("importers")
        _discovered = True
    return dict(_importers)


def get(key):
    return discover()[key]


def importers_for(user):
    return [importer for importer in discover().values() if importer.may_import(user)]

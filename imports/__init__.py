"""Bulk import of records from CSV and XLSX files: the machinery shared by every record type.

Apps declare importable types in `<app>/importers.py` (see `registry`), reading cells with
`values` and finding the records a file names with `matching`; `reading` turns an upload into
rows; `services` runs the upload -> preview -> confirm -> import flow; `engine` makes each
import all or nothing.
"""

from .outcomes import CREATED, UNCHANGED, UPDATED, RowInvalid, Skipped
from .registry import Column, Importer, ImportSession, discover, get, importers_for, register
from .values import RowCheck

__all__ = [
    "CREATED",
    "UNCHANGED",
    "UPDATED",
    "Column",
    "ImportSession",
    "Importer",
    "RowCheck",
    "RowInvalid",
    "Skipped",
    "discover",
    "get",
    "importers_for",
    "register",
]

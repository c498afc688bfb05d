"""Exports that open safely in spreadsheets.

A cell beginning with = + - @ (or a tab / carriage return) is run as a formula by Excel and
LibreOffice: CSV/formula injection (OWASP). Such cells are prefixed with an apostrophe, which
spreadsheets show as plain text.
"""

from django_tables2.export import TableExport
from tablib import Dataset

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        exported = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = Dataset(title=exported.title, headers=exported.headers)
        for row in exported:
            safe.append([neutralise_formula(cell) for cell in row])
        return safe

"""Exports that open safely in spreadsheets.

A cell beginning with = + - @ (or a tab / carriage return) is run as a formula by Excel and
LibreOffice: CSV/formula injection (OWASP). Such cells are prefixed with an apostrophe, which
spreadsheets show as plain text.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from django.http import StreamingHttpResponse
from django_tables2.export import TableExport
from tablib import Dataset

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


# --- lists exported row by row --------------------------------------------------------------------


@dataclass(frozen=True)
class ExportColumn:
    """One column of a list's export: the table column it writes (whose header it takes), the
    field path read for it, and how the value is written (`text`, default: as CSV writes it).
    A value that needs another query (a seizure's items) is looked up for a chunk of rows at
    once: `per_chunk(values)` gets the chunk's values of `path` and returns {value: text}."""

    column: str
    path: str
    text: Callable[[object], object] | None = None
    per_chunk: Callable[[list], dict] | None = None


def in_chunks(values, size=2000):
    """Lists of up to `size` rows of a values/values_list queryset, read with a server-side
    cursor (no model instances, no prefetching): a related look-up can then be made once per
    chunk instead of once per row."""
    rows = values.iterator(chunk_size=size)
    while chunk := list(islice(rows, size)):
        yield chunk


class ListExport:
    """A list's export read with `values_list` in chunks, not as model instances, so a list of
    a hundred thousand records streams at the speed of the database: the same columns and
    values as the table shows (a test holds each list's export to its table's)."""

    def __init__(self, *columns, chunk_size=2000):
        self.columns = columns
        self.chunk_size = chunk_size

    def headers(self, table):
        return [table.columns[column.column].header for column in self.columns]

    def rows(self, queryset):
        paths = list(dict.fromkeys(column.path for column in self.columns))
        where = [paths.index(column.path) for column in self.columns]
        values = queryset.prefetch_related(None).values_list(*paths)
        for chunk in in_chunks(values, self.chunk_size):
            looked_up = {
                number: column.per_chunk([row[where[number]] for row in chunk])
                for number, column in enumerate(self.columns)
                if column.per_chunk
            }
            for row in chunk:
                yield [
                    neutralise_formula(self._written(column, row[where[number]], looked_up.get(number)))
                    for number, column in enumerate(self.columns)
                ]

    @staticmethod
    def _written(column, value, looked_up):
        if looked_up is not None:
            return looked_up.get(value, "")
        if value is None:
            return ""
        return column.text(value) if column.text else value


def choice_text(choices):
    """A choice's label, as the table shows it."""
    labels = dict(choices)
    return lambda value: labels.get(value, value)


def iso_date(value):
    return value.isoformat()


def pounds(pence):
    return f"{pence / 100:.2f}"


class _Echo:
    """csv.writer writes into this and gets the line back, to stream it."""

    def write(self, value):
        return value


def streamed_csv(headers, rows, filename):
    """A CSV download written while it is sent: a header line, then one line a row."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(headers)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

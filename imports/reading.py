"""Reading an uploaded CSV or XLSX into rows, refusing what cannot be read with a plain reason.

The format work is left to the standard library's csv module and openpyxl; this module only
decides what is acceptable: the extension and the content must agree, text must be UTF-8,
workbooks may not hold formulas (their cached results may be stale or missing), and the
header must hold the columns the record type needs.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings

from core.exports import FORMULA_TRIGGERS

FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def max_upload_bytes():
    return settings.IMPORT_MAX_UPLOAD_BYTES


def megabytes(size):
    return f"{size / (1024 * 1024):.0f} MB"


def format_of(file_name):
    """'csv' or 'xlsx' from the file name, or FileRefused."""
    lower = (file_name or "").lower()
    for extension, kind in FORMATS.items():
        if lower.endswith(extension):
            return kind
    if lower.endswith((".xls", ".xlsm", ".ods")):
        raise FileRefused("Save the spreadsheet as an Excel workbook (.xlsx) or as CSV UTF-8 (.csv)")
    raise FileRefused("The file must be a CSV (.csv) or an Excel workbook (.xlsx)")


def sniff(kind, head, size):
    """Check the first bytes agree with the extension: a renamed file is refused here."""
    if size == 0 or not head.strip():
        raise FileRefused("The file is empty")
    if kind == "xlsx":
        if not head.startswith(ZIP_MAGIC):
            raise FileRefused("The file is named .xlsx but is not an Excel workbook")
        return
    if head.startswith(ZIP_MAGIC):
        raise FileRefused("The file is named .csv but is a workbook: name it .xlsx or save it as CSV UTF-8")
    if head.startswith(UTF16_BOMS) or b"\x00" in head:
        raise FileRefused(
            "The file is not CSV text in UTF-8 (it looks like UTF-16 or a binary file): "
            "save it as ‘CSV UTF-8 (comma delimited)’ and upload it again"
        )


@dataclass
class Table:
    """The header as found, and the data rows as (spreadsheet row number, {column: value})."""

    header: list
    rows: list = field(default_factory=list)


def normalise_header(name):
    return " ".join(str(name or "").replace("\ufeff", "").replace("_", " ").lower().split())


def plain_text(value):
    """Strip spaces; undo the apostrophe our exports put before formula-like text."""
    if value is None:
        return ""
    if value.__class__ is str:
        value = value.strip()
        if value[:1] == "'" and value[1:2] and value[1:2] in FORMULA_TRIGGERS:
            return value[1:]
    return value


def read_table(source, kind, columns):
    """Read `source` (a binary file object) as `kind`, keyed by the importer's column names.

    `columns` are the importer's Column declarations; header cells are matched ignoring case,
    spaces and underscores. Raises FileRefused for anything unreadable."""
    raw_rows = _csv_rows(source) if kind == "csv" else _xlsx_rows(source)
    header = next(raw_rows, None)
    if header is None or not any(str(cell or "").strip() for cell in header):
        raise FileRefused("The file is empty: it has no header row")
    positions = _column_positions(header, columns)
    table = Table(header=[str(cell or "").strip() for cell in header])
    width = len(header)
    wanted = list(positions.items())
    for number, cells in enumerate(raw_rows, start=2):
        if not any(_filled(cell) for cell in cells):
            continue  # blank lines, often at the end of a sheet
        count = len(cells)
        row = {name: (plain_text(cells[index]) if index < count else "") for name, index in wanted}
        if count > width and any(_filled(cell) for cell in cells[width:]):
            row["__problem__"] = f"has {count} cells but the header has {width}"
        table.rows.append((number, row))
    if not table.rows:
        raise FileRefused("The file has a header row but no records")
    return table


def _filled(cell):
    return cell is not None and (cell.__class__ is not str or cell.strip() != "")


def _column_positions(header, columns):
    found = {}
    for index, cell in enumerate(header):
        key = normalise_header(cell)
        if not key:
            continue  # an unnamed index column, as in the Home Office tables
        if key in found:
            raise FileRefused(f"The column ‘{str(cell).strip()}’ appears twice in the header")
        found[key] = index
    positions, missing = {}, []
    for column in columns:
        index = found.get(normalise_header(column.name))
        if index is None:
            if column.required:
                missing.append(column.name)
            continue
        positions[column.name] = index
    if missing:
        shown = ", ".join(str(cell).strip() for cell in header[:12] if str(cell or "").strip())
        raise FileRefused(
            f"The file’s columns do not match this record type. Missing: {', '.join(missing)}. "
            f"Found: {shown or 'no column names'}. Download the template to see the columns expected."
        )
    return positions


def _csv_rows(source):
    data = source.read()
    if not data.strip():
        raise FileRefused("The file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        line = data.count(b"\n", 0, bad.start) + 1
        raise FileRefused(
            f"The file is not UTF-8 text: line {line} holds characters that cannot be read "
            "(it may have been saved as Latin-1 or ANSI). Save it as ‘CSV UTF-8 (comma delimited)’ "
            "and upload it again"
        ) from bad
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as bad:
        raise FileRefused(f"Line {reader.line_num} of the file cannot be read as CSV: {bad}") from bad


def _xlsx_rows(source):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # data_only=False so formulas show as formulas: a workbook's cached results may be
        # stale or absent (files written by scripts), so formulas are refused, not trusted.
        workbook = load_workbook(source, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as bad:
        raise FileRefused("The file cannot be read as an Excel workbook (.xlsx)") from bad
    try:
        sheet = workbook.worksheets[0]
        for cells in sheet.iter_rows():
            values = []
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    raise FileRefused(
                        f"Cell {cell.coordinate} holds a formula. Imports take values only: copy the "
                        "sheet and paste it as values, then upload it again"
                    )
                values.append(cell.value)
            yield values
    finally:
        workbook.close()

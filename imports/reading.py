"""Reading an uploaded CSV or XLSX into rows, refusing what cannot be read with a plain reason.

The format work is left to the standard library's csv module and openpyxl; this module only
decides what is acceptable: the extension and the content must agree, text must be UTF-8,
workbooks may not hold formulas (their cached results may be stale or missing) and must pass
`workbooks.inspect`, the header must hold the columns the record type needs, and every row
must have the header's cells. A file cut short (a short last line with no line ending, a
quote left open, a character cut in two, a workbook without its end) is refused whole, with
the line named: padding a short row would store a cut value ("Local" for "Local resolution").

`format_of` and `sniff` are cheap enough for the upload request; `read_table` reads every row
and runs in the preview task.
"""

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings

from core.exports import FORMULA_TRIGGERS

from . import workbooks
from .errors import FileRefused

__all__ = ["FileRefused", "Table", "format_of", "read_table", "sniff"]

FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


ROWS_BETWEEN_REPORTS = 5000
MAX_LINES_NAMED = 5


def read_table(source, kind, columns, progress=None):
    """Read `source` (a binary file object) as `kind`, keyed by the importer's column names.

    `columns` are the importer's Column declarations; header cells are matched ignoring case,
    spaces and underscores. Every data row must have exactly the header's cells: a row with
    fewer or more is how a file cut short, or a delimiter inside an unquoted value, shows, so
    the whole file is refused naming the lines rather than guessing what the row meant.
    `progress(rows_read)` is called now and then. Raises FileRefused for anything unreadable."""
    raw_rows = _csv_rows(source) if kind == "csv" else _xlsx_rows(source)
    header = next(raw_rows, None)
    if header is None or not any(_filled(cell) for cell in header):
        raise FileRefused("The file is empty: it has no header row")
    header = _trimmed(header) if kind == "xlsx" else list(header)
    positions = _column_positions(header, columns)
    table = Table(header=[str(cell or "").strip() for cell in header])
    width = len(header)
    wanted = list(positions.items())
    ragged = []
    for number, cells in raw_rows:
        if kind == "xlsx":
            cells = _within(cells, width, number)
        elif len(cells) != width and (cells or number.cut):
            ragged.append((number, len(cells)))
            if len(ragged) > MAX_LINES_NAMED:
                break
            continue
        if not any(_filled(cell) for cell in cells):
            continue  # blank lines, often at the end of a sheet
        table.rows.append((int(number), {name: plain_text(cells[index]) for name, index in wanted}))
        if progress and len(table.rows) % ROWS_BETWEEN_REPORTS == 0:
            progress(len(table.rows))
    if ragged:
        raise FileRefused(_ragged_message(ragged, width))
    if not table.rows:
        raise FileRefused("The file has a header row but no records")
    return table


def _ragged_message(ragged, width):
    last, count = ragged[-1]
    if last.cut:
        return (
            f"The file ends part-way through line {last.line:,}: that line has {count} of the "
            f"header’s {width} cells and no line ending, so the file looks cut short. Nothing was "
            "imported: upload the whole file"
        )
    shown = ragged[:MAX_LINES_NAMED]
    lines = "; ".join(f"line {number.line:,} has {count}" for number, count in shown)
    more = " (and more)" if len(ragged) > MAX_LINES_NAMED else ""
    return (
        f"Every line must have the header’s {width} cells, but {lines}{more}. A value holding a "
        "comma must be in double quotes; a line with too few cells may be cut short. Nothing was "
        "imported: correct the file and upload it again"
    )


class RowNumber(int):
    """A record's number as a spreadsheet counts rows (header = 1), with the physical line it
    ends on (a quoted value may span lines) and whether the file stops inside it."""

    def __new__(cls, number, line, cut=False):
        value = super().__new__(cls, number)
        value.line, value.cut = line, cut
        return value


def _trimmed(header):
    """A workbook row runs to its last styled cell: empty cells after the header's last are not columns."""
    header = list(header)
    while header and not _filled(header[-1]):
        header.pop()
    return header


def _within(cells, width, number):
    """Cells of a workbook row within the header's columns, padded: a cell left empty in a
    spreadsheet is simply absent. A value beyond the last named column is refused."""
    for index in range(width, len(cells)):
        if _filled(cells[index]):
            from openpyxl.utils import get_column_letter

            raise FileRefused(
                f"Row {int(number):,} has a value in column {get_column_letter(index + 1)}, after the "
                f"header’s last column ({width}): give that column a name or remove the value"
            )
    cells = list(cells[:width])
    return cells + [None] * (width - len(cells))


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
    """The header's cells, then (RowNumber, cells) for each record."""
    data = source.read()
    if not data.strip():
        raise FileRefused("The file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        line = data.count(b"\n", 0, bad.start) + 1
        if bad.end == len(data) and "unexpected end" in bad.reason:
            raise FileRefused(
                f"The file ends part-way through a character on line {line:,}, so it looks cut "
                "short. Nothing was imported: upload the whole file"
            ) from bad
        raise FileRefused(
            f"The file is not UTF-8 text: line {line} holds characters that cannot be read "
            "(it may have been saved as Latin-1 or ANSI). Save it as ‘CSV UTF-8 (comma delimited)’ "
            "and upload it again"
        ) from bad
    ends_a_line = text.endswith(("\n", "\r"))
    lines = _Lines(text)
    # strict: a quote left open runs to the end of the file, which the lenient reader would
    # accept as one long value; a stray character after a closing quote is refused too.
    reader = csv.reader(lines, strict=True)
    starts = 1
    try:
        header = next(reader, None)
        if header is None:
            return
        yield header
        number = 1
        while True:
            starts = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                return
            number += 1
            # Only the last record can be cut: the one not followed by a line ending.
            yield RowNumber(number, reader.line_num, not ends_a_line and lines.at_end), cells
    except csv.Error as bad:
        # A quote left open swallows the lines after it: the reader stops at the end of the
        # file, or earlier at its limit on one value's length.
        if "unexpected end of data" in str(bad) or "field limit" in str(bad):
            raise FileRefused(
                f"A quoted value that starts on line {starts:,} is never closed, so the rest of the "
                "file runs into it: the file looks cut short, or a closing quote is missing. Nothing "
                "was imported: correct it or upload the whole file"
            ) from bad
        raise FileRefused(
            f"Line {reader.line_num:,} of the file cannot be read as CSV ({bad}): a value holding "
            "quotes must be in double quotes, with each quote inside it doubled"
        ) from bad


class _Lines:
    """The text's lines for the csv reader, knowing when the last one has been handed out."""

    def __init__(self, text):
        self._text = io.StringIO(text, newline="")
        self._length = len(text)
        self.at_end = False

    def __iter__(self):
        return self

    def __next__(self):
        line = self._text.readline()
        if not line:
            raise StopIteration
        self.at_end = self._text.tell() >= self._length
        return line


def _xlsx_rows(source):
    """The header's cells, then (RowNumber, cells) for each row of the first worksheet."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    source.seek(0, io.SEEK_END)
    workbooks.inspect(source, source.tell())
    try:
        # data_only=False so formulas show as formulas: a workbook's cached results may be
        # stale or absent (files written by scripts), so formulas are refused, not trusted.
        workbook = load_workbook(source, read_only=True, data_only=False)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        ParseError,
    ) as bad:
        # openpyxl wraps what the parser found ("Unable to read workbook") around its cause.
        cause = _first_cause(bad, (DefusedXmlException, ParseError))
        if isinstance(cause, DefusedXmlException):
            raise FileRefused(workbooks.DECLARATIONS_REFUSED.format(part="the workbook")) from bad
        if isinstance(cause, ParseError):
            raise FileRefused(_damaged("the workbook", cause)) from bad
        raise FileRefused("The file cannot be read as an Excel workbook (.xlsx)") from bad
    try:
        sheet = workbook.worksheets[0]
        # The sheet's own note of its size may be wrong (files written by scripts); read only
        # mode would trust it and stop early, so every row present is read instead.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    raise FileRefused(
                        f"Cell {cell.coordinate} holds a formula. Imports take values only: copy the "
                        "sheet and paste it as values, then upload it again"
                    )
                values.append(cell.value)
            yield values if number == 1 else (RowNumber(number, number), values)
    except DefusedXmlException as bad:
        raise FileRefused(workbooks.DECLARATIONS_REFUSED.format(part="the sheet")) from bad
    except ParseError as bad:
        raise FileRefused(_damaged("the sheet", bad)) from bad
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as bad:
        raise FileRefused("The workbook is damaged: its sheet cannot be unpacked") from bad
    finally:
        workbook.close()


def _first_cause(error, kinds):
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kinds):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def _damaged(part, error):
    line, column = getattr(error, "position", (0, 0))
    return (
        f"The workbook is damaged: the XML of {part} cannot be read (line {line}, column {column}), "
        "as happens when a file is cut short or written by a faulty program. Open it in Excel and "
        "save it again, or save it as CSV UTF-8, and upload that"
    )

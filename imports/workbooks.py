"""What makes an uploaded workbook (.xlsx) safe to open, checked without reading its rows.

A workbook is a zip of XML parts. Three things in one can hurt the server that opens it:
- a zip bomb: a part that inflates a thousandfold (a few kilobytes uploaded, gigabytes read);
- XML with a document type declaration: entities that expand exponentially ("billion laughs")
  or that name files and URLs (external entities);
- a file cut short in transfer, which would otherwise be reported as merely "not a workbook".

`inspect()` looks only at the zip's directory and at the first bytes of each XML part, so it
is cheap enough for the upload request. Reading the rows later goes through openpyxl, which
parses with defusedxml (a dependency, checked at start-up by `defused_parsing_problems()`), so
a declaration that slipped past the first bytes is still refused there.
"""

import re
import zipfile

from django.conf import settings

from .errors import FileRefused

END_OF_DIRECTORY = b"PK\x05\x06"
# The end-of-directory record is the last 22 bytes, after a comment of at most 64 KB.
END_SEARCH_BYTES = 22 + 65535
# Spreadsheet XML inflates 5 to 20 times; a crafted part thousands of times.
MAX_INFLATION = 200
INFLATION_FLOOR = 1024 * 1024  # small parts (styles, themes) may compress very well
# How much the parts of a workbook may hold, inflated, per byte the upload limit allows.
MAX_INFLATED_PER_UPLOAD_BYTE = 20
PROLOG_BYTES = 64 * 1024
ROOT_ELEMENT = re.compile(rb"<[^?!]")
DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)")

NOT_A_WORKBOOK = "The file cannot be read as an Excel workbook (.xlsx)"
DECLARATIONS_REFUSED = (
    "The workbook holds XML declarations (a DOCTYPE or ENTITY in {part}), which spreadsheet "
    "programs never write and which can be used to attack a server: it is refused. Open it in "
    "Excel and save it again, or save it as CSV UTF-8, and upload that"
)


def inspect(file, size):
    """FileRefused unless `file` (seekable, binary) is a whole, plausible, declaration-free workbook."""
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        file.seek(max(0, size - END_SEARCH_BYTES))
        if END_OF_DIRECTORY not in file.read():
            raise FileRefused(
                f"{NOT_A_WORKBOOK}: its end is missing, as when a file is cut short while being "
                "copied or uploaded. Nothing was imported: upload the whole file"
            ) from None
        raise FileRefused(NOT_A_WORKBOOK) from None
    except (OSError, ValueError, EOFError):
        raise FileRefused(NOT_A_WORKBOOK) from None
    try:
        with archive:
            _check_parts(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        raise FileRefused(f"{NOT_A_WORKBOOK}: it is damaged") from None
    finally:
        file.seek(0)


def _check_parts(archive):
    parts = archive.infolist()
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        raise FileRefused(NOT_A_WORKBOOK)
    limit = settings.IMPORT_MAX_UPLOAD_BYTES * MAX_INFLATED_PER_UPLOAD_BYTE
    inflated = 0
    for part in parts:
        inflated += part.file_size
        bomb = part.file_size > INFLATION_FLOOR and part.file_size > MAX_INFLATION * max(
            part.compress_size, 1
        )
        if bomb or inflated > limit:
            raise FileRefused(
                f"The workbook’s part {part.filename} would unpack to {part.file_size:,} bytes from "
                f"{part.compress_size:,}: far more than any spreadsheet holds, so it is refused. "
                "Save it as CSV UTF-8 and upload that"
            )
    for part in parts:
        if part.filename.endswith((".xml", ".rels", ".vml")):
            _check_prolog(archive, part)


def _check_prolog(archive, part):
    """A DTD can only come before the root element: the first bytes of the part settle it."""
    with archive.open(part) as stream:
        head = stream.read(PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    root = ROOT_ELEMENT.search(head)
    prolog = head[: root.start()] if root else head
    if DECLARATION.search(prolog) or (root is None and part.file_size > PROLOG_BYTES):
        raise FileRefused(DECLARATIONS_REFUSED.format(part=part.filename))


def defused_parsing_problems():
    """Why openpyxl would parse workbooks with the unprotected standard parser, or []."""
    import openpyxl

    try:
        import defusedxml  # noqa: F401
    except ImportError:
        return ["defusedxml is not installed: workbooks would be parsed without its protection"]
    if not openpyxl.DEFUSEDXML:
        return ["openpyxl does not use defusedxml (is OPENPYXL_DEFUSEDXML set to something else than True?)"]
    return []

"""One pass over a file: classify every record, and (when writing) write them all in one
transaction, or nothing at all."""

import gc
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .outcomes import CREATED, UNCHANGED, UPDATED, RowInvalid, Skipped, validation_reasons

PROGRESS_EVERY = 500  # rows between progress reports


class ImportRefused(Exception):
    """Raised inside the transaction when any row is invalid, so that nothing is written."""

    def __init__(self, result):
        super().__init__(f"{result.invalid} invalid record(s)")
        self.result = result


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    skipped: int = 0
    skip_reasons: Counter = field(default_factory=Counter)
    row_errors: list = field(default_factory=list)
    more_errors: int = 0

    def count(self, outcome, size):
        if isinstance(outcome, Skipped):
            self.skipped += size
            self.skip_reasons[outcome.reason] += size
        elif outcome in (CREATED, UPDATED, UNCHANGED):
            setattr(self, outcome, getattr(self, outcome) + 1)
        else:
            raise ValueError(f"an import session returned {outcome!r}")

    def reject(self, lines, reasons, limit):
        self.invalid += 1
        if len(self.row_errors) >= limit:
            self.more_errors += 1
            return
        self.row_errors.append(
            {
                "line": int(lines[0][0]),
                "lines": [int(number) for number, _ in lines],
                "reason": "; ".join(reasons),
                "reasons": reasons,
            }
        )


def grouped(importer, rows):
    """[(row number, row)] lists, one per record, in the order records first appear."""
    groups = {}
    for number, row in rows:
        key = importer.group_key(row)
        groups.setdefault(number if key is None else ("key", key), []).append((number, row))
    return list(groups.values())


def plain_reasons(importer, error):
    """Every problem of a record, as the user reads it: "Date seized: enter a date"."""
    if isinstance(error, RowInvalid):
        return error.reasons
    return validation_reasons(error, importer.field_columns)


@contextmanager
def _rows_out_of_collectors_sight():
    """The file's rows (and everything else already loaded) live for the whole run: frozen, the
    garbage collector no longer walks them again on each full collection — about a tenth of a
    100,000-row import. Records made during the run are collected as usual."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run(importer, table, *, user, options, write, progress=None, error_limit=1000):
    """Classify (and when `write`, write) every record of `table`. Writing happens in one
    transaction that is rolled back when any record is invalid (ImportRefused)."""
    result = ImportResult()
    total = len(table.rows)
    with _rows_out_of_collectors_sight(), transaction.atomic():
        session = importer.start(user=user, options=options, write=write)
        records = grouped(importer, table.rows)
        session.prefetch(records)
        reported = 0
        for lines in records:
            result.rows += len(lines)
            try:
                outcome = session.handle(lines)
            except (RowInvalid, ValidationError) as invalid:
                result.reject(lines, plain_reasons(importer, invalid), error_limit)
            else:
                result.count(outcome, len(lines))
            if progress and result.rows - reported >= PROGRESS_EVERY:
                reported = result.rows
                progress(result.rows, total)
        if write:
            if result.invalid:
                raise ImportRefused(result)
            session.finish()
    if progress:
        progress(result.rows, total)
    return result

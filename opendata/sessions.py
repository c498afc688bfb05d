"""What every open-data import session shares: the configured forces, the records to write
and the months they change, and validation without a query per row."""

from core.periodlocks import LockBook, dated_in
from imports import ImportSession, RowInvalid, Skipped

from .forces import ForceDirectory


def skip_other_force(name):
    return Skipped(f"from {name or 'no force'}, a force not configured here")


class OpenDataSession(ImportSession):
    # The column whose date places a row in a period (named when a published period refuses it).
    DATE_COLUMN = "Month"

    def __init__(self, write, *, user=None):
        self.write = write
        self.user = user
        self.forces = ForceDirectory()
        self.new, self.changed, self.counted = [], [], set()
        self.locks = LockBook()

    def _guard(self, record, existing=None):
        """Refuse a row that adds to or changes figures published with changes refused (the
        publisher's correction waits for a manager to reopen the quarter, as an analyst's does);
        note it for the changes listed since publication otherwise."""
        cells = dated_in(record) | (dated_in(existing) if existing is not None else frozenset())
        if refused := self.locks.refusal_for(cells):
            raise RowInvalid(f"{self.DATE_COLUMN}: {refused}")
        if self.write:
            self.locks.note(record, cells, "Imported")

    def _record_flagged(self):
        self.locks.record(user=self.user)

    def _validated(self, record, check):
        """The model's own field rules (lengths, choices) with the row's unreadable cells listed
        too. Uniqueness is checked against the keys loaded in prefetch(), and the force and
        district were found among those loaded once per file: no query per row."""
        check.finish(lambda: record, exclude=["force", "area"])
        record.full_clean(exclude=["force", "area"], validate_unique=False, validate_constraints=False)
        return record

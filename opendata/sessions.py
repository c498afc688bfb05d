"""What every open-data import session shares: the configured forces, the records to write
and the months they change, and validation without a query per row."""

from imports import ImportSession, Skipped

from .forces import ForceDirectory


def skip_other_force(name):
    return Skipped(f"from {name or 'no force'}, a force not configured here")


class OpenDataSession(ImportSession):
    def __init__(self, write):
        self.write = write
        self.forces = ForceDirectory()
        self.new, self.changed, self.counted = [], [], set()

    def _validated(self, record, check):
        """The model's own field rules (lengths, choices) with the row's unreadable cells listed
        too. Uniqueness is checked against the keys loaded in prefetch(), and the force and
        district were found among those loaded once per file: no query per row."""
        check.finish(lambda: record, exclude=["force", "area"])
        record.full_clean(exclude=["force", "area"], validate_unique=False, validate_constraints=False)
        return record

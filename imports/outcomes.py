"""What handling one record can come to."""

from dataclasses import dataclass

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


class RowInvalid(Exception):
    """A record that cannot be imported; the reason is shown to the user with its row."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Skipped:
    """A row left out on purpose and counted under its reason (another crime type, a force
    that is not configured here): nothing is lost silently."""

    reason: str

"""What handling one record can come to."""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


class RowInvalid(Exception):
    """A record that cannot be imported; its reasons (one, or every problem found in the row)
    are shown to the user with its row."""

    def __init__(self, reason):
        self.reasons = list(reason) if isinstance(reason, list | tuple) else [reason]
        self.reason = "; ".join(self.reasons)
        super().__init__(self.reason)


@dataclass(frozen=True)
class Skipped:
    """A row left out on purpose and counted under its reason (another crime type, a force
    that is not configured here): nothing is lost silently."""

    reason: str


def validation_reasons(error, field_columns):
    """A model's ValidationError as the user reads it, naming the file's columns: "Postcode: …"."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        label = "" if name == NON_FIELD_ERRORS else field_columns.get(name, name.replace("_", " "))
        parts.extend(f"{label}: {message}" if label else message for message in messages)
    return parts

"""Reading cell values the way people type them in spreadsheets, with plain messages, and
`RowCheck`, which reads a whole row before saying what is wrong with it."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from .outcomes import RowInvalid, validation_reasons

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


def text(row, column, *, required=False, max_length=None):
    value = row.get(column, "")
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise RowInvalid(f"{column}: enter a value")
    if max_length and len(value) > max_length:
        raise RowInvalid(f"{column}: no more than {max_length} characters")
    return value


def date(row, column, *, required=True):
    value = row.get(column, "")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    value = str(value or "").strip()
    if not value:
        if required:
            raise RowInvalid(f"{column}: enter a date")
        return None
    if ISO_DATE.fullmatch(value):
        # The usual case, as exports write it, without strptime working out the layout each time.
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass  # 2025-02-30: the message below
    for layout in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, layout).date()
        except ValueError:
            continue
    raise RowInvalid(f"{column}: ‘{value}’ is not a date (use 2025-06-30 or 30/06/2025)")


def month(row, column):
    """'2018-07' (police.uk) -> date(2018, 7, 1)."""
    value = str(row.get(column, "") or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise RowInvalid(f"{column}: ‘{value}’ is not a month like 2018-07")
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


def decimal(row, column, *, required=True):
    value = row.get(column, "")
    if isinstance(value, float | int):
        return Decimal(str(value))
    value = str(value or "").strip().replace(",", "")
    if not value:
        if required:
            raise RowInvalid(f"{column}: enter a number")
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RowInvalid(f"{column}: ‘{value}’ is not a number") from None
    if not number.is_finite():
        raise RowInvalid(f"{column}: ‘{value}’ is not a number")
    return number


def integer(row, column, *, required=True):
    number = decimal(row, column, required=required)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise RowInvalid(f"{column}: enter a whole number")
    return int(number)


def boolean(row, column):
    value = row.get(column, "")
    if isinstance(value, bool):
        return value
    word = str(value or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RowInvalid(f"{column}: answer yes or no")


def choice(row, column, choices, *, required=True):
    """A TextChoices value given as its value or its label (as exports show it)."""
    value = str(row.get(column, "") or "").strip()
    if not value:
        if required:
            raise RowInvalid(f"{column}: enter a value")
        return ""
    lowered = value.lower()
    for stored, label in choices:
        if lowered in (str(stored).lower(), str(label).lower()):
            return stored
    allowed = ", ".join(str(stored) for stored, _ in choices)
    raise RowInvalid(f"{column}: ‘{value}’ is not one of {allowed}")


class RowCheck:
    """Reads the cells of one record keeping every problem, not only the first, so that a row
    is corrected once rather than once per mistake.

        check = RowCheck()
        fields = {"seized_on": check(read.date, row, "Date seized"), ...}
        check.finish(lambda: Seizure(**fields), field_columns, exclude=["force"])

    A cell that cannot be read gives None and its reason; `finish` then also runs the model's
    field rules on the cells that were read, and raises RowInvalid with every reason."""

    def __init__(self):
        self.problems = []

    def __call__(self, read, *args, **kwargs):
        try:
            return read(*args, **kwargs)
        except RowInvalid as invalid:
            self.problems.extend(invalid.reasons)
            return None

    def finish(self, build=None, field_columns=None, *, exclude=()):
        """RowInvalid with every problem, if there is any. `build()` gives the record as read
        (None for each unreadable cell), to add the problems its field rules find."""
        if not self.problems:
            return
        if build is not None:
            record = build()
            # Field rules only: the model's clean() compares fields, and some are missing here.
            unread = [f.name for f in record._meta.concrete_fields if getattr(record, f.attname) is None]
            try:
                record.clean_fields(exclude=[*exclude, *unread])
            except ValidationError as invalid:
                self.problems.extend(validation_reasons(invalid, field_columns or {}))
        raise RowInvalid(self.problems)

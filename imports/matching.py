"""Finding reference records (forces, districts, drugs) by what people type in a file."""

from django.db.models.functions import Lower

from .outcomes import RowInvalid
from .values import text


class NameLookup:
    """Records of `queryset` found by any of `fields` ignoring case and spaces: loaded once,
    then any number of look-ups without a query."""

    def __init__(self, queryset, fields=("name",), *, within=None):
        self._within = within
        self._by_text = {}
        self.names = []
        for record in queryset:
            scope = getattr(record, within) if within else None
            self.names.append(str(record))
            for name in fields:
                value = getattr(record, name, None)
                if value not in (None, ""):
                    self._by_text.setdefault((scope, _key(value)), record)

    def find(self, text, *, column, scope=None, required=True):
        text = "" if text is None else str(text).strip()
        if not text:
            if required:
                raise RowInvalid(f"{column}: enter a value")
            return None
        found = self._by_text.get((scope, _key(text)))
        if found is None:
            raise RowInvalid(f"{column}: ‘{text}’ is not known here")
        return found


class ReferenceLookup:
    """Records a file names by reference (any case), each within its force. Only those the file
    names are loaded, in one query: a force has tens of thousands stored."""

    def __init__(self, records, references, *, noun, field="reference"):
        self.noun = noun
        wanted = {reference.lower() for reference in references if reference}
        found = records.annotate(lowered=Lower(field)).filter(lowered__in_array=wanted) if wanted else []
        self._by_reference = {(record.force_id, record.lowered): record for record in found}

    def find(self, row, column, *, force):
        """The record `row[column]` names for `force`; None when the cell is blank."""
        reference = text(row, column)
        if not reference:
            return None
        found = self._by_reference.get((force.pk, reference.lower()))
        if found is None:
            raise RowInvalid(f"{column}: {force} has no {self.noun} {reference}")
        return found


def _key(value):
    return " ".join(str(value).lower().split())


def stored(instance):
    """An unsaved copy of a stored record (its pk set) that full_clean() validates as the
    stored record changed, not as a new one clashing with itself."""
    instance._state.adding = False
    return instance

"""Finding reference records (forces, districts, drugs) by what people type in a file."""

from django.db.models.functions import Lower

from .outcomes import RowInvalid


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


def named_in_file(records, references, *, field="reference"):
    """The records whose `field` is among `references` in any case, by (force id, lower-case
    reference): a file names a few of the tens of thousands a force has stored."""
    wanted = {reference.lower() for reference in references if reference}
    if not wanted:
        return {}
    found = records.annotate(lowered=Lower(field)).filter(lowered__in_array=wanted)
    return {(record.force_id, record.lowered): record for record in found}


def _key(value):
    return " ".join(str(value).lower().split())


def stored(instance):
    """An unsaved copy of a stored record (its pk set) that full_clean() validates as the
    stored record changed, not as a new one clashing with itself."""
    instance._state.adding = False
    return instance

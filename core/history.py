"""Change history for detail pages, from django-simple-history: who, when, what changed."""

from dataclasses import dataclass, field

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: object
    who: object
    action: str
    reason: str
    changes: list = field(default_factory=list)


def history_of(instance, *, hidden_fields=()):
    """Newest first. Each entry lists the fields that changed, with their verbose names."""
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    labels = {f.attname: f.verbose_name for f in instance._meta.concrete_fields}
    labels.update({f.name: f.verbose_name for f in instance._meta.concrete_fields})
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            # Related records by name, not by id ("District: Rugby → Warwick").
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            changes = [
                Change(str(labels.get(c.field, c.field)).capitalize(), c.old, c.new)
                for c in delta.changes
                if c.field not in hidden_fields
            ]
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                action=ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    return list(reversed(entries))


def changed_after(model, moment, *, key="id"):
    """The ids (`key` of each version: the record's own id, or the id it belongs to) of `model`'s
    records created, changed or deleted after `moment`, from its change history. Every write of a
    service leaves a version, and versions are read here by their date's index, so a day's
    changes cost what they number, not what the table holds."""
    return model.history.filter(history_date__gt=moment).order_by().values(key)

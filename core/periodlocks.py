"""Published periods: a change to a record dated in a period whose figures were published is
refused, or allowed and listed as changed since publication (`PeriodLock.mode`).

The locks are written by whoever publishes figures (the strategy app's quarter sign-off); the
recording apps' services ask here before they write. A record is "dated in" a period when any
date a registered metric counts it by falls in it, for the force the metric counts it under —
so a record is guarded by exactly the figures it makes up, whatever its app, without each
service listing its dates (as `core.metrics.counted_on` does for the nightly rollup).
"""

import functools

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from . import metrics
from .models import ChangeAfterLock, PeriodLock


@functools.cache
def _place_paths(model):
    """(date path, force path) from a `model` record for every metric counting it (directly or
    through a relation): a seizure item is dated by its seizure's date and placed in its
    seizure's force. A metric whose force is not read through the same record as its date
    places nothing here."""
    paths = set()
    for metric, position in metrics.where_dates_reach(model):
        date_parts = metric.date_field.split("__")
        force_parts = metric.force_field.split("__")
        if force_parts[:position] == date_parts[:position]:
            paths.add((tuple(date_parts[position:]), tuple(force_parts[position:])))
    return frozenset(paths)


def _follow(record, path):
    """The value at the end of `path`; a relation at the end gives its id (no query)."""
    value = record
    for position, name in enumerate(path):
        if value is None:
            return None
        if position == len(path) - 1:
            field = value._meta.get_field(name)
            return getattr(value, field.attname)
        value = getattr(value, name)
    return value


def dated_in(record):
    """Every (force id, day) a registered metric counts `record` under, as it stands now."""
    cells = set()
    for date_path, force_path in _place_paths(type(record)._meta.concrete_model):
        day, force_id = _follow(record, date_path), _follow(record, force_path)
        if day is not None and force_id is not None:
            cells.add((force_id, day))
    return frozenset(cells)


def locks_over(cells, locks=None):
    """The locks in force that hold any of the (force id, day) cells. `locks`: the locks in
    force already read (an import reads them once), else one query."""
    cells = set(cells)
    if not cells:
        return []
    if locks is None:
        days = [day for _, day in cells]
        locks = PeriodLock.objects.in_force().filter(
            force_id__in={force for force, _ in cells}, start__lte=max(days), end__gte=min(days)
        )
    return [
        lock
        for lock in locks
        if any(force == lock.force_id and lock.start <= day <= lock.end for force, day in cells)
    ]


def refusal(locks):
    """The message refusing a change under these locks, or None when none refuses."""
    refusing = sorted(
        (lock for lock in locks if lock.mode == PeriodLock.Mode.REFUSE), key=lambda lock: lock.start
    )
    if not refusing:
        return None
    names = "; ".join(lock.label for lock in refusing)
    return (
        f"This record is dated in published figures ({names}). A manager must reopen the quarter, "
        "with a reason, before a record dated in it is recorded, changed or withdrawn."
    )


def guard_change(record, before=frozenset(), *, user, action, only_moved=False, locks=None):
    """Call inside the writing transaction, once the record holds its new values: refuse the
    change (ValidationError, so the transaction rolls back and the form or API says why) when it
    touches a period locked with mode "refuse"; otherwise list it under each "flag" lock it
    touches. `before`: `dated_in(record)` taken before the change.

    `only_moved`: the change touches only the dates it adds or removes, for a step of a workflow
    that dates itself (a referral entering treatment today) and leaves the figures of the
    record's other dates alone."""
    after = dated_in(record)
    cells = (before ^ after) if only_moved else (before | after)
    touched = locks_over(cells, locks)
    message = refusal(touched)
    if message:
        raise ValidationError(message)
    record_changes(touched, [record], user=user, action=action)
    return touched


def record_changes(locks, records, *, user, action):
    """List each record as changed under each (flag) lock."""
    flagged = [lock for lock in locks if lock.mode == PeriodLock.Mode.FLAG]
    if not flagged or not records:
        return
    content_type = ContentType.objects.get_for_model(type(records[0]))
    ChangeAfterLock.objects.bulk_create(
        ChangeAfterLock(
            lock=lock,
            content_type=content_type,
            object_id=record.pk,
            record_label=str(record)[:200],
            record_url=record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
            action=action,
            by=user,
        )
        for lock in flagged
        for record in records
    )


class LockBook:
    """The locks in force read once, for an import that checks thousands of rows: the message
    for a row's cells, and the flagged changes of the rows it wrote, listed at the end."""

    def __init__(self):
        self.locks = list(PeriodLock.objects.in_force())
        self.flagged = []

    def refusal_for(self, cells):
        return refusal(locks_over(cells, self.locks)) if self.locks else None

    def note(self, record, cells, action):
        if self.locks:
            touched = locks_over(cells, self.locks)
            if touched:
                self.flagged.append((touched, record, action))

    def record(self, *, user):
        for touched, record, action in self.flagged:
            record_changes(touched, [record], user=user, action=action)
        self.flagged.clear()


def changes_under(locks):
    return ChangeAfterLock.objects.filter(lock__in=locks).select_related("by", "content_type")

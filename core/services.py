"""What every app's services do the same way when they write a record."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError

from .metrics import counted_on, mark_counted
from .periodlocks import dated_in, guard_change


def audited(instance, user, reason=None):
    """Mark `instance` with who is changing it (and why) for its change history. The history
    middleware knows the user of a page request only; API calls, imports and tasks do not pass
    through it, so every service says who it writes for."""
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    return instance


def model_update(*, instance, fields, data, user, reason=None):
    """Set on `instance` the names of `fields` that `data` gives, validate the whole record
    (`full_clean`, so the model's own rules apply to the changed record as to a new one) and
    save it, with the user and reason in its history. Returns the names whose values changed."""
    changed = []
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        before = field.value_from_object(instance)
        setattr(instance, name, data[name])
        if field.value_from_object(instance) != before:
            changed.append(name)
    instance.full_clean()
    audited(instance, user, reason).save()
    return changed


def record_created(record, *, user):
    """Save a new, validated record with its user in its history; refuse it where a published
    period refuses changes (core.periodlocks) and mark the months it counts in."""
    audited(record, user).save()
    guard_change(record, user=user, action="Recorded")
    mark_counted(counted_on(record))
    return record


@contextmanager
def record_changing(model, record, *, user, noun):
    """Change a record inside `with record_changing(...) as locked:`, on the row locked against
    a concurrent change; a withdrawn record is refused. After the block, the change is held to
    the published periods of its old and new dates, and the months of both are marked."""
    locked = model.objects.select_for_update().get(pk=record.pk)
    if locked.is_withdrawn:
        raise ValidationError(f"A withdrawn {noun} cannot be changed")
    before, was = counted_on(locked), dated_in(locked)
    yield locked
    guard_change(locked, was, user=user, action="Changed")
    mark_counted(before, counted_on(locked))


def record_withdrawn(model, record, *, user, reason):
    """Withdraw a record with a reason, on the locked row: it stays, with who and why in its
    history, and leaves lists and figures (the months it counted in are marked)."""
    locked = model.objects.select_for_update().get(pk=record.pk)
    locked.withdraw(by=user, reason=reason)
    action = f"Withdrawn: {locked.withdrawal_reason}"
    audited(locked, user, action).save()
    guard_change(locked, user=user, action=action)
    mark_counted(counted_on(locked))
    return locked

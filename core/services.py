"""What every app's services do the same way when they write a record."""


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

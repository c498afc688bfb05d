"""What the apps' admin pages share."""

from .metrics import counted_through, mark_counted


class NeverDeletedAdmin:
    """For reference data the records point at (forces, districts, agencies, users, drugs and
    their prices): never deleted, by anyone, superusers included. The database would refuse it
    anyway (the records protect what they point at), but not before the admin's confirmation page
    had listed every record that refers to it — at a million seizures, minutes of a worker's
    time. Deactivate, or correct, instead."""

    def has_delete_permission(self, request, obj=None):
        return False


class FiguresFollowAdmin:
    """For reference data the figures read through a relation (an agency's kind, a district's
    force, a drug's code): a correction moves figures of months whose records did not change,
    so it marks those months for the nightly rollup."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            mark_counted(counted_through(obj))

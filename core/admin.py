"""What the apps' admin pages share."""


class NeverDeletedAdmin:
    """For reference data the records point at (forces, districts, agencies, users, drugs and
    their prices): never deleted, by anyone, superusers included. The database would refuse it
    anyway (the records protect what they point at), but not before the admin's confirmation page
    had listed every record that refers to it — at a million seizures, minutes of a worker's
    time. Deactivate, or correct, instead."""

    def has_delete_permission(self, request, obj=None):
        return False

"""Nothing is lost: records are withdrawn with a reason, never deleted by users."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class WithdrawableQuerySet(models.QuerySet):
    def live(self):
        """What lists, exports and metrics count: everything not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)


class Withdrawable(models.Model):
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawal_reason = models.TextField(blank=True, editable=False)

    objects = WithdrawableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    def withdraw(self, *, by, reason):
        """Mark withdrawn (the caller saves, inside its service's transaction)."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "Enter why the record is being withdrawn"})
        if self.is_withdrawn:
            raise ValidationError("This record has already been withdrawn")
        self.withdrawn_at = timezone.now()
        self.withdrawn_by = by
        self.withdrawal_reason = reason

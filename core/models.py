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


class ChangedMonth(models.Model):
    """A month of one recording app's records that changed since the last rollup.

    Services call `mark_changed()` whenever they create, edit or withdraw a record (for the
    record's old and new dates), so the nightly job recomputes only those months.
    """

    source = models.CharField(max_length=50, help_text="The recording app: seizures, offences, partners…")
    month = models.DateField(help_text="First day of the month")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "month"], name="changed_month_once")]

    def __str__(self):
        return f"{self.source} {self.month:%Y-%m}"


def mark_changed(source, *days):
    """Record that records of `source` dated on these days changed (None days are ignored)."""
    months = {day.replace(day=1) for day in days if day is not None}
    if not months:
        return
    existing = set(
        ChangedMonth.objects.filter(source=source, month__in=months).values_list("month", flat=True)
    )
    ChangedMonth.objects.filter(source=source, month__in=existing).update(marked_at=timezone.now())
    ChangedMonth.objects.bulk_create(
        [ChangedMonth(source=source, month=month) for month in months - existing], ignore_conflicts=True
    )

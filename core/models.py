"""Nothing is lost: records are withdrawn with a reason, never deleted by users. Also the
changed-month markers the nightly rollup reads, large list downloads built in the background,
and scheduled jobs asked to run now."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
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


class MonthVersion(models.Model):
    """How many times records of one recording app dated in one month have changed. Never reset
    (the rollup clears ChangedMonth, not this), so a sum cached with the version of its month is
    exact for as long as the version stays the same: the list totals read it
    (seizures.selectors.list_item_totals)."""

    source = models.CharField(max_length=50, help_text="The recording app: seizures, offences, partners…")
    month = models.DateField(help_text="First day of the month")
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "month"], name="month_version_once")]

    def __str__(self):
        return f"{self.source} {self.month:%Y-%m} version {self.version}"


def month_versions(source):
    """{first day of a month: its version} of every month of `source` that has changed."""
    return dict(MonthVersion.objects.filter(source=source).values_list("month", "version"))


def mark_changed(source, *days):
    """Record that records of `source` dated on these days changed (None days are ignored)."""
    months = {day.replace(day=1) for day in days if day is not None}
    if not months:
        return
    # Created where missing, then counted up in one UPDATE: two writers at once both count.
    MonthVersion.objects.bulk_create(
        [MonthVersion(source=source, month=month) for month in months], ignore_conflicts=True
    )
    MonthVersion.objects.filter(source=source, month__in=months).update(version=F("version") + 1)
    existing = set(
        ChangedMonth.objects.filter(source=source, month__in=months).values_list("month", flat=True)
    )
    ChangedMonth.objects.filter(source=source, month__in=existing).update(marked_at=timezone.now())
    ChangedMonth.objects.bulk_create(
        [ChangedMonth(source=source, month=month) for month in months - existing], ignore_conflicts=True
    )


class JobRequest(models.Model):
    """A scheduled job someone asked to run now, between its scheduled runs, until a worker
    takes it. One row per job: core.jobs sets `requested_at` only where it is empty or has
    lapsed, in one guarded UPDATE, so two people asking at once queue the job once."""

    job = models.CharField(max_length=50, unique=True, help_text="The job's beat schedule entry")
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        if self.requested_at is None:
            return self.job
        return f"{self.job} asked for at {self.requested_at:%Y-%m-%d %H:%M}"


def _download_path(download, filename):
    # The stored name never carries a user's words: the record's id and a random part.
    return f"downloads/{timezone.now():%Y/%m}/{download.pk}-{uuid.uuid4().hex}.{download.file_format}"


class DownloadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one door: a download is its requester's alone (it holds what their list showed
        them); anyone else asking for it gets a 404."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)


class Download(models.Model):
    """A list download too large to build while the page waits: a worker builds the file from
    the same list, filters and permissions, and the requester collects it. Files are removed
    after settings.DOWNLOAD_KEEP_HOURS."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        BUILDING = "building", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Removed"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    list_path = models.CharField(max_length=200, help_text="The list page the download is of")
    query = models.CharField(max_length=2000, blank=True, help_text="The list's filters and sort")
    file_format = models.CharField(max_length=10, default="xlsx")
    title = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=_download_path, blank=True, max_length=255)
    rows = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)  # the sweep removes old files
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DownloadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "building", "ready", "failed", "expired"]),
                name="download_status_known",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:download", args=[self.pk])

    @property
    def filename(self):
        return f"{self.title}.{self.file_format}"


class PeriodLockQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(released_at__isnull=True)


class PeriodLock(models.Model):
    """Records of a force dated from `start` to `end` are behind figures that were published
    (a quarter signed off). Written by whoever publishes figures; read by every service that
    writes records (`core.periodlocks.guard_change`), which refuses a change to such a record or
    lists it as changed since the figures were published, as `mode` says."""

    class Mode(models.TextChoices):
        REFUSE = "refuse", "Refused until a manager reopens the quarter"
        FLAG = "flag", "Allowed, and listed as changed since sign-off"

    # By name: core sits below geography, and knows a force only as the row records point at.
    force = models.ForeignKey("geography.Force", on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.REFUSE)
    # What users are told: "Warwickshire 2025-26 Q1, signed off on 3 July 2025 by Morgan Lee".
    label = models.CharField(max_length=300)
    locked_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    objects = PeriodLockQuerySet.as_manager()

    class Meta:
        ordering = ["force", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="lock_ends_after_start"
            )
        ]
        indexes = [
            # Every guarded write looks up the locks in force for its record's force and dates.
            models.Index(fields=["force", "start", "end"], name="period_lock_lookup"),
        ]

    def __str__(self):
        return self.label

    @property
    def in_force(self):
        return self.released_at is None


class ChangeAfterLock(models.Model):
    """A record dated in a locked period that was recorded, changed or withdrawn while the lock
    allowed it (mode "flag"): the list of what moved since the figures were published."""

    lock = models.ForeignKey(PeriodLock, on_delete=models.PROTECT, related_name="changes")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record_label = models.CharField(max_length=200)
    record_url = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["lock", "at"], name="change_after_lock_list")]  # the changes page

    def __str__(self):
        return f"{self.record_label}: {self.action}"

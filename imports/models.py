"""The record of every import: one batch per uploaded file, what its check found and what it wrote."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .registry import importers_for


def _upload_path(batch, filename):
    # The stored name never reuses the uploaded one: it may hold anything.
    return f"imports/{timezone.now():%Y/%m}/{batch.checksum[:16]}-{timezone.now():%H%M%S%f}.upload"


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one door to import batches: those of the record types the user may import.
        A batch named in a URL that is not among them is a 404."""
        if not user.is_authenticated or not user.has_perm("imports.view_importbatch"):
            return self.none()
        return self.filter(record_type__in=[importer.key for importer in importers_for(user)])


class ImportBatch(models.Model):
    """One uploaded file of records: what it held, what the preview found and what was written.

    Imports are all or nothing: a batch is written in one transaction once every row is valid,
    and re-importing the same file finds every record unchanged."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Checking"
        PREVIEWED = "previewed", "Ready to import"
        QUEUED = "queued", "Waiting to import"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        # The file cannot be imported as it is (unreadable, cut short, or rows that are not
        # valid): nothing was written, and the page says what to correct.
        REFUSED = "refused", "Refused"
        # Stopped by a fault of ours or of the worker, or closed unconfirmed: nothing written.
        FAILED = "failed", "Failed"

    FINISHED = (Status.DONE, Status.REFUSED, Status.FAILED)

    record_type = models.CharField(max_length=50, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_batches"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField("file name", max_length=255)
    checksum = models.CharField("SHA-256", max_length=64, db_index=True)  # "imported before?" look-up
    upload = models.FileField(upload_to=_upload_path, blank=True, max_length=255)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    task_id = models.CharField(max_length=50, blank=True)

    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # {"reason": rows}: rows left out on purpose (other crime types, forces not configured).
    skip_reasons = models.JSONField(default=dict, blank=True)
    # [{"line": 7, "lines": [7, 8], "reason": "…; …", "reasons": ["…", "…"]}] for every invalid
    # record (up to MAX_ROW_ERRORS), each with all of its problems.
    row_errors = models.JSONField(default=list, blank=True)
    progress = models.PositiveIntegerField(default=0, help_text="Rows processed so far")
    error = models.TextField(blank=True)

    previewed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    MAX_ROW_ERRORS = 10_000

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["uploaded", "previewed", "queued", "importing", "done", "refused", "failed"]
                ),
                name="import_status_known",
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.record_type})"

    @property
    def is_finished(self):
        return self.status in self.FINISHED

    @property
    def counts(self):
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "skipped": self.skipped,
        }

    @property
    def percent_done(self):
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.progress / self.rows) if self.rows else 0

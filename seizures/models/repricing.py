"""A bulk re-pricing: the items a new or corrected street price row may change, valued again
by a background job whose progress the page shows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from .drugs import StreetPrice


class RepriceJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Re-pricing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    price = models.ForeignKey(StreetPrice, on_delete=models.PROTECT, related_name="reprice_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=50, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0, help_text="Items to check")
    done = models.PositiveIntegerField(default=0, help_text="Items checked so far")
    changed = models.PositiveIntegerField(default=0, help_text="Items whose value, price or class changed")
    held = models.PositiveIntegerField(
        default=0, help_text="Items dated in published figures, kept at their published value"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="reprice_done_within_total"
            ),
        ]

    def __str__(self):
        return f"Re-pricing {self.pk} after {self.price}"

    def get_absolute_url(self):
        return reverse("seizures:reprice_job", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

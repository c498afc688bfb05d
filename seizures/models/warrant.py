"""A drugs search warrant (Misuse of Drugs Act 1971 s.23): applied for, issued, executed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Withdrawable, WithdrawableQuerySet
from geography.models import Area, Force

from .validation import area_outside_force, not_in_future


class WarrantQuerySet(WithdrawableQuerySet):
    def openable_by(self, user):
        return self if user.has_perm("seizures.view_withdrawn_warrant") else self.live()


class Warrant(Withdrawable):
    class Result(models.TextChoices):
        DRUGS_FOUND = "drugs_found", "Drugs found"
        NOTHING_FOUND = "nothing_found", "Nothing found"
        NOT_EXECUTED = "not_executed", "Not executed"

    reference = models.CharField(max_length=30)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="warrants")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="warrants", verbose_name="district")
    applied_on = models.DateField("date applied for", null=True, blank=True)
    issued_on = models.DateField("date issued")
    executed_on = models.DateField("date executed", null=True, blank=True)
    result = models.CharField(max_length=20, choices=Result.choices)
    arrests = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(blank=True)
    # The warrant's main date (executed, else issued): what the list filters and sorts by.
    dated_on = models.DateField(editable=False, blank=True, db_index=True)

    objects = WarrantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-dated_on", "-pk"]
        permissions = [("view_withdrawn_warrant", "Can open withdrawn warrants")]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "reference"],
                name="warrant_reference_unique_per_force",
                violation_error_message="This force already has a warrant with this reference",
            ),
            models.CheckConstraint(condition=Q(arrests__gte=0), name="warrant_arrests_not_negative"),
            models.CheckConstraint(
                condition=Q(applied_on__isnull=True) | Q(applied_on__lte=F("issued_on")),
                name="warrant_applied_before_issued",
            ),
            models.CheckConstraint(
                condition=Q(executed_on__isnull=True) | Q(executed_on__gte=F("issued_on")),
                name="warrant_issued_before_executed",
            ),
            models.CheckConstraint(
                condition=Q(result="not_executed", executed_on__isnull=True)
                | (~Q(result="not_executed") & Q(executed_on__isnull=False)),
                name="warrant_executed_date_matches_result",
            ),
        ]

    def __str__(self):
        return f"Warrant {self.reference}"

    def get_absolute_url(self):
        return reverse("seizures:warrant_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.dated_on = self.executed_on or self.issued_on
        super().save(*args, **kwargs)

    @property
    def was_executed(self):
        return self.executed_on is not None

    def clean(self):
        errors = {}
        for name, label in (
            ("applied_on", "The date applied for"),
            ("issued_on", "The date issued"),
            ("executed_on", "The date executed"),
        ):
            if message := not_in_future(getattr(self, name), label):
                errors[name] = message
        if self.applied_on and self.issued_on and self.applied_on > self.issued_on:
            errors.setdefault("applied_on", "The date applied for must be on or before the date issued")
        if self.issued_on and self.executed_on and self.executed_on < self.issued_on:
            errors.setdefault("executed_on", "The date executed must be on or after the date issued")
        if self.result == self.Result.NOT_EXECUTED and self.executed_on:
            errors.setdefault("executed_on", "Leave the date executed blank for a warrant not executed")
        if self.result and self.result != self.Result.NOT_EXECUTED and not self.executed_on:
            errors.setdefault("executed_on", "Enter the date the warrant was executed")
        if self.force_id and self.reference:
            taken = Warrant.objects.filter(force_id=self.force_id, reference=self.reference).exclude(
                pk=self.pk
            )
            if taken.exists():
                errors["reference"] = "This force already has a warrant with this reference"
        if self.force_id and self.area_id and (message := area_outside_force(self.area, self.force)):
            errors["area"] = message
        if errors:
            raise ValidationError(errors)

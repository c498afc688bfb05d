"""A drugs search warrant (Misuse of Drugs Act 1971 s.23): applied for, issued, executed, and
what its execution seized besides drugs (cash, under the Proceeds of Crime Act 2002, and other
property)."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Withdrawable, WithdrawableQuerySet
from geography.models import Area, Force

from .validation import area_outside_force, not_in_future

# The most cash one warrant could plausibly seize (£100m); more is a slip of the keyboard.
MAX_CASH_PENCE = 100_000_000 * 100


def execution_deadline(issued_on):
    """The last day a warrant issued on `issued_on` may be executed. PACE 1984 s16(3): entry
    and search under a warrant must be within three months from the date of its issue. A month
    is a calendar month (Interpretation Act 1978, Sch. 1), counted by the corresponding date:
    issued 15 January, executable to 15 April inclusive; where the third month has no such day,
    to its last day (issued 30 November, executable to 28 or 29 February)."""
    return issued_on + relativedelta(months=3)


def day_text(value):
    return f"{value.day} {value:%B %Y}"


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
    cash_seized_pence = models.BigIntegerField(
        "cash seized (pence)", default=0, help_text="Cash seized on execution (Proceeds of Crime Act 2002)"
    )
    other_property = models.TextField(
        "other property seized", blank=True, help_text="Vehicles, phones, scales, weapons…"
    )
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
                condition=Q(cash_seized_pence__gte=0, cash_seized_pence__lte=MAX_CASH_PENCE),
                name="warrant_cash_seized_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(result="not_executed") | Q(cash_seized_pence=0, other_property=""),
                name="warrant_seized_only_when_executed",
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
        if (
            self.issued_on
            and self.executed_on
            and self.executed_on > (deadline := execution_deadline(self.issued_on))
        ):
            errors.setdefault(
                "executed_on",
                f"A warrant must be executed within three months of issue (PACE s16(3)): this one, "
                f"issued on {day_text(self.issued_on)}, could be executed until {day_text(deadline)}",
            )
        if self.result == self.Result.NOT_EXECUTED and (self.cash_seized_pence or self.other_property):
            errors["cash_seized_pence"] = (
                "A warrant not executed seized nothing: leave cash and property blank"
            )
        if self.cash_seized_pence is not None and self.cash_seized_pence < 0:
            errors["cash_seized_pence"] = "Enter the cash seized as £0 or more"
        elif self.cash_seized_pence is not None and self.cash_seized_pence > MAX_CASH_PENCE:
            errors["cash_seized_pence"] = "Enter no more than £100,000,000: check the amount"
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
        if self.pk and self.issued_on and "issued_on" not in errors:
            earlier = self.seizures.live().filter(seized_on__lt=self.issued_on).order_by("seized_on").first()
            if earlier is not None:
                errors["issued_on"] = (
                    f"Seizure {earlier.reference} under this warrant is dated {day_text(earlier.seized_on)}, "
                    "before this date: a warrant is issued before anything is seized under it"
                )
        if errors:
            raise ValidationError(errors)

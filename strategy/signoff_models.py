"""Published figures: a quarter signed off for a force or the whole alliance, the facts as they
stood when it was signed off, its history, the force's choice of what a later change does, the
analysts' commentary of each indicator for the quarter and the managers who get the pack."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from core.models import PeriodLock
from core.periods import financial_quarter, financial_year_of
from geography.models import Area, Force


def quarter_of(start):
    """The financial quarter starting on `start`."""
    year = financial_year_of(start)
    return financial_quarter(year, (start.month - 4) % 12 // 3 + 1)


class QuarterSignOff(models.Model):
    """The state of one quarter's figures for a force, or the alliance (no force): prepared by an
    analyst (ready), signed off by a manager, reopened by a manager with a reason. A quarter
    nobody has marked ready has no row."""

    class Status(models.TextChoices):
        READY = "ready", "Ready for sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        REOPENED = "reopened", "Reopened"

    start = models.DateField(help_text="The quarter's first day")
    end = models.DateField(help_text="The quarter's last day")
    force = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank: the alliance",
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    # The latest sign-off, whose snapshot is the published figure (kept while reopened too).
    published = models.ForeignKey(
        "SignOffEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The period locks of the current sign-off, one per force it covers; released on reopening.
    locks = models.ManyToManyField(PeriodLock, blank=True, related_name="+")

    class Meta:
        ordering = ["-start", "force__name"]
        permissions = [
            ("prepare_quarter", "Can mark a quarter's figures ready for sign-off"),
            ("sign_off_quarter", "Can sign off a quarter's figures"),
            ("reopen_quarter", "Can reopen a signed-off quarter"),
        ]
        constraints = [
            models.UniqueConstraint("start", Coalesce("force", 0), name="one_sign_off_per_quarter_and_scope"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="sign_off_quarter_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.scope_label} {self.quarter.label}: {self.get_status_display()}"

    @property
    def quarter(self):
        return quarter_of(self.start)

    @property
    def scope_label(self):
        return str(self.force) if self.force_id else "Alliance"


class SignOffEvent(models.Model):
    """One step in a quarter's history: marked ready, signed off (with the snapshot of its facts),
    reopened (with the reason)."""

    class Action(models.TextChoices):
        READY = "ready", "Marked ready for sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        REOPENED = "reopened", "Reopened"

    sign_off = models.ForeignKey(QuarterSignOff, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    # Signed off: the last day the figures then counted records to, and whether bulk sign-off did it.
    through = models.DateField(null=True, blank=True)
    in_bulk = models.BooleanField(default=False)

    class Meta:
        ordering = ["sign_off", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="reopened") | ~Q(reason=""), name="a_reopening_gives_its_reason"
            )
        ]

    def __str__(self):
        return f"{self.sign_off}: {self.get_action_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"


class SignedOffFact(models.Model):
    """A fact as it stood when its quarter was signed off: the published figure. Never changed
    afterwards, whatever happens to the records or the facts."""

    event = models.ForeignKey(SignOffEvent, on_delete=models.PROTECT, related_name="facts")
    metric = models.CharField(max_length=100)
    month = models.DateField()
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(max_length=50, blank=True)
    dimension_value = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "metric", "dimension", "dimension_value", "month", "force", "area"],
                name="one_signed_off_fact_per_cell",
            )
        ]
        indexes = [
            # Published figures are read by sign-off and slice, as the dashboards read facts.
            models.Index(
                fields=["event", "metric", "dimension", "dimension_value"], name="signed_off_fact_lookup"
            ),
        ]

    def __str__(self):
        return f"{self.metric} {self.month:%Y-%m} {self.area}: {self.value} (as signed off)"


class SignOffPolicy(models.Model):
    """What a force wants done with a change to a record dated in one of its signed-off
    quarters: refused until a manager reopens the quarter (the default), or allowed and listed
    as changed since sign-off."""

    force = models.OneToOneField(Force, on_delete=models.PROTECT, related_name="+")
    changes_after_sign_off = models.CharField(
        max_length=10, choices=PeriodLock.Mode.choices, default=PeriodLock.Mode.REFUSE
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sign-off policy"
        verbose_name_plural = "sign-off policies"

    def __str__(self):
        return f"{self.force}: {self.get_changes_after_sign_off_display()}"


class Commentary(models.Model):
    """What an analyst writes about an indicator for a quarter, for a force or the alliance:
    printed in the quarterly performance pack beside the figure."""

    indicator = models.ForeignKey("strategy.Indicator", on_delete=models.PROTECT, related_name="commentaries")
    start = models.DateField(help_text="The quarter's first day")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "commentaries"
        constraints = [
            models.UniqueConstraint(
                "indicator", "start", Coalesce("force", 0), name="one_commentary_per_indicator_quarter_scope"
            )
        ]

    def __str__(self):
        return f"{self.indicator}, {quarter_of(self.start).label}"


class PackSubscription(models.Model):
    """A manager who gets the quarterly performance pack by email (PDF attached)."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Every month: the quarter so far"
        QUARTERLY = "quarterly", "Every quarter, once it is signed off"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint("user", Coalesce("force", 0), name="one_pack_subscription_per_scope")
        ]

    def __str__(self):
        return f"{self.user}: {self.force or 'Alliance'}, {self.get_frequency_display().lower()}"


class PackDelivery(models.Model):
    """A pack sent: one per subscription and edition, so the beat may run twice and send once."""

    subscription = models.ForeignKey(PackSubscription, on_delete=models.CASCADE, related_name="deliveries")
    edition = models.CharField(max_length=60, help_text="2025-26 Q1 to May 2025, or 2025-26 Q1 signed off #1")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "edition"], name="one_delivery_per_edition")
        ]

    def __str__(self):
        return f"{self.edition} to {self.subscription.user}"

"""The strategy, its goals, indicators and targets, and the rollup facts dashboards read."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from core import metrics as metric_registry
from core.periods import Period, financial_quarter, financial_year, financial_year_of
from geography.models import Area, CommunitySafetyPartnership, Force


class Strategy(models.Model):
    name = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField()
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["-start"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="strategy_ends_after_start")
        ]

    def __str__(self):
        return self.name


class Goal(models.Model):
    class Strand(models.TextChoices):
        SUPPLY = "supply", "Supply reduction"
        DEMAND = "demand", "Demand reduction"

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="goals")
    strand = models.CharField(max_length=10, choices=Strand.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["strategy", "order", "title"]

    def __str__(self):
        return self.title


def metric_choices():
    return [(name, f"{metric.label} ({name})") for name, metric in sorted(metric_registry.discover().items())]


class Indicator(models.Model):
    """A figure the strategy watches: a named metric, optionally one slice of it."""

    class Aggregation(models.TextChoices):
        SUM = "sum", "Total over the period"
        RATIO = "ratio", "Share: numerator metric ÷ denominator metric, per cent"

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="indicators")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    metric = models.CharField(max_length=100, help_text="A metric declared in an app's metrics.py")
    aggregation = models.CharField(max_length=10, choices=Aggregation.choices, default=Aggregation.SUM)
    denominator_metric = models.CharField(max_length=100, blank=True, help_text="For shares only")
    # A fixed slice of the metric, e.g. dimension "drug_class" = "A", or "pathway" = "dip_arrest".
    dimension = models.CharField(max_length=50, blank=True)
    dimension_value = models.CharField(max_length=100, blank=True)
    higher_is_better = models.BooleanField(default=True)
    # Shown figures are stored values ÷ display_divisor (pence → pounds: 100, grams → kg: 1000).
    display_unit = models.CharField(max_length=30, blank=True, help_text="e.g. £, kg, plants, %")
    display_divisor = models.DecimalField(max_digits=12, decimal_places=3, default=Decimal(1))
    # Below this many expected events a percentage misleads: RAG uses Poisson control limits.
    small_count_threshold = models.PositiveIntegerField(default=30)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["goal__order", "order", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        known = metric_registry.discover()
        errors = {}
        if self.metric not in known:
            errors["metric"] = f"No metric is called {self.metric!r}"
        elif not known[self.metric].summable or known[self.metric].ratio_of:
            errors["metric"] = (
                f"{known[self.metric].label} cannot be added up month by month, so it cannot be "
                "a dashboard indicator; for a share, choose its numerator and denominator metrics"
            )
        elif self.dimension and self.dimension not in known[self.metric].dimensions:
            errors["dimension"] = f"{self.metric} cannot be broken down by {self.dimension!r}"
        if self.aggregation == self.Aggregation.RATIO:
            if not self.denominator_metric:
                errors["denominator_metric"] = "A share needs a denominator metric"
            elif self.denominator_metric not in known:
                errors["denominator_metric"] = f"No metric is called {self.denominator_metric!r}"
        if bool(self.dimension) != bool(self.dimension_value):
            errors["dimension_value"] = "Give both a dimension and its value, or neither"
        if errors:
            raise ValidationError(errors)

    @property
    def is_ratio(self):
        return self.aggregation == self.Aggregation.RATIO

    @property
    def metric_definition(self):
        return metric_registry.get(self.metric)

    @property
    def denominator_definition(self):
        return metric_registry.get(self.denominator_metric)

    @property
    def whole_units(self):
        """Counted in whole things (seizures, sites, plants): a target is shown whole."""
        unit = self.metric_definition.unit
        return not self.is_ratio and unit in (metric_registry.Unit.COUNT, metric_registry.Unit.PLANTS)


class Target(models.Model):
    """What an indicator should reach over a run of whole months — a financial year, a quarter,
    the whole strategy, or any months the strategy sets (e.g. £10m over the 24 months from
    October 2024) — for the alliance, a force, a community safety partnership or a district."""

    class Profile(models.TextChoices):
        EVEN = "even", "Evenly over the days of the period"
        SEASONAL = "seasonal", "By season: each month's share of the year over the last three years"

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    start = models.DateField(help_text="The first day of its first month")
    end = models.DateField(help_text="The last day of its last month")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, null=True, blank=True)
    partnership = models.ForeignKey(
        CommunitySafetyPartnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="community safety partnership",
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, verbose_name="district")
    value = models.DecimalField(max_digits=16, decimal_places=3, validators=[MinValueValidator(0)])
    # How the target is due through its period, for the figure "due so far".
    profile = models.CharField(max_length=10, choices=Profile.choices, default=Profile.EVEN)
    # RAG: on target is green; missing it by no more than this share is amber; worse is red.
    amber_tolerance_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(10))

    class Meta:
        ordering = ["indicator", "start", "end"]
        constraints = [
            # An empty force, partnership or district is part of the scope: compare them as 0.
            models.UniqueConstraint(
                F("indicator"),
                F("start"),
                F("end"),
                Coalesce("force", 0),
                Coalesce("partnership", 0),
                Coalesce("area", 0),
                name="one_target_per_scope_and_period",
                violation_error_message="This indicator already has a target for that period and scope",
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="target_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(start__day=1), name="target_starts_on_a_first"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} in {self.period.label} ({self.scope_label})"

    def clean(self):
        errors = {}
        if self.start and self.start.day != 1:
            errors["start"] = "A target starts on the first day of a month"
        if self.end and (self.end + datetime.timedelta(days=1)).day != 1:
            errors["end"] = "A target ends on the last day of a month"
        if self.start and self.end and self.end <= self.start:
            errors["end"] = "A target ends after it starts"
        if self.area_id:
            if self.partnership_id and self.area.partnership_id != self.partnership_id:
                errors["area"] = "This district is not in the chosen community safety partnership"
            elif self.force_id and self.area.force_id != self.force_id:
                errors["area"] = "This district is not in the chosen force"
        if self.partnership_id and self.force_id and self.partnership.force_id != self.force_id:
            errors["partnership"] = "This partnership is not in the chosen force"
        if errors:
            raise ValidationError(errors)
        # A narrower scope names its force (and partnership) too, so targets are found by scope.
        if self.area_id:
            self.partnership_id = self.area.partnership_id
        if self.partnership_id:
            self.force_id = self.partnership.force_id

    @property
    def period(self):
        return period_of(self.start, self.end)

    @property
    def scope_label(self):
        return str(self.area or self.partnership or self.force or "Alliance")


def period_of(start, end):
    """A run of whole months as a Period, named as people name it: 2025-26, 2025-26 Q3, or
    "October 2024 to September 2026"."""
    year = financial_year_of(start)
    if (start, end) == (financial_year(year).start, financial_year(year).end):
        return financial_year(year)
    for quarter in (1, 2, 3, 4):
        candidate = financial_quarter(year, quarter)
        if (start, end) == (candidate.start, candidate.end):
            return candidate
    return Period(start, end, f"{start:%B %Y} to {end:%B %Y}")


class Fact(models.Model):
    """One rolled-up figure: a metric's value for a month, force, district and dimension slice.

    dimension "" is the metric's total. Written only by the rollup service."""

    metric = models.CharField(max_length=100)
    month = models.DateField(help_text="First day of the month")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(max_length=50, blank=True)
    dimension_value = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "dimension", "dimension_value", "month", "force", "area"],
                name="one_fact_per_cell",
            )
        ]
        indexes = [
            # Dashboards read a metric's slice over a range of months.
            models.Index(fields=["metric", "dimension", "dimension_value", "month"], name="fact_lookup"),
        ]

    def __str__(self):
        slice_ = f" {self.dimension}={self.dimension_value}" if self.dimension else ""
        return f"{self.metric}{slice_} {self.month:%Y-%m} {self.area}: {self.value}"


class DailyFact(models.Model):
    """One rolled-up figure for a single day, kept only for the months a dashboard may cut part
    way through: the month of the figures' last complete day and the same month a year
    earlier, so a month still under way is compared with the same days of the year before.
    Rebuilt whole by every run."""

    metric = models.CharField(max_length=100)
    day = models.DateField()
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(max_length=50, blank=True)
    dimension_value = models.CharField(max_length=100, blank=True)
    value = models.DecimalField(max_digits=20, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "dimension", "dimension_value", "day", "force", "area"],
                name="one_daily_fact_per_cell",
            )
        ]
        indexes = [
            # Dashboards read a metric's slice over the days of a month.
            models.Index(fields=["metric", "dimension", "dimension_value", "day"], name="daily_fact_lookup"),
        ]

    def __str__(self):
        return f"{self.metric} {self.day} {self.area}: {self.value}"


class AggregationRun(models.Model):
    """One rollup run, shown on every dashboard as how fresh the figures are."""

    class Kind(models.TextChoices):
        NIGHTLY = "nightly", "Nightly (changed months)"
        FULL = "full", "Full rebuild"

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        ABANDONED = "abandoned", "Abandoned (the worker stopped)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    months = models.PositiveIntegerField(default=0, help_text="Metric-months recomputed")
    rows = models.PositiveIntegerField(default=0, help_text="Facts written")
    # The records of every day up to this one were counted; the day of the run was still being
    # recorded. Dashboards show figures to this day and cut their drill-downs there.
    through = models.DateField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        permissions = [("rebuild_figures", "Can ask for the figures to be rebuilt now")]
        constraints = [
            # The lock: at most one run is running at a time, enforced by the database.
            models.UniqueConstraint(
                fields=["outcome"], condition=Q(outcome="running"), name="one_running_rollup"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}: {self.get_outcome_display()}"


# The sign-off of published quarters lives in its own module; imported here so Django finds it.
from .signoff_models import (  # noqa: E402
    Commentary,
    PackDelivery,
    PackSubscription,
    QuarterSignOff,
    SignedOffFact,
    SignOffEvent,
    SignOffPolicy,
)

__all__ = [
    "AggregationRun",
    "Commentary",
    "DailyFact",
    "Fact",
    "Goal",
    "Indicator",
    "PackDelivery",
    "PackSubscription",
    "QuarterSignOff",
    "SignOffEvent",
    "SignOffPolicy",
    "SignedOffFact",
    "Strategy",
    "Target",
    "period_of",
]

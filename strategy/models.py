"""The strategy, its goals, indicators and targets, and the rollup facts dashboards read."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from core import metrics as metric_registry
from core.periods import financial_quarter, financial_year
from geography.models import Area, Force


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


class Target(models.Model):
    """What an indicator should reach in a financial year or quarter, for a force, a district
    or the whole alliance (neither force nor area)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts: 2025 means 2025-26")
    quarter = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1–4 (April–June is 1); empty for the whole year"
    )
    force = models.ForeignKey(Force, on_delete=models.PROTECT, null=True, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=3, validators=[MinValueValidator(0)])
    # RAG: on target is green; missing it by no more than this share is amber; worse is red.
    amber_tolerance_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(10))

    class Meta:
        ordering = ["indicator", "financial_year", "quarter"]
        constraints = [
            # Empty quarter, force and area are part of the scope: compare them as 0.
            models.UniqueConstraint(
                F("indicator"),
                F("financial_year"),
                Coalesce("quarter", 0),
                Coalesce("force", 0),
                Coalesce("area", 0),
                name="one_target_per_scope_and_period",
                violation_error_message="This indicator already has a target for that period and scope",
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__in=[1, 2, 3, 4]), name="quarter_1_to_4"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} in {self.period.label} ({self.scope_label})"

    def clean(self):
        if self.area_id and self.force_id and self.area.force_id != self.force_id:
            raise ValidationError({"area": "This district is not in the chosen force"})
        if self.area_id and not self.force_id:
            self.force = self.area.force

    @property
    def period(self):
        if self.quarter:
            return financial_quarter(self.financial_year, self.quarter)
        return financial_year(self.financial_year)

    @property
    def scope_label(self):
        return str(self.area or self.force or "Alliance")


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

"""Red / amber / green against a target, with the direction that is good for each indicator.

Large figures are judged by how far they fall short of the (pro-rata) target in per cent.
Small counts move by chance: a district expecting 6 cultivation offences a quarter can see 3
or 9 without anything changing. Below an indicator's small-count threshold the figure is
judged against Poisson control limits around the expected count (±2σ warning, ±3σ action,
the usual statistical process control limits) instead of raw percentages.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

GREEN, AMBER, RED, NO_TARGET = "green", "amber", "red", "none"


@dataclass(frozen=True)
class Assessment:
    status: str
    explanation: str

    @property
    def label(self):
        return {GREEN: "On track", AMBER: "At risk", RED: "Off track", NO_TARGET: "No target"}[self.status]


def pro_rata_target(target_value, target_period, upto):
    """The share of a target due by `upto` (a date), in proportion to the days elapsed."""
    if upto < target_period.start:
        return Decimal(0)
    if upto >= target_period.end:
        return Decimal(target_value)
    elapsed = (upto - target_period.start).days + 1
    return Decimal(target_value) * Decimal(elapsed) / Decimal(target_period.days)


def assess(actual, expected, *, higher_is_better, amber_tolerance_percent=10, small_count_threshold=0):
    if expected is None:
        return Assessment(NO_TARGET, "No target is set for this period and area.")
    if actual is None:
        return Assessment(NO_TARGET, "No figures yet.")
    actual, expected = Decimal(actual), Decimal(expected)
    if expected < small_count_threshold:
        return _assess_small_count(actual, expected, higher_is_better)
    if expected == 0:
        on_track = actual >= 0 if higher_is_better else actual == 0
        return Assessment(GREEN if on_track else RED, "The target is zero.")
    shortfall = (expected - actual) if higher_is_better else (actual - expected)
    shortfall_percent = shortfall / expected * 100
    if shortfall_percent <= 0:
        return Assessment(GREEN, "At or better than the target.")
    if shortfall_percent <= Decimal(amber_tolerance_percent):
        return Assessment(
            AMBER, f"{shortfall_percent:.0f}% short of the target (within {amber_tolerance_percent}%)."
        )
    return Assessment(RED, f"{shortfall_percent:.0f}% short of the target.")


def _assess_small_count(actual, expected, higher_is_better):
    sigma = Decimal(math.sqrt(max(float(expected), 1.0)))
    # How many standard deviations the figure sits on the bad side of what was expected.
    bad_side = (expected - actual) if higher_is_better else (actual - expected)
    deviations = bad_side / sigma
    if deviations <= 2:
        return Assessment(GREEN, "Within the expected variation for a small count (control limits).")
    if deviations <= 3:
        return Assessment(AMBER, "Beyond the 2σ warning limit for a small count.")
    return Assessment(RED, "Beyond the 3σ action limit for a small count.")


def change_percent(current, previous):
    """Change on the same period a year earlier, in per cent (None where there is no base)."""
    if current is None or previous in (None, 0):
        return None
    return (Decimal(current) - Decimal(previous)) / Decimal(previous) * 100


def forecast_year_end(monthly_values, months_remaining):
    """The year-to-date total plus the remaining months projected from the trend.

    `monthly_values` are the months so far (oldest first, the trend's history may reach into
    the previous year but only this year's months count to the total: pass them as
    (value, counts_to_total) pairs). A least-squares line through the history is extended
    over the months remaining; with fewer than three months the average month is used.
    """
    history = [Decimal(value) for value, _ in monthly_values]
    so_far = sum((Decimal(value) for value, counts in monthly_values if counts), Decimal(0))
    if not history or months_remaining <= 0:
        return so_far
    if len(history) < 3:
        average = sum(history) / len(history)
        return so_far + average * months_remaining
    n = len(history)
    mean_x = Decimal(n - 1) / 2
    mean_y = sum(history) / n
    covariance = sum((Decimal(i) - mean_x) * (y - mean_y) for i, y in enumerate(history))
    variance = sum((Decimal(i) - mean_x) ** 2 for i in range(n))
    slope = covariance / variance
    projected = sum(
        max(mean_y + slope * (Decimal(n - 1 + k) - mean_x), Decimal(0))
        for k in range(1, months_remaining + 1)
    )
    return so_far + projected

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

GREEN, AMBER, RED, NO_TARGET, NOT_STARTED = "green", "amber", "red", "none", "not_started"


@dataclass(frozen=True)
class Assessment:
    status: str
    explanation: str

    @property
    def label(self):
        return {
            GREEN: "On track",
            AMBER: "At risk",
            RED: "Off track",
            NO_TARGET: "No target",
            NOT_STARTED: "Not started",
        }[self.status]


NOT_YET = Assessment(NOT_STARTED, "The period has not started: there are no figures for it yet.")


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
    limit = Decimal(amber_tolerance_percent)
    tolerance = f"{limit.normalize():f}%"
    side = "short of" if higher_is_better else "over"
    if shortfall_percent <= 0:
        return Assessment(GREEN, f"At or {'above' if higher_is_better else 'below'} the target due so far.")
    shown = _percent_beside(shortfall_percent, limit)
    if shortfall_percent <= limit:
        return Assessment(
            AMBER,
            f"{shown} {side} the target due so far: at risk while no more than {tolerance} {side} it.",
        )
    return Assessment(RED, f"{shown} {side} the target due so far: off track beyond {tolerance} {side} it.")


def _percent_beside(value, limit):
    """`value` in per cent, rounded no further than keeps it on its own side of `limit`: 10.4%
    beyond a 10% tolerance is "10.4%", never "10%" (which would read as within it)."""
    for places in range(3):
        shown = round(value, places)
        if (shown > limit) == (value > limit) and (shown == limit) == (value == limit):
            break
    return f"{shown:.{places}f}%"


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


@dataclass(frozen=True)
class Forecast:
    """A period's figure at its end: what is in so far plus the trend projected over the rest,
    with a band of about 95% from how far the months strayed from the trend."""

    total: Decimal
    low: Decimal
    high: Decimal
    history_months: int
    projected: tuple  # (month, projected value) over the rest of the period

    @property
    def method(self):
        if self.history_months >= 3:
            trend = f"a straight line fitted to the last {self.history_months} complete months"
        else:
            trend = f"the average of the last {self.history_months} complete months"
        return (
            f"The figure so far, plus {trend}, carried over the rest of the period (the month under "
            "way for the days left in it). The band is about 95% either side: twice how far the "
            "months strayed from the line, grown with the months ahead."
        )


def forecast(so_far, history, remaining):
    """Forecast of a total: `so_far` plus `history` (complete monthly values, oldest first)
    projected over `remaining`: (month, share of that month still to come) pairs."""
    so_far = Decimal(so_far)
    values = [Decimal(value) for value in history]
    if not values or not remaining:
        return Forecast(so_far, so_far, so_far, len(values), ())
    n = len(values)
    if n < 3:
        level, slope, spread = sum(values) / n, Decimal(0), Decimal(0)
        line = lambda x: level  # noqa: E731
    else:
        mean_x = Decimal(n - 1) / 2
        mean_y = sum(values) / n
        slope = sum((Decimal(i) - mean_x) * (y - mean_y) for i, y in enumerate(values)) / sum(
            (Decimal(i) - mean_x) ** 2 for i in range(n)
        )
        line = lambda x: mean_y + slope * (Decimal(x) - mean_x)  # noqa: E731
        residuals = [y - line(i) for i, y in enumerate(values)]
        spread = (sum(r * r for r in residuals) / (n - 2)).sqrt() if n > 2 else Decimal(0)
    projected = []
    for step, (month, share) in enumerate(remaining, start=n):
        projected.append((month, max(line(step), Decimal(0)) * Decimal(share)))
    ahead = sum((value for _, value in projected), Decimal(0))
    weight = sum((Decimal(share) for _, share in remaining), Decimal(0))
    half_width = 2 * spread * weight.sqrt()
    return Forecast(
        total=so_far + ahead,
        low=so_far + max(ahead - half_width, Decimal(0)),
        high=so_far + ahead + half_width,
        history_months=n,
        projected=tuple(projected),
    )

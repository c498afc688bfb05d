import datetime
from decimal import Decimal

import pytest

from strategy import rag


@pytest.mark.parametrize(
    ("actual", "expected", "status"),
    [
        (100, 100, rag.GREEN),
        (120, 100, rag.GREEN),
        (95, 100, rag.AMBER),
        (90, 100, rag.AMBER),
        (89, 100, rag.RED),
    ],
)
def test_higher_is_better_compares_the_shortfall_with_the_tolerance(actual, expected, status):
    assessment = rag.assess(actual, expected, higher_is_better=True, amber_tolerance_percent=10)

    assert assessment.status == status


@pytest.mark.parametrize(
    ("actual", "expected", "status"),
    [
        (100, 100, rag.GREEN),
        (80, 100, rag.GREEN),
        (105, 100, rag.AMBER),
        (110, 100, rag.AMBER),
        (111, 100, rag.RED),
    ],
)
def test_lower_is_better_turns_red_when_the_figure_rises_past_the_tolerance(actual, expected, status):
    assessment = rag.assess(actual, expected, higher_is_better=False, amber_tolerance_percent=10)

    assert assessment.status == status


def test_small_counts_are_judged_by_control_limits_not_percentages():
    # Expected 16 (σ = 4): 9 is 44% short — red by percentages — but only 1.75σ: chance.
    assert rag.assess(9, 16, higher_is_better=True, small_count_threshold=30).status == rag.GREEN
    assert rag.assess(9, 16, higher_is_better=True, small_count_threshold=0).status == rag.RED
    # 2.5σ short is past the warning limit, 3.5σ past the action limit.
    assert rag.assess(6, 16, higher_is_better=True, small_count_threshold=30).status == rag.AMBER
    assert rag.assess(2, 16, higher_is_better=True, small_count_threshold=30).status == rag.RED


def test_small_counts_for_lower_is_better_turn_red_above_the_upper_limit():
    assert rag.assess(14, 9, higher_is_better=False, small_count_threshold=30).status == rag.GREEN
    assert rag.assess(16, 9, higher_is_better=False, small_count_threshold=30).status == rag.AMBER
    assert rag.assess(19, 9, higher_is_better=False, small_count_threshold=30).status == rag.RED
    assert rag.assess(0, 9, higher_is_better=False, small_count_threshold=30).status == rag.GREEN


def test_no_target_is_said_rather_than_coloured():
    assessment = rag.assess(10, None, higher_is_better=True)

    assert assessment.status == rag.NO_TARGET
    assert assessment.label == "No target"


def test_change_against_the_same_period_a_year_earlier():
    assert rag.change_percent(110, 100) == 10
    assert rag.change_percent(75, 100) == -25
    assert rag.change_percent(5, 0) is None
    assert rag.change_percent(None, 10) is None


MONTHS = [datetime.date(2026, month, 1) for month in range(1, 13)]


def test_forecast_extends_the_trend_over_the_remaining_months():
    # A steady 10 a month: 60 so far, six whole months to come; no spread, no band.
    steady = rag.forecast(60, [10] * 12, [(month, 1) for month in MONTHS[:6]])
    assert (steady.total, steady.low, steady.high) == (120, 120, 120)
    # A rising trend 1, 2, … 6: the next six months continue it (7 … 12).
    rising = rag.forecast(21, range(1, 7), [(month, 1) for month in MONTHS[:6]])
    assert rising.total == Decimal(sum(range(1, 13)))
    assert [value for _, value in rising.projected] == list(range(7, 13))


def test_the_month_under_way_is_forecast_for_the_days_left_in_it():
    # Half of the current month to come, then one more month: 10 a month.
    assert rag.forecast(100, [10] * 12, [(MONTHS[0], Decimal("0.5")), (MONTHS[1], 1)]).total == 115


def test_any_window_length_is_forecast_to_its_own_end():
    # A 24-month window with 18 months to go: 18 more months, not "to the year end".
    assert rag.forecast(60, [10] * 12, [(month, 1) for month in MONTHS + MONTHS[:6]]).total == 240


def test_the_band_widens_with_the_spread_of_the_months_and_the_months_ahead():
    scattered = [8, 12] * 6
    near = rag.forecast(0, scattered, [(MONTHS[0], 1)])
    far = rag.forecast(0, scattered, [(month, 1) for month in MONTHS[:9]])
    assert near.low < near.total < near.high
    # Nine months ahead: three times as wide (the square root of nine).
    assert round(far.high - far.low, 6) == round((near.high - near.low) * 3, 6)


def test_forecast_with_little_history_uses_the_average_month():
    assert rag.forecast(16, [6, 10], [(month, 1) for month in MONTHS[:10]]).total == 16 + 80
    assert "the average of the last 2 complete months" in rag.forecast(16, [6, 10], [(MONTHS[0], 1)]).method


def test_the_explanation_never_contradicts_the_status():
    amber = rag.assess(92, 100, higher_is_better=True, amber_tolerance_percent=10)
    assert amber.explanation == (
        "8% short of the target due so far: at risk while no more than 10% short of it."
    )
    red = rag.assess(115, 100, higher_is_better=False, amber_tolerance_percent=10)
    assert red.explanation == "15% over the target due so far: off track beyond 10% over it."
    assert rag.assess(100, 100, higher_is_better=True).explanation == "At or above the target due so far."


@pytest.mark.parametrize(
    ("actual", "tolerance", "status", "explanation"),
    [
        # Either side of a 10% tolerance: rounded to a whole per cent, both would read "10%".
        (89.6, 10, "red", "10.4% short of the target due so far: off track beyond 10% short of it."),
        (
            90.4,
            10,
            "amber",
            "9.6% short of the target due so far: at risk while no more than 10% short of it.",
        ),
        (90, 10, "amber", "10% short of the target due so far: at risk while no more than 10% short of it."),
        (89.96, 10, "red", "10.04% short of the target due so far: off track beyond 10% short of it."),
        # A tolerance in halves: 7.5% short is within it, not "8%".
        (
            92.5,
            7.5,
            "amber",
            "7.5% short of the target due so far: at risk while no more than 7.5% short of it.",
        ),
        (92.4, 7.5, "red", "8% short of the target due so far: off track beyond 7.5% short of it."),
        (80, 10, "red", "20% short of the target due so far: off track beyond 10% short of it."),
    ],
)
def test_the_shortfall_is_never_rounded_onto_or_across_the_tolerance(actual, tolerance, status, explanation):
    assessment = rag.assess(
        Decimal(str(actual)), 100, higher_is_better=True, amber_tolerance_percent=Decimal(str(tolerance))
    )
    assert (assessment.status, assessment.explanation) == (status, explanation)

import datetime
from decimal import Decimal

import pytest

from core.periods import financial_year
from strategy import rag


def test_pro_rata_target_grows_with_the_days_elapsed():
    year = financial_year(2025)  # 1 April 2025 – 31 March 2026, 365 days

    assert rag.pro_rata_target(365, year, datetime.date(2025, 3, 31)) == 0
    assert rag.pro_rata_target(365, year, datetime.date(2025, 4, 1)) == 1
    assert rag.pro_rata_target(365, year, datetime.date(2025, 9, 30)) == 183
    assert rag.pro_rata_target(365, year, datetime.date(2026, 3, 31)) == 365
    assert rag.pro_rata_target(365, year, datetime.date(2027, 1, 1)) == 365


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


def test_forecast_extends_the_trend_over_the_remaining_months():
    # A steady 10 a month, all in this year: 6 months so far, 6 to come.
    history = [(10, True)] * 6
    assert rag.forecast_year_end(history, 6) == 120
    # A rising trend 1, 2, … 6: the next six months continue it (7 … 12).
    rising = [(n, True) for n in range(1, 7)]
    assert rag.forecast_year_end(rising, 6) == Decimal(sum(range(1, 13)))
    # Last year's months inform the trend but do not count to this year's total.
    assert rag.forecast_year_end([(10, False)] * 6 + [(10, True)] * 2, 10) == 120


def test_forecast_with_little_history_uses_the_average_month():
    assert rag.forecast_year_end([(6, True), (10, True)], 10) == 16 + 80

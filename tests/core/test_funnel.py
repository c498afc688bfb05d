"""Funnel plot limits and verdicts against values worked by hand from Poisson tables."""

import pytest

from core import funnel

# Poisson with mean 10 (cumulative tables): P(X ≤ 3) = 0.0103, P(X ≤ 4) = 0.0293,
# P(X ≤ 16) = 0.9730, P(X ≤ 17) = 0.9857; P(X ≤ 1) = 0.0005, P(X ≤ 2) = 0.0028,
# P(X ≤ 20) = 0.9984, P(X ≤ 21) = 0.9993. So the 95 % limits are 4 and 17, the 99.8 % 2 and 21.
TEN = funnel.Limits(expected=10, lower_95=4, upper_95=17, lower_998=2, upper_998=21, population=1000)


def test_limits_for_an_expected_ten_are_the_poisson_quantiles():
    assert funnel.poisson_limits(10, 0.05) == (4, 17)
    assert funnel.poisson_limits(10, 0.002) == (2, 21)
    limits = funnel.limits_for(1000, 0.01)  # 1,000 residents at 10 per 1,000: E = 10
    assert (limits.lower_95, limits.upper_95, limits.lower_998, limits.upper_998) == (4, 17, 2, 21)
    assert limits.rates == {"lower_998": 2.0, "lower_95": 4.0, "upper_95": 17.0, "upper_998": 21.0}


def test_rates_per_thousand_worked_by_hand():
    assert funnel.rate_per_thousand(93, 65_900) == pytest.approx(1.411229, abs=1e-6)  # 93 000 / 65 900
    assert funnel.rate_per_thousand(5, 2_000) == 2.5
    assert funnel.rate_per_thousand(5, 0) is None
    assert funnel.rate_per_thousand(None, 100) is None


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (17, funnel.WITHIN),  # on the upper 95 % limit: within
        (18, funnel.ABOVE_95),  # one more: beyond it
        (21, funnel.ABOVE_95),  # on the upper 99.8 % limit: beyond 95 % only
        (22, funnel.ABOVE_998),
        (4, funnel.WITHIN),  # on the lower 95 % limit
        (3, funnel.BELOW_95),
        (2, funnel.BELOW_95),  # on the lower 99.8 % limit
        (1, funnel.BELOW_998),
        (10, funnel.WITHIN),
    ],
)
def test_verdict_wording_on_both_sides_of_each_limit(count, words):
    assert funnel.verdict(count, TEN).words == words


def test_verdict_words_say_what_managers_read():
    assert funnel.verdict(18, TEN).words.startswith("Significantly above the national rate")
    assert funnel.verdict(10, TEN).words == "Not significantly different from the national rate"
    assert funnel.verdict(3, TEN).words.startswith("Significantly below the national rate")


def test_no_expected_count_has_a_zero_lower_limit():
    assert funnel.poisson_limits(0, 0.05) == (0, 0)
    assert funnel.verdict(1, funnel.limits_for(100, 0.0)).words == funnel.ABOVE_998


def test_funnel_lines_narrow_as_populations_grow():
    lines = funnel.funnel_lines(0.002, 10_000, 1_000_000)
    assert lines[0]["population"] == 10_000 and lines[-1]["population"] == 1_000_000
    widths = [point["upper_95"] - point["lower_95"] for point in lines]
    assert widths[0] > widths[-1]
    assert all(point["lower_998"] <= point["lower_95"] <= 2.0 <= point["upper_95"] <= point["upper_998"]
               for point in lines[20:])  # fmt: skip

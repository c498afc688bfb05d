"""Funnel plots: is a place's rate per 1,000 residents different from the national rate by
more than chance would make it?

Each place is compared with the count it would have at the national rate (its expected count,
E = national rate × its residents). Its observed count O is judged exactly, by the Poisson
distribution with mean E (Spiegelhalter, "Funnel plots for comparing institutional
performance", Statistics in Medicine 2005): the control limits are the Poisson quantiles

    lower limit = the smallest count L with P(X ≤ L) ≥ α/2
    upper limit = the smallest count U with P(X ≤ U) ≥ 1 − α/2

with α = 0.05 for the 95 % limits (about two standard deviations) and α = 0.002 for the 99.8 %
limits (about three). A count from L to U is within the limits ("not significantly different");
above U, the chance of so many at the national rate is at most α/2; below L, of so few. Exact
limits, not the normal approximation (E ± z√E), which misjudges small counts; the funnel's
lines are the same limits drawn across populations, as rates per 1,000.
"""

from dataclasses import dataclass

from scipy.stats import poisson

PER = 1000  # rates per 1,000 residents
LEVELS = {"95": 0.05, "99.8": 0.002}


def rate_per_thousand(count, population):
    """Count per 1,000 residents; None without residents to divide by."""
    if count is None or not population:
        return None
    return count * PER / population


def poisson_limits(expected, alpha):
    """The (lower, upper) control limits, as counts, of a count whose expectation is `expected`."""
    return int(poisson.ppf(alpha / 2, expected)), int(poisson.ppf(1 - alpha / 2, expected))


@dataclass(frozen=True)
class Limits:
    """A place's control limits as counts, and as rates per 1,000 of its residents."""

    expected: float
    lower_95: int
    upper_95: int
    lower_998: int
    upper_998: int
    population: int

    def rate(self, count):
        return count * PER / self.population

    @property
    def rates(self):
        return {
            name: self.rate(getattr(self, name))
            for name in ("lower_998", "lower_95", "upper_95", "upper_998")
        }


def limits_for(population, national_rate):
    """Limits for a place of `population` residents at `national_rate` (per resident)."""
    expected = national_rate * population
    lower_95, upper_95 = poisson_limits(expected, LEVELS["95"])
    lower_998, upper_998 = poisson_limits(expected, LEVELS["99.8"])
    return Limits(expected, lower_95, upper_95, lower_998, upper_998, population)


ABOVE_998 = "Significantly above the national rate (beyond the 99.8 % limit)"
ABOVE_95 = "Significantly above the national rate (beyond the 95 % limit)"
WITHIN = "Not significantly different from the national rate"
BELOW_95 = "Significantly below the national rate (beyond the 95 % limit)"
BELOW_998 = "Significantly below the national rate (beyond the 99.8 % limit)"


@dataclass(frozen=True)
class Verdict:
    words: str
    direction: int  # 1 above, 0 within, -1 below
    strength: str  # "99.8", "95" or ""

    @property
    def significant(self):
        return self.direction != 0


def verdict(count, limits):
    """How `count` stands against the limits, in words a manager reads (on a limit is within)."""
    if count > limits.upper_998:
        return Verdict(ABOVE_998, 1, "99.8")
    if count > limits.upper_95:
        return Verdict(ABOVE_95, 1, "95")
    if count < limits.lower_998:
        return Verdict(BELOW_998, -1, "99.8")
    if count < limits.lower_95:
        return Verdict(BELOW_95, -1, "95")
    return Verdict(WITHIN, 0, "")


def funnel_lines(national_rate, smallest, largest, steps=80):
    """The four limit lines across populations from `smallest` to `largest` residents (spaced
    evenly on a log scale, where a funnel changes fastest), as rates per 1,000."""
    smallest = max(1, int(smallest))
    largest = max(smallest + 1, int(largest))
    ratio = (largest / smallest) ** (1 / (steps - 1))
    points = []
    for step in range(steps):
        population = round(smallest * ratio**step)
        limits = limits_for(population, national_rate)
        points.append({"population": population, **limits.rates})
    return points

"""Reporting periods: financial years run 1 April – 31 March (Home Office reporting years)."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    start: datetime.date  # first day, inclusive
    end: datetime.date  # last day, inclusive
    label: str

    def __contains__(self, day):
        return self.start <= day <= self.end

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def months(self):
        """The first day of each month the period touches."""
        month = self.start.replace(day=1)
        while month <= self.end:
            yield month
            month = (month + datetime.timedelta(days=32)).replace(day=1)

    def year_earlier(self):
        """The same period a year before: the comparison that respects seasonality."""
        return Period(_year_earlier(self.start), _year_earlier(self.end), f"{self.label}, a year earlier")


def _year_earlier(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def financial_year_of(day):
    """The financial year (by its starting calendar year) that contains `day`."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(start_year):
    return Period(
        datetime.date(start_year, 4, 1),
        datetime.date(start_year + 1, 3, 31),
        f"{start_year}-{str(start_year + 1)[-2:]}",
    )


def financial_quarter(start_year, quarter):
    """Quarter 1 is April–June of `start_year`; quarter 4 is January–March of the next year."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("A quarter is 1, 2, 3 or 4")
    first_month = 4 + 3 * (quarter - 1)
    year = start_year + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    start = datetime.date(year, month, 1)
    next_start = (
        datetime.date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
        if month + 3 > 12
        else datetime.date(year, month + 3, 1)
    )
    return Period(
        start, next_start - datetime.timedelta(days=1), f"{financial_year(start_year).label} Q{quarter}"
    )

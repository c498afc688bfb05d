"""How far the dashboard figures trail the records: when they were last built and when they
will be built next.

The figures are built above this layer, so the app that builds them registers a clock here
(`register`); the record lists read it (`read`) to say how many of the records they show the
figures do not include yet.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class FiguresClock:
    # When the latest successful build started: what changed after it is not in the figures.
    # None while the figures have never been built.
    built_from: datetime.datetime | None
    # When the next scheduled build starts (None when none is scheduled).
    next_build: datetime.datetime | None


_clock: Callable[[], FiguresClock] | None = None


def register(clock):
    """`clock`: () -> FiguresClock, read afresh on each call."""
    global _clock
    _clock = clock


def read():
    """The figures' clock now, or None where nothing builds figures."""
    return _clock() if _clock is not None else None


# A crontab may name 29 February alone: four years holds its next day in any case.
_SEARCHED_DAYS = 4 * 366


def next_run(schedule, *, after, zone):
    """The first moment after `after` at which the Celery crontab `schedule` fires, its fields
    read as times of day in `zone` (the beat's time zone), as celery beat reads them."""
    day = timezone.localtime(after, zone).date()
    for _ in range(_SEARCHED_DAYS):
        if (
            day.month in schedule.month_of_year
            and day.day in schedule.day_of_month
            # crontab counts the days of the week from Sunday = 0.
            and day.isoweekday() % 7 in schedule.day_of_week
        ):
            for hour in sorted(schedule.hour):
                for minute in sorted(schedule.minute):
                    moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)
                    if moment > after:
                        return moment
        day += datetime.timedelta(days=1)
    return None

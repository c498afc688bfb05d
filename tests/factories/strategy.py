"""A strategy as the dashboards read it: the smallest one with a figure to follow."""

import datetime

from strategy.models import Goal, Indicator, Strategy


def seizures_indicator():
    """The 2024-27 strategy with one supply goal and its one indicator: drug seizures."""
    strategy = Strategy.objects.create(
        name="Alliance drug strategy 2024-27", start=datetime.date(2024, 4, 1), end=datetime.date(2027, 3, 31)
    )
    goal = Goal.objects.create(
        strategy=strategy, strand=Goal.Strand.SUPPLY, title="Take drugs off the streets"
    )
    return Indicator.objects.create(
        goal=goal, slug="seizures", title="Drug seizures", metric="seizures.count", display_unit="seizures"
    )

"""Targets over any run of months, for any scope: what is due so far, RAG, and the forecast to
the target's own end — with known data."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.periods import Period, financial_quarter, financial_year
from geography.models import Area, CommunitySafetyPartnership, Force
from strategy.models import Target
from strategy.rollups import rollup_run
from strategy.scopes import Scope
from strategy.targets import due, targets_for
from tests.factories.seizures import SeizureFactory, item

from .conftest import TODAY

pytestmark = pytest.mark.django_db
THROUGH = TODAY - datetime.timedelta(days=1)  # 14 February 2026
HEADLINE = (datetime.date(2024, 10, 1), datetime.date(2026, 9, 30))


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def month_starts(first, last):
    month = first
    while month <= last:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


@pytest.fixture
def monthly_cocaine(analyst):
    """£375,000 of cocaine (6,250 g at £60) seized in Rugby on the 10th of every month from
    February 2025 to February 2026; and £375,000 a month from October 2024 too."""
    rugby = Area.objects.get(name="Rugby")
    for month in month_starts(datetime.date(2024, 10, 1), datetime.date(2026, 2, 1)):
        SeizureFactory(
            seized_on=month.replace(day=10), force=rugby.force, area=rugby,
            items=[item("cocaine", 6250, "g")], user=analyst,
        )  # fmt: skip
    rollup_run(full=True)


def test_ten_million_over_24_months_shows_progress_what_is_due_and_a_forecast_to_its_own_end(
    manager_client, street_value, monthly_cocaine
):
    Target.objects.create(indicator=street_value, start=HEADLINE[0], end=HEADLINE[1], value=10_000_000_00)

    page = manager_client.get(
        "/dashboard/street-value/?period=custom&month_from=2024-10&month_to=2026-09"
    ).content.decode()

    # 17 seizures of £375,000 up to 14 February 2026 (October 2024 to February 2026).
    assert re.search(r'id="indicator-figure" href="[^"]+">£6,375,000<', page)
    # 502 of the 730 days: £6,876,712 due, 7% short: at risk (10% allowed).
    assert "£6,876,712 of £10,000,000 for the period" in page
    assert "At risk" in page and "7% short of the target due so far" in page
    # The trend (a flat £375,000 a month over the last twelve complete months) over the 14 days
    # left of February and the seven months to September 2026: £9,187,500.
    forecast = re.search(r'id="indicator-forecast">([^<]+)<', page).group(1).strip()
    assert forecast == "£9,187,500"
    progress = re.search(
        r'<table class="govuk-table app-table" id="target-progress">.*?</table>', page, re.S
    ).group(0)
    assert "October 2024 to September 2026" in progress and "£10,000,000" in progress
    assert "£6,375,000" in progress and "£6,876,712" in progress and "£9,187,500" in progress
    # Compared with the same days two years earlier, never an overlapping window.
    assert "The same days 2 years earlier" in page


def test_the_headline_target_is_shown_on_every_view_of_the_indicator(
    manager_client, street_value, monthly_cocaine
):
    Target.objects.create(indicator=street_value, start=HEADLINE[0], end=HEADLINE[1], value=10_000_000_00)

    page = manager_client.get("/dashboard/street-value/?period=year&year=2025").content.decode()

    assert "Targets for Alliance" in page and "October 2024 to September 2026" in page
    # Seen in 2025-26, the 24-month target is due pro rata for the months of 2025-26 it covers.
    owed = due(street_value, targets_for([street_value]), financial_year(2025), Scope(), THROUGH)
    assert owed.total == Decimal(10_000_000_00) * 365 / 730
    assert round(owed.value) == round(Decimal(10_000_000_00) * 320 / 730)


@pytest.fixture
def warwickshire():
    return Force.objects.get(name="Warwickshire")


def test_the_target_for_exactly_the_period_comes_first(seizure_count, warwickshire):
    Target.objects.create(
        indicator=seizure_count,
        start=datetime.date(2025, 4, 1),
        end=datetime.date(2026, 3, 31),
        value=100,
        force=warwickshire,
    )
    quarter = financial_quarter(2025, 2)
    Target.objects.create(
        indicator=seizure_count, start=quarter.start, end=quarter.end, value=40, force=warwickshire
    )
    owed = due(
        seizure_count, targets_for([seizure_count]), quarter, Scope.of(force=warwickshire), quarter.end
    )
    assert (owed.value, owed.total) == (40, 40)


def test_a_quarter_takes_its_share_of_a_year_target(seizure_count, warwickshire):
    Target.objects.create(
        indicator=seizure_count,
        start=datetime.date(2025, 4, 1),
        end=datetime.date(2026, 3, 31),
        value=365,
        force=warwickshire,
    )
    quarter = financial_quarter(2025, 2)  # July to September: 92 days
    owed = due(
        seizure_count, targets_for([seizure_count]), quarter, Scope.of(force=warwickshire), quarter.end
    )
    assert round(owed.total, 9) == 92


def test_a_year_adds_up_the_quarters_set_inside_it(seizure_count, warwickshire):
    for number in (1, 2, 3, 4):
        quarter = financial_quarter(2025, number)
        Target.objects.create(
            indicator=seizure_count,
            start=quarter.start,
            end=quarter.end,
            value=10 * number,
            force=warwickshire,
        )
    owed = due(
        seizure_count,
        targets_for([seizure_count]),
        financial_year(2025),
        Scope.of(force=warwickshire),
        datetime.date(2025, 9, 30),
    )
    assert owed.total == 100 and owed.value == 30


def test_a_scope_without_a_target_adds_up_its_parts(seizure_count):
    year = financial_year(2025)
    for force, value in (
        (Force.objects.get(name="Warwickshire"), 100),
        (Force.objects.get(name="West Mercia"), 250),
    ):
        Target.objects.create(
            indicator=seizure_count, start=year.start, end=year.end, value=value, force=force
        )
    south_warwickshire = CommunitySafetyPartnership.objects.get(name="South Warwickshire")
    Target.objects.create(
        indicator=seizure_count, start=year.start, end=year.end, value=7, partnership=south_warwickshire
    )
    targets = targets_for([seizure_count])
    assert due(seizure_count, targets, year, Scope(), year.end).total == 350
    assert due(seizure_count, targets, year, Scope.of(partnership=south_warwickshire), year.end).total == 7


def test_a_seasonal_target_is_due_by_the_share_each_month_held_in_the_last_three_years(
    seizure_count, analyst
):
    rugby = Area.objects.get(name="Rugby")
    # Three years with every seizure in December: all of a year's target is due in December.
    for year in (2022, 2023, 2024):
        SeizureFactory(seized_on=datetime.date(year, 12, 5), force=rugby.force, area=rugby, user=analyst)
    rollup_run(full=True)
    year = financial_year(2025)
    Target.objects.create(
        indicator=seizure_count,
        start=year.start,
        end=year.end,
        value=12,
        force=rugby.force,
        profile=Target.Profile.SEASONAL,
    )
    targets = targets_for([seizure_count])
    scope = Scope.of(force=rugby.force)
    assert due(seizure_count, targets, year, scope, datetime.date(2025, 11, 30)).value == 0
    assert due(seizure_count, targets, year, scope, datetime.date(2025, 12, 31)).value == 12
    owed = due(seizure_count, targets, year, scope, datetime.date(2025, 12, 16))
    assert round(owed.value, 9) == round(Decimal(12) * 16 / 31, 9) and owed.seasonal
    assert "by season" in owed.basis


def test_a_target_for_a_partnership_shows_on_that_partnership(manager_client, seizure_count, analyst):
    south_warwickshire = CommunitySafetyPartnership.objects.get(name="South Warwickshire")
    year = financial_year(2025)
    Target.objects.create(
        indicator=seizure_count, start=year.start, end=year.end, value=73, partnership=south_warwickshire
    )
    rollup_run(full=True)
    page = manager_client.get(f"/dashboard/seizures/?partnership={south_warwickshire.pk}").content.decode()
    assert "South Warwickshire, 2025-26 to 14 February 2026" in page
    assert "Targets for South Warwickshire" in page and "73 seizures" in page


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (
            datetime.date(2025, 4, 2),
            datetime.date(2026, 3, 31),
            "start",
            "A target starts on the first day of a month",
        ),
        (
            datetime.date(2025, 4, 1),
            datetime.date(2026, 3, 30),
            "end",
            "A target ends on the last day of a month",
        ),
        (datetime.date(2025, 4, 1), datetime.date(2025, 3, 31), "end", "A target ends after it starts"),
    ],
)
def test_a_target_is_set_over_whole_months(seizure_count, start, end, field, message):
    target = Target(indicator=seizure_count, start=start, end=end, value=1)
    with pytest.raises(ValidationError) as refused:
        target.full_clean()
    assert message in refused.value.message_dict[field]


def test_a_district_outside_the_partnership_is_refused(seizure_count):
    target = Target(
        indicator=seizure_count, start=datetime.date(2025, 4, 1), end=datetime.date(2026, 3, 31), value=1,
        partnership=CommunitySafetyPartnership.objects.get(name="South Warwickshire"),
        area=Area.objects.get(name="Rugby"),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        target.full_clean()
    assert refused.value.message_dict["area"] == [
        "This district is not in the chosen community safety partnership"
    ]


def test_an_edited_target_shows_at_once_on_the_cached_overview(manager_client, seizure_count, analyst):
    rollup_run(full=True)
    year = financial_year(2025)
    target = Target.objects.create(indicator=seizure_count, start=year.start, end=year.end, value=365)
    assert "target due so far 320 seizures" in manager_client.get("/dashboard/").content.decode()
    target.value = 730
    target.save()
    assert "target due so far 640 seizures" in manager_client.get("/dashboard/").content.decode()


def test_a_period_not_started_says_so_and_is_not_coloured(manager_client, seizure_count):
    rollup_run(full=True)
    year = financial_year(2025)
    Target.objects.create(indicator=seizure_count, start=year.start, end=year.end, value=365)
    page = manager_client.get("/dashboard/?period=quarter&year=2026&quarter=1").content.decode()
    assert "Not started" in page and "On track" not in page
    assert "2026-27 Q1: not started" in page


def test_a_whole_number_target_is_shown_whole(seizure_count):
    from strategy.templatetags.dashboard import format_indicator_target

    assert format_indicator_target(Decimal("3.3"), seizure_count) == "3 seizures"


def test_the_whole_strategy_is_a_period_of_its_own(manager_client, seizure_count):
    rollup_run(full=True)
    page = manager_client.get("/dashboard/?period=strategy").content.decode()
    assert "Test strategy (April 2024 to March 2027) to 14 February 2026" in page


def test_a_period_and_its_window(seizure_count):
    from strategy.figures import comparison, to_date

    period = Period(datetime.date(2024, 10, 1), datetime.date(2026, 9, 30), "24 months")
    window = to_date(period, THROUGH)
    assert (window.start, window.end) == (datetime.date(2024, 10, 1), THROUGH)
    earlier = comparison(period, window)
    assert (earlier.start, earlier.end, earlier.label) == (
        datetime.date(2022, 10, 1),
        datetime.date(2024, 2, 14),
        "2 years earlier",
    )


def test_a_whole_month_is_compared_with_the_whole_month_in_a_leap_year():
    from strategy.figures import comparison

    period = Period(datetime.date(2024, 4, 1), datetime.date(2026, 3, 31), "24 months")
    february = Period(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), "February 2026")
    earlier = comparison(period, february)
    assert (earlier.start, earlier.end) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))

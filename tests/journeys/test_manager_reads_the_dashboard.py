"""Journey 3: a manager opens the dashboard, changes the period and the force, follows a figure
to the records behind it, and downloads the figures as CSV."""

import csv
import datetime
import io

import pytest

from geography.models import Force
from strategy.models import Goal, Indicator, Strategy
from strategy.rollups import rollup_run
from tests.factories import UserFactory, area
from tests.factories.seizures import SeizureFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


def supply_indicators():
    strategy = Strategy.objects.create(
        name="Alliance drug strategy 2024-27", start=datetime.date(2024, 4, 1), end=datetime.date(2027, 3, 31)
    )
    goal = Goal.objects.create(
        strategy=strategy, strand=Goal.Strand.SUPPLY, title="Take drugs off the streets", order=1
    )
    Indicator.objects.create(
        goal=goal, slug="seizures", title="Drug seizures", metric="seizures.count", display_unit="seizures"
    )
    Indicator.objects.create(
        goal=goal,
        slug="street-value",
        title="Street value seized",
        metric="seizures.street_value_pence",
        display_unit="£",
        display_divisor=100,
    )


def test_manager_follows_a_figure_to_its_records_and_downloads_the_figures(journey):
    analyst = UserFactory(username="sam.analyst", role="Analyst")
    UserFactory(username="morgan.manager", role="Manager", password=PASSWORD)
    supply_indicators()
    rugby, worcester = area("Rugby"), area("Worcester")
    # April to June 2025: three seizures in Warwickshire, one in West Mercia; one more later.
    for reference, day, place in [
        ("WK-S-0001", datetime.date(2025, 4, 12), rugby),
        ("WK-S-0002", datetime.date(2025, 5, 3), rugby),
        ("WK-S-0003", datetime.date(2025, 6, 28), rugby),
        ("WM-S-0001", datetime.date(2025, 5, 20), worcester),
        ("WK-S-0004", datetime.date(2025, 8, 9), rugby),
    ]:
        SeizureFactory(
            reference=reference,
            seized_on=day,
            area=place,
            force=place.force,
            items=[item("cocaine", 2, "g")],
            user=analyst,
        )
    rollup_run(full=True)
    warwickshire = Force.objects.get(name="Warwickshire")

    journey.sign_in("morgan.manager", PASSWORD)
    page = journey.visit("/dashboard/")
    assert page.locator("h1").inner_text() == "Strategy overview"

    # Change the period to April to June 2025 and the force to Warwickshire.
    page.get_by_text("Change period or area").click()
    page.get_by_label("Period").select_option(label="Quarter")
    page.get_by_label("Financial year").select_option(label="2025-26")
    page.get_by_label("Quarter").select_option(label="Q1 April to June")
    page.get_by_label("Force").select_option(label="Warwickshire")
    page.get_by_role("button", name="Show figures").click()
    journey.check("dashboard-q1-warwickshire")
    assert "Warwickshire" in page.locator(".govuk-body-l").inner_text()
    card = page.locator('[data-indicator="seizures"]')
    figure = card.locator(".app-figure__link")
    assert figure.inner_text() == "3 seizures"

    # The figure leads to exactly the records it counts.
    figure.click()
    journey.check("records-behind-the-figure")
    assert page.url.split("?")[0].endswith("/seizures/")
    assert "date_from=2025-04-01" in page.url and "date_to=2025-06-30" in page.url
    assert f"force={warwickshire.pk}" in page.url
    listed = page.locator("table tbody tr").all_inner_texts()
    assert sorted(row.split("\t")[0].strip() for row in listed) == ["WK-S-0001", "WK-S-0002", "WK-S-0003"]
    assert "3 seizures" in page.locator(".moj-action-bar").inner_text()

    # The records as CSV, from the list.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    assert sorted(row["Reference"] for row in rows) == ["WK-S-0001", "WK-S-0002", "WK-S-0003"]
    assert {row["Force"] for row in rows} == {"Warwickshire"}

    # The indicator's own page, for the same period and force, and its figures as CSV.
    page.go_back()
    page.get_by_role("link", name="Drug seizures").click()
    journey.check("indicator-q1-warwickshire")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "seizures-2025-04-to-2025-06.csv"
    lines = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert "Warwickshire" in lines[0][0]
    by_month = {line[0]: line[1].split()[0] for line in lines[2:5]}  # "1 seizures"
    assert by_month == {"April 2025": "1", "May 2025": "1", "June 2025": "1"}

    journey.assert_accessible()
    assert not journey.console_errors

"""Journey: a manager picks a community safety partnership, sees its figures and its target, and
follows the figure to the records behind it; the count on the page and the list agree. At 375
px as well as on a desktop."""

import datetime

import pytest

from geography.models import CommunitySafetyPartnership
from strategy.models import Target
from strategy.rollups import rollup_run
from tests.factories import UserFactory, area
from tests.factories.seizures import SeizureFactory, item
from tests.factories.strategy import seizures_indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


@pytest.mark.parametrize("width", [1280, 375])
def test_manager_reads_a_partnership_and_its_records_agree(journey, width):
    journey.page.set_viewport_size({"width": width, "height": 900})
    analyst = UserFactory(username="sam.analyst", role="Analyst")
    UserFactory(username="morgan.manager", role="Manager", password=PASSWORD)
    indicator = seizures_indicator()
    south_warwickshire = CommunitySafetyPartnership.objects.get(name="South Warwickshire")
    # South Warwickshire is Stratford-on-Avon and Warwick: three seizures there, two elsewhere.
    for reference, place, day in [
        ("WK-S-0001", "Stratford-on-Avon", datetime.date(2025, 5, 3)),
        ("WK-S-0002", "Warwick", datetime.date(2025, 6, 9)),
        ("WK-S-0003", "Warwick", datetime.date(2025, 9, 20)),
        ("WK-S-0004", "Rugby", datetime.date(2025, 6, 1)),
        ("WM-S-0001", "Worcester", datetime.date(2025, 7, 7)),
    ]:
        district = area(place)
        SeizureFactory(reference=reference, seized_on=day, force=district.force, area=district,
                       items=[item("cocaine", 2, "g")], user=analyst)  # fmt: skip
    year = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)
    Target.objects.create(
        indicator=indicator, start=year[0], end=year[1], value=8, partnership=south_warwickshire
    )
    rollup_run(full=True)

    journey.sign_in("morgan.manager", PASSWORD)
    page = journey.visit("/dashboard/?period=year&year=2025")  # the filters open, as chosen
    page.get_by_label("Community safety partnership").select_option(label=south_warwickshire.name)
    page.get_by_role("button", name="Show figures").click()
    journey.check("dashboard-south-warwickshire")
    assert page.locator(".govuk-body-l").inner_text().startswith("South Warwickshire, 2025-26")
    figure = page.locator('[data-indicator="seizures"] .app-figure__link')
    assert figure.inner_text() == "3 seizures"
    assert "target due" in page.locator('[data-indicator="seizures"]').inner_text()

    # The indicator page shows the partnership's own target and its districts.
    page.locator('[data-indicator="seizures"] h3 a').click()
    journey.check("indicator-south-warwickshire")
    assert "Targets for South Warwickshire" in page.content()
    progress = page.locator("#target-progress").inner_text()
    assert "2025-26" in progress and "8 seizures" in progress
    breakdown = page.locator(".app-breakdown").first.inner_text()
    assert "Stratford-on-Avon" in breakdown and "Warwick" in breakdown and "Rugby" not in breakdown

    # The figure leads to exactly the records it counts.
    page.locator("#indicator-figure").click()
    journey.check("records-south-warwickshire")
    assert f"partnership={south_warwickshire.pk}" in page.url
    listed = sorted(row.split("\t")[0].strip() for row in page.locator("table tbody tr").all_inner_texts())
    assert listed == ["WK-S-0001", "WK-S-0002", "WK-S-0003"]
    assert "3 seizures" in page.locator(".moj-action-bar").inner_text()

    journey.assert_accessible()
    assert not journey.console_errors

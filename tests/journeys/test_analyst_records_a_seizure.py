"""Journey 1: an analyst signs in, records a seizure of two drugs, sees its street value, finds
it in the filtered list, changes it and sees the change in its history, and exports the list."""

import csv
import io

import pytest

from tests.factories import UserFactory, area
from tests.factories.seizures import SeizureFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


def test_analyst_records_finds_changes_and_exports_a_seizure(journey):
    analyst = UserFactory(username="sam.analyst", role="Analyst", password=PASSWORD)
    rugby = area("Rugby")
    # Another seizure, which the filters must leave out: cannabis only.
    SeizureFactory(
        reference="WK-S-0099",
        area=rugby,
        force=rugby.force,
        items=[item("herbal-cannabis", 5, "g")],
        user=analyst,
    )
    page = journey.sign_in("sam.analyst", PASSWORD)
    assert page.locator("h1").inner_text() == "Analyst workspace"

    # Record a seizure of cocaine and herbal cannabis.
    journey.visit("/seizures/")
    page.get_by_role("link", name="Record a seizure").click()
    journey.check("record-a-seizure")
    page.get_by_label("Reference", exact=True).fill("WK-S-0100")
    page.fill("#id_seized_on_0", "14")
    page.fill("#id_seized_on_1", "5")
    page.fill("#id_seized_on_2", "2025")
    page.get_by_label("Force").select_option(label="Warwickshire")
    page.get_by_label("District").select_option(label="Rugby (Warwickshire)")
    page.get_by_label("Place description").fill("Vehicle stop on the A45")
    page.select_option("#id_items-0-drug", label="Cocaine")
    page.fill("#id_items-0-quantity", "12.5")
    page.select_option("#id_items-0-unit", value="g")
    if not page.locator("#id_items-1-drug").count():
        page.get_by_role("button", name="Add another item").click()
        journey.check("record-a-seizure-second-item")
    page.select_option("#id_items-1-drug", label="Herbal cannabis")
    page.fill("#id_items-1-quantity", "40")
    page.select_option("#id_items-1-unit", value="g")
    page.get_by_role("button", name="Save seizure").click()

    # The seizure's page: 12.5 g of cocaine at £60 a gram and 40 g of cannabis at £10 a gram.
    journey.check("seizure-saved")
    assert page.locator("h1").inner_text() == "Seizure WK-S-0100"
    assert "Seizure WK-S-0100 saved" in page.content()
    street_value = page.locator(".govuk-summary-list__row", has_text="Street value")
    assert "£1,150.00" in street_value.inner_text()
    items = page.locator("table.app-table tbody tr")
    assert items.count() == 2
    assert "£750.00" in items.nth(0).inner_text() + items.nth(1).inner_text()
    seizure_url = page.url

    # Find it in the list, filtered by drug and district.
    journey.visit("/seizures/")
    filters = page.locator(".moj-filter")
    filters.get_by_role("group", name="Drug", exact=True).get_by_label("Cocaine", exact=True).check()
    filters.get_by_role("group", name="District").get_by_label("Rugby", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    journey.check("seizures-filtered")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "WK-S-0100" in rows.first.inner_text()
    assert "£1,150.00" in rows.first.inner_text()
    assert "1 seizure" in page.locator(".moj-action-bar").inner_text()
    list_url = page.url

    # Change the place; the history says what changed.
    rows.first.get_by_role("link", name="WK-S-0100").click()
    assert page.url == seizure_url
    journey.check("seizure-detail")
    page.get_by_role("link", name="Change", exact=True).click()
    journey.check("change-seizure")
    page.get_by_label("Place description").fill("Car park, Rugby station")
    page.get_by_role("button", name="Save seizure").click()
    journey.check("seizure-changed")
    assert "Car park, Rugby station" in page.locator(".govuk-summary-list").inner_text()
    history = page.locator(".moj-timeline").inner_text()
    assert "Vehicle stop on the A45 → Car park, Rugby station" in history
    assert str(analyst) in history

    # Export the filtered list: the CSV holds the one seizure, with its new place and value.
    page.goto(list_url)
    journey.check("seizures-filtered-again")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == "seizures.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1
    exported = rows[0]
    assert exported["Reference"] == "WK-S-0100"
    assert exported["Place description"] == "Car park, Rugby station"
    assert exported["Street value"] == "1150.00"
    assert exported["District"] == "Rugby"
    assert "Cocaine 12.5 g" in exported["Drugs"] and "Herbal cannabis 40 g" in exported["Drugs"]
    assert exported["Date seized"] == "2025-05-14"

    journey.assert_accessible()
    assert not journey.console_errors

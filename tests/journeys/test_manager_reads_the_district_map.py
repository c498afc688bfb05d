"""Journey: a manager sees an indicator by district on a map drawn in the browser from the
districts' own outlines (no tile server), with its legend and table, moves between districts
with the keyboard, and opens a district's records; then the funnel plot of every force. At
1280 px and at 375 px, axe-clean."""

import datetime

import pytest

from strategy.rollups import rollup_run
from tests.factories import UserFactory, area
from tests.factories.seizures import SeizureFactory, item
from tests.factories.strategy import seizures_indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


@pytest.mark.parametrize("width", [1280, 375])
def test_manager_reads_the_district_map_and_the_funnel_plot(journey, width):
    journey.page.set_viewport_size({"width": width, "height": 900})
    analyst = UserFactory(username="sam.analyst", role="Analyst")
    UserFactory(username="morgan.manager", role="Manager", password=PASSWORD)
    seizures_indicator()
    for place, count in (("Rugby", 3), ("Worcester", 2), ("Shropshire", 1)):
        district = area(place)
        for n in range(count):
            SeizureFactory(seized_on=datetime.date(2025, 5, 3 + n), force=district.force, area=district,
                           items=[item("cocaine", 1, "g")], user=analyst)  # fmt: skip
    rollup_run(full=True)

    journey.sign_in("morgan.manager", PASSWORD)
    page = journey.visit("/dashboard/seizures/?period=year&year=2025")
    page.get_by_role("link", name="See it by district on a map").click()
    page.wait_for_selector("#district-map[data-ready='14']")
    journey.check(f"map-{width}")
    page.screenshot(path=journey.folder / f"district-map-{width}.png", full_page=True)

    # Every district is drawn and shaded: the canvas is not blank, and holds the darkest shade.
    shades = page.evaluate(
        """() => {
          const canvas = document.getElementById('district-map');
          const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          const seen = new Set();
          for (let i = 0; i < pixels.length; i += 4) {
            if (pixels[i + 3] > 0) seen.add(`${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`);
          }
          return [...seen];
        }"""
    )
    # Rugby (3, "over 2 to 3": #5694ca) and the districts with none or one (#d2e2f1).
    assert "86,148,202" in shades
    assert "210,226,241" in shades
    assert page.locator("#district-table tr[data-district='E07000220'] .app-shade-2").count() == 1
    legend = page.locator("#map-legend").inner_text()
    assert "0 to 1" in legend and "No figure" in legend
    table = page.locator("#district-table")
    assert table.locator("tbody tr").count() == 14
    assert "Rugby" in table.inner_text()

    # The keyboard: into the map, along the districts, Enter opens one district's records.
    page.locator("#district-map").focus()
    page.keyboard.press("ArrowRight")
    status = page.locator("#district-map-status").inner_text()
    assert "1 of 14" in status
    first = status.split(":")[0]
    page.keyboard.press("Enter")
    page.wait_for_url("**/seizures/?**")
    journey.check(f"records-{width}")
    district = area(first)
    assert f"area={district.pk}" in page.url

    # The funnel plot of every force, with the alliance's verdicts in words.
    page = journey.visit("/dashboard/compare/seizures/?period=2018-19")
    summary = page.locator("#comparison-summary").inner_text()
    assert "Warwickshire" in summary and "Significantly above the national rate" in summary
    assert page.locator("#comparison-table tbody tr").count() == 39
    page.screenshot(path=journey.folder / f"funnel-{width}.png", full_page=True)

    journey.assert_accessible()
    assert not journey.console_errors, journey.console_errors

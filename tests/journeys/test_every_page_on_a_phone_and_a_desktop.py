"""Every page of the three journeys (analyst, partner, manager) on a phone and on a desktop:
axe-core finds nothing on any of them at 375 px or at 1280 px, and no page scrolls sideways at
320 px (WCAG 2.2 reflow), 375 px or 1280 px. On every filtered list at 375 px the filter panel
waits behind a "Show filter" button, opens over the list, closes again, and the records stay in
reach; at 1280 px it sits beside the list. Screenshots of every page are written to
test-output/journeys/ for review."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Agency
from seizures.models import StreetPrice
from strategy.models import Goal, Indicator, Strategy, Target
from strategy.rollups import rollup_run
from tests.factories import AgencyFactory, UserFactory, area
from tests.factories.offences import OffenceFactory
from tests.factories.partners import make_referral
from tests.factories.seizures import SeizureFactory, SiteFactory, WarrantFactory, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"
PHONE, DESKTOP, NARROWEST = 375, 1280, 320


def sign_in(journey, username):
    journey.page.goto(journey.base_url + "/sign-in/")
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", PASSWORD)
    journey.page.click("button:has-text('Sign in')")
    journey.page.wait_for_load_state("load")


def page_width(page):
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def visit_at_every_width(journey, paths):
    """Each page at 375 and 1280 px (screenshot, axe, no sideways scroll), and at 320 px, the
    narrowest WCAG reflow asks for, not wider than the window."""
    page = journey.page
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(journey.base_url + path)
            journey.check(f"{width}px {path}")
    page.set_viewport_size({"width": NARROWEST, "height": 800})
    too_wide = {}
    for path in paths:
        page.goto(journey.base_url + path)
        page.wait_for_load_state("load")
        scrolled, window = page_width(page)
        if scrolled > window:
            too_wide[path] = scrolled
    assert not too_wide, f"wider than {NARROWEST} px: {too_wide}"


def covered(page, locator):
    """Whether something else (a panel over the list) is on top of the element's middle."""
    return page.evaluate(
        """(element) => {
            const box = element.getBoundingClientRect();
            const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return !(top && (element === top || element.contains(top)));
        }""",
        locator.element_handle(),
    )


def assert_filter_panel_on_a_phone(journey, path):
    """At 375 px: the panel hidden behind "Show filter", the records in reach; the panel opens
    over the list, and closes with the focus back on the button."""
    page = journey.page
    page.set_viewport_size({"width": PHONE, "height": 800})
    journey.visit(path)
    panel = page.locator(".moj-filter")
    show = page.get_by_role("button", name="Show filter")
    assert show.is_visible(), path
    assert not panel.is_visible(), path
    # The first record's first column, on the screen and not under anything.
    first_record = page.locator("table tbody tr").first.locator("td").first
    first_record.scroll_into_view_if_needed()
    assert first_record.is_visible() and not covered(page, first_record), path

    show.click()
    assert panel.is_visible()
    assert page.get_by_role("button", name="Hide filter").get_attribute("aria-expanded") == "true"
    journey.check(f"{path} filter open")
    page.locator(".moj-filter__close").click()
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Show filter"
    assert not covered(page, first_record)


def assert_filter_panel_on_a_desktop(journey, path):
    page = journey.page
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    journey.visit(path)
    assert page.locator(".moj-filter").is_visible(), path
    assert not page.get_by_role("button", name="Show filter").is_visible(), path


def test_every_analyst_page_on_a_phone_and_a_desktop(journey):
    analyst = UserFactory(username="sam.analyst", role="Analyst", password=PASSWORD)
    rugby = area("Rugby")
    warrant = WarrantFactory(reference="WK-W-2025-000123", force=rugby.force, area=rugby, user=analyst)
    seizure = SeizureFactory(
        reference="WK-S-2025-004766",
        force=rugby.force,
        area=rugby,
        warrant=warrant,
        place="Loft of a terraced house on the Hillmorton estate",
        items=[item("cannabis-plants", 29, "plants"), item("heroin", "1.32", "g"), item("cocaine", 12, "g")],
        user=analyst,
    )
    for number in range(3):
        SeizureFactory(reference=f"WK-S-2025-00{number}", force=rugby.force, area=rugby, user=analyst)
    offence = OffenceFactory(grown=True, crime_reference="23/99123/25")
    site = SiteFactory(reference="WK-F-2025-000042", warrant=warrant, user=analyst)
    price = StreetPrice.objects.filter(drug__code="cocaine").first()
    sign_in(journey, "sam.analyst")

    pages = [
        "/",
        "/seizures/",
        "/seizures/?has_warrant=true&drug=cocaine",
        "/seizures/new/",
        f"/seizures/{seizure.pk}/",
        f"/seizures/{seizure.pk}/edit/",
        f"/seizures/{seizure.pk}/reprice/",
        f"/seizures/{seizure.pk}/withdraw/",
        "/warrants/",
        "/warrants/?executed=true",
        "/warrants/new/",
        f"/warrants/{warrant.pk}/",
        "/cannabis-factories/",
        "/cannabis-factories/new/",
        f"/cannabis-factories/{site.pk}/",
        f"/cannabis-factories/{site.pk}/edit/",
        "/street-prices/",
        f"/street-prices/{price.pk}/",
        "/seizures/home-office-return/",
        "/offences/",
        "/offences/new/",
        f"/offences/{offence.pk}/",
        f"/offences/{offence.pk}/edit/",
        "/imports/",
        "/imports/new/seizures/",
        "/open-data/",
        "/open-data/drug-crimes/",
        "/open-data/drug-searches/",
        "/open-data/recorded-drug-offences/",
        "/account/password/",
    ]
    visit_at_every_width(journey, pages)
    for path in ("/seizures/", "/warrants/", "/offences/", "/street-prices/"):
        assert_filter_panel_on_a_phone(journey, path)
    assert_filter_panel_on_a_desktop(journey, "/seizures/")

    # At 1280 px the seizure list shows every column, its warrant last, without scrolling.
    page = journey.page
    table = page.locator(".moj-filter-layout__content .app-table-container")
    assert page.evaluate("(box) => box.scrollWidth <= box.clientWidth", table.element_handle())
    warrant_header = page.get_by_role("columnheader", name="Warrant")
    assert warrant_header.bounding_box()["x"] + warrant_header.bounding_box()["width"] <= DESKTOP

    journey.assert_accessible()
    assert not journey.console_errors


def test_every_partner_page_on_a_phone_and_a_desktop(journey):
    csp = AgencyFactory(
        name="Rugby Community Safety Partnership", kind=Agency.Kind.COMMUNITY_SAFETY_PARTNERSHIP
    )
    treatment = AgencyFactory(name="Warwickshire Drug Service", kind=Agency.Kind.TREATMENT)
    partner = UserFactory(username="robin.partner", role="Partner", agency=csp, password=PASSWORD)
    UserFactory(username="tracy.treatment", role="Partner", agency=treatment, password=PASSWORD)
    referrals = [make_referral(by=partner, to=treatment) for _ in range(3)]
    referral = referrals[0]
    sign_in(journey, "robin.partner")

    pages = [
        "/",
        "/referrals/",
        "/referrals/?entered_treatment=false",
        "/referrals/new/",
        f"/referrals/{referral.pk}/",
        f"/referrals/{referral.pk}/edit/",
        f"/referrals/{referral.pk}/status/",
        "/account/password/",
    ]
    visit_at_every_width(journey, pages)
    assert_filter_panel_on_a_phone(journey, "/referrals/")
    assert_filter_panel_on_a_desktop(journey, "/referrals/")

    # The receiving agency's view of the same referral, and its choice of what happened next.
    journey.page.context.clear_cookies()
    sign_in(journey, "tracy.treatment")
    visit_at_every_width(
        journey,
        [f"/referrals/{referral.pk}/", f"/referrals/{referral.pk}/status/", "/referrals/review/"],
    )

    journey.assert_accessible()
    assert not journey.console_errors


def strategy_with_targets(today):
    strategy = Strategy.objects.create(
        name="Alliance drug strategy 2024-27", start=datetime.date(2024, 4, 1), end=datetime.date(2027, 3, 31)
    )
    goal = Goal.objects.create(
        strategy=strategy, strand=Goal.Strand.SUPPLY, title="Take drugs off the streets"
    )
    seizures = Indicator.objects.create(
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
    year_start = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    Target.objects.create(
        indicator=seizures, start=year_start, end=datetime.date(year_start.year + 1, 3, 31), value=40
    )
    return year_start


def test_every_manager_page_on_a_phone_and_a_desktop(journey):
    analyst = UserFactory(username="sam.analyst", role="Analyst")
    UserFactory(username="morgan.manager", role="Manager", password=PASSWORD)
    today = timezone.localdate()
    year_start = strategy_with_targets(today)
    rugby = area("Rugby")
    # Two seizures a month for the last eighteen months: figures, a year earlier and a forecast.
    for months_ago in range(1, 19):
        month = (today.replace(day=1) - datetime.timedelta(days=28 * months_ago)).replace(day=10)
        for number in range(2):
            SeizureFactory(
                seized_on=month,
                force=rugby.force,
                area=rugby,
                items=[item("cocaine", 2 + number, "g")],
                user=analyst,
            )
    rollup_run(full=True)
    quarter = f"/dashboard/quarters/alliance/{year_start.year}/q1/"
    sign_in(journey, "morgan.manager")

    pages = [
        "/",
        "/dashboard/",
        "/dashboard/seizures/",
        "/dashboard/street-value/",
        "/dashboard/seizures/map/",
        "/dashboard/figures/runs/",
        "/dashboard/quarters/",
        quarter,
        f"{quarter}pack/",
        "/dashboard/compare/",
        "/dashboard/compare/seizures/",
        "/street-prices/new/",
    ]
    visit_at_every_width(journey, pages)
    page = journey.page

    # The dashboard on a phone is no wider than the phone; on a desktop nothing follows the footer.
    page.set_viewport_size({"width": PHONE, "height": 800})
    journey.visit("/dashboard/")
    assert page_width(page) == [PHONE, PHONE]
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    journey.visit("/dashboard/")
    footer_bottom, document_height = page.evaluate(
        "[document.querySelector('.govuk-footer').getBoundingClientRect().bottom + window.scrollY,"
        " document.documentElement.scrollHeight]"
    )
    assert document_height - footer_bottom < 1

    # Each sparkline has its figures as a table for screen readers, hidden without widening the page.
    cards = page.locator(".app-indicator-card")
    assert cards.count() == 2
    for card in range(2):
        assert cards.nth(card).locator(".govuk-visually-hidden table tbody tr").count() == 12

    # The indicator's chart on a phone: tall enough to read, both axes titled, the forecast drawn
    # inside its band to the period's end, and the same figures in a table below.
    page.set_viewport_size({"width": PHONE, "height": 800})
    journey.visit("/dashboard/seizures/")
    chart = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.querySelector('canvas[data-chart="monthly"]'));
            const drawn = (label) => chart.data.datasets.find((set) => set.label === label).data
                .filter((value) => value !== null).length;
            return {
                height: chart.height,
                width: chart.width,
                titles: ["x", "y", "total"].map((axis) => chart.options.scales[axis].title.text),
                legend: chart.legend.legendItems.map((item) => item.text),
                forecast: drawn("Forecast"),
                band: [drawn("Forecast band (low)"), drawn("Forecast: likely range")],
            };
        }"""
    )
    assert chart["height"] >= 300 and chart["width"] <= PHONE
    assert chart["titles"] == ["Month", "seizures in the month", "seizures in the period so far"]
    assert "Forecast" in chart["legend"] and "Forecast: likely range" in chart["legend"]
    assert chart["forecast"] > 1 and chart["band"] == [chart["forecast"], chart["forecast"]]
    months = page.locator("table", has=page.locator("caption", has_text="Figures by month"))
    assert months.locator("tbody tr").count() >= 1

    # The records behind a figure, on a phone: the list, not the filter panel, comes first.
    assert_filter_panel_on_a_phone(journey, "/seizures/")

    journey.assert_accessible()
    assert not journey.console_errors

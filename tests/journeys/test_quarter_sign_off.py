"""Journey: an analyst marks Warwickshire's 2025-26 Q1 ready, a manager signs it off and lets the
force's records change after sign-off; a seizure recorded later in the quarter shows on the
dashboard as changed since sign-off, beside the published figure. At 1280 and 375 px."""

import datetime

import pytest

from core.models import ChangeAfterLock
from strategy.models import QuarterSignOff
from strategy.rollups import rollup_run
from tests.factories import UserFactory, area
from tests.factories.seizures import SeizureFactory, item
from tests.factories.strategy import seizures_indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


@pytest.mark.parametrize("width", [1280, 375])
def test_analyst_marks_ready_manager_signs_off_and_a_later_change_shows(journey, width):
    page = journey.page
    page.set_viewport_size({"width": width, "height": 900})
    analyst = UserFactory(username="sam.analyst", role="Analyst", password=PASSWORD)
    manager = UserFactory(username="morgan.manager", role="Manager", password=PASSWORD)
    seizures_indicator()
    rugby = area("Rugby")
    for reference, day in [
        ("WK-S-0001", datetime.date(2025, 4, 12)),
        ("WK-S-0002", datetime.date(2025, 6, 3)),
    ]:
        SeizureFactory(
            reference=reference, seized_on=day, area=rugby, force=rugby.force,
            items=[item("cocaine", 2, "g")], user=analyst,
        )  # fmt: skip
    rollup_run(full=True)
    code = rugby.force.ons_code

    # The analyst marks the quarter ready.
    journey.sign_in("sam.analyst", PASSWORD)
    journey.visit(f"/dashboard/quarters/?scope={code}")
    page.get_by_role("link", name="2025-26 Q1").click()
    journey.check("quarter-before")
    assert "Not prepared" in page.locator("#quarter-status").inner_text()
    page.get_by_role("button", name="Mark ready for sign-off").click()
    journey.check("quarter-ready")
    assert "is marked ready" in page.locator(".govuk-notification-banner").inner_text()
    assert "Ready for sign-off" in page.locator("#quarter-status").inner_text()

    # The manager lets Warwickshire's records change after sign-off, listed, and signs it off.
    page.context.clear_cookies()
    journey.sign_in("morgan.manager", PASSWORD)
    journey.visit(f"/dashboard/quarters/?scope={code}")
    page.get_by_label("Allowed, and listed as changed since sign-off").check()
    page.get_by_role("button", name="Save the choice").click()
    journey.check("policy-saved")
    page.get_by_role("link", name="2025-26 Q1").click()
    page.get_by_role("button", name="Sign off 2025-26 Q1").click()
    journey.check("quarter-signed-off")
    assert "is signed off" in page.locator(".govuk-notification-banner").inner_text()
    assert "Signed off" in page.locator("#quarter-status").inner_text()
    history = page.locator("#sign-off-history").inner_text()
    assert "Marked ready for sign-off" in history and "Signed off" in history
    sign_off = QuarterSignOff.objects.get()
    assert sign_off.published.by == manager

    # Later, a seizure of June 2025 is recorded; the figures are rebuilt that night.
    SeizureFactory(
        reference="WK-S-0003", seized_on=datetime.date(2025, 6, 28), area=rugby, force=rugby.force,
        items=[item("heroin", 1, "g")], user=analyst,
    )  # fmt: skip
    rollup_run(full=True)
    assert ChangeAfterLock.objects.count() == 1

    page.get_by_role("link", name="The dashboard for 2025-26 Q1").click()
    journey.check("dashboard-after-change")
    card = page.locator('[data-indicator="seizures"]')
    assert card.locator(".app-figure__link").inner_text() == "3 seizures"
    assert "Published: 2 seizures" in card.locator(".app-published-figure").inner_text()
    published = page.locator("#published")
    assert "was signed off for Warwickshire" in published.inner_text()
    published.get_by_role("link", name="1 record changed since sign-off").click()
    journey.check("changed-since-sign-off")
    assert page.locator("h1").inner_text() == "Records changed since sign-off"
    rows = page.locator("#changes tbody tr").all_inner_texts()
    assert len(rows) == 1 and "Seizure WK-S-0003" in rows[0] and "Recorded" in rows[0]

    # The pack of the quarter prints the published figure.
    journey.visit(f"/dashboard/quarters/{code}/2025/q1/pack/")
    assert "Signed off on" in page.locator("#pack-status").inner_text()
    # Nothing wider than the screen but the tables' own scrolling boxes.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    journey.assert_accessible()
    assert not journey.console_errors

"""Journey 2: a partner user submits a test on arrest (with two mistakes, which the error summary
shows: no trigger offence, a phone number in the reason), gets the reference, finds it among
their agency's referrals, and cannot reach another agency's referral (404) or any supply page
(403) — on a phone (375 px wide) and on a desktop (1280 px)."""

import pytest

from accounts.models import Agency
from partners.models import Referral
from tests.factories import AgencyFactory, UserFactory
from tests.factories.partners import make_referral
from tests.journeys.answers import fill_in_the_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"
SUPPLY_PAGES = ["/seizures/", "/seizures/new/", "/warrants/", "/street-prices/", "/offences/", "/dashboard/"]


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [375, 1280])
def test_partner_submits_a_referral_and_sees_only_their_agency(journey, width):
    journey.page.set_viewport_size({"width": width, "height": 900})
    journey.folder = journey.folder.parent / f"{journey.folder.name}-{width}px"
    journey.folder.mkdir(parents=True, exist_ok=True)
    rugby_csp = AgencyFactory(
        name="Rugby Community Safety Partnership", kind=Agency.Kind.COMMUNITY_SAFETY_PARTNERSHIP
    )
    treatment = AgencyFactory(name="Warwickshire Drug Service", kind=Agency.Kind.TREATMENT)
    other = AgencyFactory(name="Shropshire Recovery Service", kind=Agency.Kind.TREATMENT)
    UserFactory(username="robin.partner", role="Partner", agency=rugby_csp, password=PASSWORD)
    someone_else = UserFactory(username="kim.partner", role="Partner", agency=other)
    # Another agency's referral, to an agency that is not Robin's either.
    not_ours = make_referral(by=someone_else, to=treatment)

    page = journey.sign_in("robin.partner", PASSWORD)
    journey.visit("/referrals/")
    assert not_ours.reference not in page.content()
    page.get_by_role("link", name="Make a referral").click()
    journey.check("make-a-referral")

    page.get_by_label("Drugs Intervention Programme – test on arrest").check()
    page.get_by_label("Refused to give a sample").check()
    assert page.get_by_label("Trigger offence the person was arrested for").is_visible()
    fill_in_the_referral(page)
    page.get_by_label("Crack cocaine").check()
    page.get_by_label("Heroin or other opiates").check()
    # The mistake: a phone number in the reason, which the service must not keep.
    page.get_by_label("Reason for referral").fill("Asked for help at the hub. Call him on 07700 900123.")
    page.get_by_label("The person has consented to this referral").check()
    page.get_by_role("button", name="Continue").click()

    journey.check("referral-with-mistakes")
    assert fits_the_width(page)
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    message = "Remove the phone number: the service must not keep contact details"
    assert summary.locator("li").all_inner_texts() == [
        "Select the trigger offence the person was arrested for",
        message,
    ]
    assert page.title().startswith("Error: ")
    assert message in page.locator("#div_id_notes .govuk-error-message").inner_text()
    # The summary's link takes the user to the field, and what they typed is kept.
    summary.get_by_role("link", name=message).click()
    assert page.evaluate("document.activeElement.id") == "id_notes"
    assert page.input_value("#id_subject_first_initial") == "J"
    assert page.input_value("#id_subject_date_of_birth_0") == "17"

    page.get_by_label("Reason for referral").fill("Asked for help at the hub.")
    page.get_by_label("Trigger offence the person was arrested for").select_option(
        label="Theft (including theft from a vehicle or shop)"
    )
    page.get_by_role("button", name="Continue").click()
    journey.check("check-your-answers")
    assert fits_the_width(page)
    assert page.locator("h1").inner_text() == "Check your answers before sending the referral"
    answers = page.locator(".govuk-summary-list").inner_text()
    assert "17 May 1990" in answers and "Refused to give a sample" in answers and "Theft" in answers
    page.get_by_role("button", name="Send the referral").click()

    journey.check("referral-sent")
    panel = page.locator(".govuk-panel--confirmation")
    reference = panel.locator("strong").inner_text()
    assert reference.startswith("REF-")
    referral = Referral.objects.get(reference=reference)
    assert (referral.submitting_agency, referral.receiving_agency) == (rugby_csp, treatment)
    assert (referral.dip_test_result, referral.trigger_offence) == ("refused", "theft")

    # "My referrals": the agency's list holds the new referral and not the other agency's.
    journey.visit("/referrals/")
    table = page.locator("table").inner_text()
    assert reference in table
    assert not_ours.reference not in table
    page.get_by_role("link", name=reference).click()
    journey.check("referral-detail")
    assert fits_the_width(page)
    assert reference in page.locator("h1").inner_text()
    details = page.locator(".govuk-summary-list").inner_text()
    assert "Theft (including theft from a vehicle or shop)" in details

    assert not journey.console_errors
    # Another agency's referral does not exist for this user; supply pages are refused (the
    # browser logs each refused page as a failed load: expected here).
    response = page.goto(journey.base_url + f"/referrals/{not_ours.pk}/")
    assert response.status == 404
    journey.check("another-agencys-referral")
    for path in SUPPLY_PAGES:
        response = page.goto(journey.base_url + path)
        assert response.status == 403, path
    journey.check("a-supply-page")

    journey.assert_accessible()
    assert all(error.startswith("Failed to load resource") for error in journey.console_errors)

"""The small frictions of the forms, in a browser at 375 px: a partner's check-answers "Change"
lands on its own question and "Continue" comes back; the test-on-arrest result shows only for
that pathway; the partner's own agency is never offered. An analyst's "Add another item" puts the
focus on the new row, which has no "Remove" box."""

import pytest

from accounts.models import Agency
from partners.models import Referral
from tests.factories import AgencyFactory, UserFactory, area
from tests.journeys.answers import fill_in_the_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"
PHONE = {"width": 375, "height": 800}


def in_view(page, selector):
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_each_change_lands_on_its_question_and_continue_returns(journey):
    journey.page.set_viewport_size(PHONE)
    own = AgencyFactory(
        name="Rugby Community Safety Partnership", kind=Agency.Kind.COMMUNITY_SAFETY_PARTNERSHIP
    )
    AgencyFactory(name="Warwickshire Drug Service", kind=Agency.Kind.TREATMENT)
    UserFactory(username="robin.partner", role="Partner", agency=own, password=PASSWORD)
    page = journey.sign_in("robin.partner", PASSWORD)
    journey.visit("/referrals/new/")

    # The partner's own agency is not among those offered.
    offered = page.locator("#id_receiving_agency option").all_inner_texts()
    assert "Warwickshire Drug Service" in offered and own.name not in offered

    # The test result is asked only once the test-on-arrest pathway is chosen.
    result_question = page.get_by_role("group", name="Result of the test on arrest")
    assert not result_question.is_visible()
    page.get_by_label("Arrest referral", exact=True).check()
    assert not result_question.is_visible()
    page.get_by_label("Drugs Intervention Programme – test on arrest", exact=True).check()
    assert result_question.is_visible()
    journey.check("test-on-arrest-result-revealed")
    result_question.get_by_label("Positive for opiates and cocaine").check()
    page.get_by_label("Trigger offence the person was arrested for").select_option(
        label="Theft (including theft from a vehicle or shop)"
    )

    fill_in_the_referral(page)
    page.get_by_label("Crack cocaine").check()
    page.get_by_label("Reason for referral").fill("Asked for help at the hub.")
    page.get_by_label("The person has consented to this referral").check()
    page.get_by_role("button", name="Continue").click()
    journey.check("check-your-answers")
    check_url = page.url
    assert "Positive for opiates and cocaine" in page.locator(".govuk-summary-list").inner_text()

    # Every "Change": the question page opens with the cursor in that question, on the screen.
    changes = page.locator(".govuk-summary-list__actions a")
    questions = [changes.nth(row).get_attribute("href").split("#")[1] for row in range(changes.count())]
    assert len(questions) == 12  # the trigger offence asked with the test on arrest too
    for row, question in enumerate(questions):
        page.goto(check_url)
        page.locator(".govuk-summary-list__actions a").nth(row).click()
        page.wait_for_load_state("load")
        assert page.evaluate("document.activeElement.id") == question
        assert in_view(page, f"#{question}"), question
        if row == 0:
            journey.check("change-the-pathway")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state("load")
        assert page.url == check_url, question

    # A change made through "Change": another pathway hides and drops the test result.
    page.get_by_role("link", name="Change pathway").click()
    page.get_by_label("Arrest referral", exact=True).check()
    assert not result_question.is_visible()
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-summary-list").inner_text()
    assert "Arrest referral" in summary and "Result of the test on arrest" not in summary
    page.get_by_role("button", name="Send the referral").click()
    referral = Referral.objects.get()
    assert (referral.pathway, referral.dip_test_result) == ("arrest_referral", "")

    # GOV.UK's conditional radios carry aria-expanded, the one axe finding allowed (conftest).
    assert {finding["target"][0] for finding in journey.known_govuk_findings} <= {
        f"#id_pathway_{number}" for number in range(1, 10)
    }
    journey.assert_accessible()
    assert not journey.console_errors


def test_add_another_item_puts_the_focus_on_the_new_row(journey):
    journey.page.set_viewport_size(PHONE)
    UserFactory(username="sam.analyst", role="Analyst", password=PASSWORD)
    area("Rugby")
    page = journey.sign_in("sam.analyst", PASSWORD)
    journey.visit("/seizures/new/")
    assert page.locator("text=Remove this item").count() == 0
    rows = page.locator("fieldset.app-item")
    before = rows.count()

    page.select_option("#id_items-0-drug", label="Cocaine")
    page.get_by_role("button", name="Add another item").click()
    page.wait_for_load_state("load")
    journey.check("another-item-added")
    assert rows.count() == before + 1
    new_drug = f"id_items-{before}-drug"
    assert page.evaluate("document.activeElement.id") == new_drug
    assert in_view(page, f"#{new_drug}")
    assert page.locator("text=Remove this item").count() == 0
    assert page.input_value("#id_items-0-drug")  # what was chosen is kept

    journey.assert_accessible()
    assert not journey.console_errors

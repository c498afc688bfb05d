import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_landing_pages_have_no_serious_accessibility_failures(journey):
    UserFactory(username="alex", role="Analyst", password="a-long-enough-passphrase")

    journey.visit("/sign-in/")
    journey.page.click("button:has-text('Sign in')")  # empty form: the error summary shows
    journey.check("sign-in-errors")
    assert journey.page.locator(".govuk-error-summary").is_visible()
    page = journey.sign_in("alex", "a-long-enough-passphrase")

    assert page.locator("h1").inner_text() == "Analyst workspace"
    journey.assert_accessible()
    assert not journey.console_errors

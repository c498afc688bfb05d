from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_loads_styles_fonts_and_scripts_from_the_service(page, live_server):
    responses = []
    page.on("response", lambda response: responses.append(response))

    page.goto(f"{live_server.url}/sign-in/")
    page.wait_for_load_state("networkidle")

    hosts = {urlparse(response.url).netloc for response in responses}
    assert hosts == {urlparse(live_server.url).netloc}, "a request left the host"
    by_kind = {}
    for response in responses:
        by_kind.setdefault(response.request.resource_type, []).append(response.status)
    assert by_kind["stylesheet"] and set(by_kind["stylesheet"]) == {200}
    assert by_kind["script"] and set(by_kind["script"]) == {200}
    assert by_kind["font"] and set(by_kind["font"]) == {200}
    # GOV.UK Frontend's JavaScript ran (our module marks the body as supported).
    assert "govuk-frontend-supported" in page.get_attribute("body", "class")
    assert page.locator("h1").inner_text() == "Sign in to Strategy Portal"

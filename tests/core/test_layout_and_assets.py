import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

ASSET_URL = re.compile(r'(?:src|href)="([^"#]+)"')


def asset_urls(html):
    return [url for url in ASSET_URL.findall(html) if url.startswith(("/static/", "http", "//"))]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/sign-in/", "/"])
def test_pages_load_every_asset_from_the_service_itself(client, analyst, path):
    client.force_login(analyst)
    html = client.get(path, follow=True).content.decode()

    urls = asset_urls(html)
    assert any(url.endswith("govuk-frontend.min.css") for url in urls)
    assert any(url.endswith("app.mjs") for url in urls)
    for url in urls:
        assert url.startswith("/static/"), f"{url} would leave the host"
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file"


def test_vendor_css_points_at_fonts_and_images_that_exist():
    for css_name in ("vendor/govuk/govuk-frontend.min.css", "vendor/moj/moj-frontend.min.css"):
        css_path = Path(finders.find(css_name))
        references = re.findall(r"url\(([^)]+)\)", css_path.read_text())
        assert references, css_name
        for reference in references:
            if reference.startswith("data:"):
                continue
            assert not reference.startswith(("/", "http")), f"{reference} in {css_name} is not relative"
            assert (css_path.parent / reference).is_file(), f"{reference} in {css_name} is missing"


@pytest.mark.django_db
def test_base_layout_has_skip_link_header_banner_navigation_and_footer(analyst_client):
    html = analyst_client.get("/").content.decode()

    assert 'class="govuk-skip-link"' in html and 'href="#main-content"' in html
    assert 'id="main-content"' in html
    assert "Strategy Portal" in html
    assert "Warwickshire Police and West Mercia Police" in html
    assert "govuk-phase-banner" in html and "Development" in html
    assert 'class="govuk-service-navigation' in html
    assert 'class="govuk-footer"' in html
    assert "<script>" not in html  # no inline script: the Content-Security-Policy forbids it


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(analyst_client):
    policy = analyst_client.get("/")["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_unknown_page_is_a_styled_404(analyst_client):
    response = analyst_client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-frontend.min.css" in response.content.decode()


def test_error_pages_render_in_the_service_style():
    from django.template.loader import render_to_string

    for name, title in [
        ("403.html", "You do not have access to this page"),
        ("500.html", "Sorry, there is a problem with the service"),
    ]:
        html = render_to_string(name)
        assert title in html
        assert "govuk-frontend.min.css" in html

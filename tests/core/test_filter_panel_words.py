"""The filter panel speaks plainly: a yes/no filter offers Any, Yes and No (Django's own select
offered "Unknown" for any); the chosen filters read "Executed: Yes" and "Result: Drugs found",
never "True" or "drugs_found", and each removes itself; a number is asked in a GOV.UK text input."""

import re

import pytest

from tests.factories.seizures import SeizureFactory, WarrantFactory

pytestmark = pytest.mark.django_db

YES_NO_FILTERS = [
    ("/seizures/", "has_warrant", "Under a warrant"),
    ("/warrants/", "executed", "Executed"),
    ("/offences/", "cultivation", "Cannabis cultivation"),
    ("/offences/", "has_site", "At a cannabis factory"),
    ("/offences/", "has_warrant", "Under a warrant"),
    ("/referrals/", "entered_treatment", "Entered treatment"),
    ("/referrals/", "possible_repeat", "Possible repeat referral"),
    ("/open-data/drug-crimes/", "has_area", "District known"),
    ("/open-data/drug-searches/", "has_area", "District known"),
]


def options_of(page, name):
    select = re.search(rf'<select [^>]*name="{name}".*?</select>', page, re.S).group(0)
    return [
        re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)
    ]


def tags_of(page):
    return [
        (href.replace("&amp;", "&"), re.sub(r"<[^>]+>", "", text).strip())
        for href, text in re.findall(r'<a class="moj-filter__tag" href="([^"]*)">(.*?)</a>', page, re.S)
    ]


@pytest.mark.parametrize(("url", "name", "label"), YES_NO_FILTERS)
def test_every_yes_no_filter_offers_any_yes_and_no(analyst_client, url, name, label):
    page = analyst_client.get(url).content.decode()
    assert options_of(page, name) == ["Any", "Yes", "No"]  # never "Unknown" for the any-value


@pytest.mark.parametrize(("url", "name", "label"), YES_NO_FILTERS)
def test_a_chosen_yes_no_filter_reads_yes_or_no(analyst_client, url, name, label):
    for value, word in (("true", "Yes"), ("false", "No")):
        page = analyst_client.get(url, {name: value}).content.decode()
        assert tags_of(page) == [("?", f"Remove this filter: {label}: {word}")]
        assert "True" not in page.split("moj-filter__selected")[1].split("</ul>")[0]


def test_any_is_no_filter_at_all(analyst_client):
    page = analyst_client.get("/warrants/", {"executed": "unknown"}).content.decode()
    assert "Selected filters" not in page


def test_choices_read_as_their_labels_and_each_tag_removes_only_its_own_filter(analyst_client):
    WarrantFactory(reference="WK-W-1", result="drugs_found")
    page = analyst_client.get(
        "/warrants/", {"result": ["drugs_found", "nothing_found"], "executed": "true", "page": "1"}
    ).content.decode()
    assert tags_of(page) == [
        ("?executed=true", "Remove this filter: Result: Drugs found, Nothing found"),
        ("?result=drugs_found&result=nothing_found", "Remove this filter: Executed: Yes"),
    ]


def test_records_chosen_read_as_themselves(analyst_client):
    SeizureFactory()
    page = analyst_client.get("/seizures/", {"drug": ["cocaine", "heroin"]}).content.decode()
    assert tags_of(page) == [("?", "Remove this filter: Drug: Cocaine, Heroin")]


@pytest.mark.parametrize(
    ("url", "name"),
    [("/seizures/", "min_value"), ("/warrants/", "min_arrests"), ("/offences/", "plants_min")],
)
def test_a_number_is_asked_in_a_govuk_text_input(analyst_client, url, name):
    page = analyst_client.get(url).content.decode()
    field = re.search(rf'<input [^>]*name="{name}"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'inputmode="decimal"' in field
    assert "govuk-input" in field and "govuk-input--width-5" in field


def test_a_number_filter_still_refuses_what_is_not_a_number(analyst_client):
    page = analyst_client.get("/warrants/", {"min_arrests": "lots"}).content.decode()
    assert "Enter a number" in page
    assert "Selected filters" not in page


def test_a_date_filter_is_a_date_picker(analyst_client):
    page = analyst_client.get("/street-prices/").content.decode()
    field = re.search(r'<input [^>]*name="valid_on"[^>]*>', page).group(0)
    assert 'type="date"' in field and "govuk-input" in field

"""Every filtered list says how many records match, in its own words, unfiltered too, and offers
downloads of exactly those; a bad filter says so instead of a count."""

import re

import pytest

from tests.factories.seizures import SeizureFactory, item

pytestmark = pytest.mark.django_db

LISTS = [
    ("/seizures/", "seizure", "seizures"),
    ("/warrants/", "warrant", "warrants"),
    ("/street-prices/", "street price", "street prices"),
    ("/offences/", "offence", "offences"),
    ("/referrals/", "referral", "referrals"),
    ("/open-data/drug-crimes/", "crime", "crimes"),
    ("/open-data/drug-searches/", "search", "searches"),
    ("/open-data/recorded-drug-offences/", "quarterly count", "quarterly counts"),
    ("/imports/", "import", "imports"),
]


def action_bar(page):
    """The words of the count line and the downloads beside it (the totals below left out)."""
    found = re.search(r'<div class="moj-action-bar">(.*?)(?:<ul [^>]*app-list-totals|<table)', page, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)).split()


@pytest.mark.parametrize(("url", "noun", "nouns"), LISTS)
def test_the_unfiltered_list_counts_its_records_in_its_own_words(analyst_client, url, noun, nouns):
    response = analyst_client.get(url)
    assert response.status_code == 200, url
    words = action_bar(response.content.decode())
    assert words[0].replace(",", "").isdigit(), words
    count = int(words[0].replace(",", ""))
    assert " ".join(words[1 : 1 + len(nouns.split())]) == (noun if count == 1 else nouns)
    assert "Download" in words
    assert "·" not in " ".join(words)  # the downloads are a list of links, not a run of separators


def test_one_record_is_counted_in_the_singular(analyst_client):
    SeizureFactory(reference="WK-S-1", items=[item("cocaine", 5, "g")])
    assert action_bar(analyst_client.get("/seizures/").content.decode())[:2] == ["1", "seizure"]


def test_a_bad_filter_shows_no_count_and_no_stray_separator(analyst_client):
    words = action_bar(analyst_client.get("/seizures/?date_from=not-a-date").content.decode())
    assert words == []


@pytest.mark.parametrize(
    ("asked", "rows_a_page"),
    [("-1", 1), ("0", 1), ("1", 1), ("100", 100), ("101", 100), ("999999999999", 100), ("abc", 25), ("", 25)],
)
@pytest.mark.parametrize(("url", "noun", "nouns"), LISTS)
def test_per_page_is_held_between_1_and_100_on_every_list(
    analyst_client, url, noun, nouns, asked, rows_a_page
):
    response = analyst_client.get(url, {"per_page": asked})
    assert response.status_code == 200
    assert response.context["table"].paginator.per_page == rows_a_page


@pytest.mark.parametrize("page_number", ["-1", "0", "abc", "999999999999"])
def test_a_page_out_of_range_shows_a_page_not_an_error(analyst_client, page_number):
    assert analyst_client.get("/seizures/", {"page": page_number}).status_code == 200

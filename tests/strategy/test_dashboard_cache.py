"""Dashboard pages are rendered once and then served from the cache until something they show
changes: a new rollup, a target, an indicator, or the period, place or query asked for."""

from decimal import Decimal

import pytest

from strategy.rollups import rollup_run
from tests.factories.seizures import SeizureFactory, item

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def figure_of(page, slug):
    card = page.split(f'data-indicator="{slug}"', 1)[1]
    # As a whole number: PostgreSQL's sums carry the fact table's three decimal places.
    return str(Decimal(card.split('data-figure="', 1)[1].split('"', 1)[0]).normalize())


def test_a_new_rollup_shows_at_once_on_the_overview_and_the_indicator_page(
    manager_client, seizure_count, analyst
):
    SeizureFactory(seized_on=TODAY.replace(day=1), items=[item("cocaine", 1, "g")], user=analyst)
    rollup_run(full=True)
    assert figure_of(manager_client.get("/dashboard/").content.decode(), "seizures") == "1"
    before = manager_client.get("/dashboard/seizures/").content.decode()

    SeizureFactory(seized_on=TODAY.replace(day=1), items=[item("cocaine", 1, "g")], user=analyst)
    assert figure_of(manager_client.get("/dashboard/").content.decode(), "seizures") == "1"  # not rolled up
    rollup_run(full=True)

    assert figure_of(manager_client.get("/dashboard/").content.decode(), "seizures") == "2"
    assert manager_client.get("/dashboard/seizures/").content.decode() != before


def test_an_edited_indicator_shows_at_once(manager_client, seizure_count):
    rollup_run(full=True)
    assert "Drug seizures recorded" not in manager_client.get("/dashboard/").content.decode()
    assert "Drug seizures recorded" not in manager_client.get("/dashboard/seizures/").content.decode()

    seizure_count.title = "Drug seizures recorded"
    seizure_count.save()

    assert "Drug seizures recorded" in manager_client.get("/dashboard/").content.decode()
    assert "Drug seizures recorded" in manager_client.get("/dashboard/seizures/").content.decode()


def test_the_links_carry_the_query_each_page_was_asked_with(manager_client, seizure_count):
    rollup_run(full=True)
    manager_client.get("/dashboard/?period=year")
    page = manager_client.get("/dashboard/?period=year&force=").content.decode()

    assert 'href="/dashboard/seizures/?period=year&amp;force="' in page


def test_the_filter_form_shows_what_was_asked_for_each_time(manager_client, seizure_count):
    rollup_run(full=True)
    quarter = manager_client.get("/dashboard/?period=quarter&quarter=2").content.decode()
    year = manager_client.get("/dashboard/?period=year").content.decode()
    again = manager_client.get("/dashboard/?period=quarter&quarter=2").content.decode()

    assert '<option value="2" selected>' in quarter and '<option value="2" selected>' not in year
    assert '<option value="quarter" selected>' in again

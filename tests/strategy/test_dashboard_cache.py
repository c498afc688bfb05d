"""Dashboard pages are rendered once and then served from the cache until something they show
changes: a new rollup, a target, an indicator, or the period, place or query asked for."""

import re
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


def without_csrf_tokens(response):
    """A page's HTML but for its CSRF tokens, which are masked afresh for every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_the_nightly_run_renders_the_pages_as_they_open_so_no_one_waits_for_them(
    manager_client, seizure_count, street_value, analyst
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from strategy.tasks import nightly_rollup

    SeizureFactory(seized_on=TODAY.replace(day=1), items=[item("cocaine", 2, "g")], user=analyst)
    outcome = nightly_rollup()
    assert outcome["outcome"] == "succeeded" and outcome["pages_rendered"] == 3  # overview, 2 indicators

    paths = ("/dashboard/", "/dashboard/seizures/", "/dashboard/street-value/")
    warm = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            warm[path] = without_csrf_tokens(manager_client.get(path))
        assert not any("strategy_fact" in query["sql"] for query in queries.captured_queries), path
    cache.clear()  # and the same pages computed afresh
    for path in paths:
        assert without_csrf_tokens(manager_client.get(path)) == warm[path], path
    assert figure_of(manager_client.get("/dashboard/").content.decode(), "seizures") == "1"


def test_a_failure_rendering_the_pages_leaves_the_run_succeeded(manager_client, seizure_count, monkeypatch):
    from strategy import tasks

    calls = []

    def broken(*args, **kwargs):
        calls.append(args)
        raise RuntimeError("template missing")

    monkeypatch.setattr(tasks, "default_pages_render", broken)
    outcome = tasks.nightly_rollup()
    assert calls, "the run tried to render the pages"
    assert outcome["outcome"] == "succeeded" and outcome["pages_rendered"] == 0
    assert manager_client.get("/dashboard/").status_code == 200  # computed when asked for


@pytest.mark.django_db(transaction=True)
def test_an_edited_indicator_has_the_pages_as_they_open_rendered_again_once_committed(
    manager_client, seizure_count, street_value, monkeypatch
):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from strategy import tasks

    rendered = []
    render = tasks.default_pages_render
    monkeypatch.setattr(tasks, "default_pages_render", lambda: rendered.append(render()) or rendered[-1])
    rollup_run(full=True)
    manager_client.get("/dashboard/")
    with transaction.atomic():
        for title in ("Seizures", "Drug seizures", "Drug seizures recorded"):
            seizure_count.title = title
            seizure_count.save()
        assert rendered == []  # nothing before the edit is committed
    assert rendered == [3]  # once, after the last: the overview and the two indicators

    for path in ("/dashboard/", "/dashboard/seizures/", "/dashboard/street-value/"):
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(path).status_code == 200
        assert not any("strategy_fact" in query["sql"] for query in queries.captured_queries), path
    assert "Drug seizures recorded" in manager_client.get("/dashboard/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_pages_failing_to_render_after_an_edit_leave_the_edit_saved(
    manager_client, seizure_count, monkeypatch, caplog
):
    from strategy import tasks
    from strategy.models import Indicator

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(tasks, "default_pages_render", broken)
    seizure_count.title = "Drug seizures recorded"
    seizure_count.save()
    assert Indicator.objects.get(pk=seizure_count.pk).title == "Drug seizures recorded"
    assert "Rendering the dashboard pages after an edit failed" in caplog.text
    assert manager_client.get("/dashboard/").status_code == 200

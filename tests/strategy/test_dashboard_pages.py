import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geography.models import Area, Force
from strategy.models import Target
from strategy.rollups import rollup_run
from tests.factories.geography import area
from tests.factories.seizures import SeizureFactory, item

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def make_seizures(count, analyst):
    rugby = area("Rugby")
    made = []
    for n in range(count):
        seizure = SeizureFactory(
            seized_on=datetime.date(2025, 4 + n % 9, 1 + n % 27),
            force=rugby.force,
            area=rugby,
            items=[item("cocaine", 1 + n % 5, "g"), item("herbal-cannabis", 10, "g")],
            user=analyst,
        )
        made.append(seizure)
    rollup_run(full=True)
    return made


def test_the_overview_shows_each_indicator_with_its_figure_target_and_status(
    manager_client, seizure_count, street_value, analyst
):
    make_seizures(6, analyst)
    Target.objects.create(
        indicator=seizure_count, start=datetime.date(2025, 4, 1), end=datetime.date(2026, 3, 31), value=12
    )
    seizure_count.small_count_threshold = 0  # judge by percentages here
    seizure_count.save()

    page = manager_client.get("/dashboard/").content.decode()

    assert "Strategy overview" in page
    assert "Drug seizures" in page and "Street value seized" in page
    assert "6 seizures" in page
    # Today is 15 February 2026: the figures run to the 14th, 320 of the year's 365 days; 12 a
    # year makes 10.52 due, shown whole; 6 is 43% short.
    assert "target due so far 11 seizures" in page
    assert "Off track" in page
    assert "43% short of the target due so far" in manager_client.get("/dashboard/seizures/").content.decode()
    assert "Figures as of" in page
    assert 'href="/seizures/?date_from=2025-04-01&amp;date_to=2026-02-14"' in page


def test_every_figure_links_to_the_records_it_counts(manager_client, seizure_count, analyst):
    in_quarter = make_seizures(3, analyst)  # April, May and June 2025
    rugby = area("Rugby")
    SeizureFactory(seized_on=datetime.date(2025, 7, 1), force=rugby.force, area=rugby, user=analyst)
    rollup_run()

    page = manager_client.get("/dashboard/?period=quarter&year=2025&quarter=1").content.decode()

    link = "/seizures/?date_from=2025-04-01&date_to=2025-06-30"
    figure = re.search(rf'href="{re.escape(link.replace("&", "&amp;"))}"[^>]*>([^<]+)</a>', page)
    assert figure and figure.group(1) == "3 seizures"
    listed = manager_client.get(link).content.decode()
    assert set(re.findall(r">(S-\d{5})<", listed)) == {seizure.reference for seizure in in_quarter}


def test_changing_the_force_filters_figures_and_links(manager_client, seizure_count, analyst):
    make_seizures(4, analyst)
    west_mercia = Force.objects.get(name="West Mercia")

    page = manager_client.get(f"/dashboard/?force={west_mercia.pk}").content.decode()

    assert "West Mercia, 2025-26 to 14 February 2026" in page
    assert "0 seizures" in page
    assert f"force={west_mercia.pk}" in page


def test_a_district_outside_the_chosen_force_is_a_clear_error_not_a_500(manager_client, seizure_count):
    warwickshire = Force.objects.get(name="Warwickshire")
    worcester = Area.objects.get(name="Worcester")

    response = manager_client.get(f"/dashboard/?force={warwickshire.pk}&area={worcester.pk}")

    assert response.status_code == 200
    assert "Worcester is not in Warwickshire" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "period=custom&month_from=2026-03&month_to=2025-01",
        "period=custom&month_from=not-a-month",
        "year=1066",
        "force=999999",
        "period=custom&month_from=2020-01&month_to=2025-12",
    ],
)
def test_bad_filters_get_a_message_and_the_default_period(manager_client, seizure_count, query):
    response = manager_client.get(f"/dashboard/?{query}")

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "2025-26" in page


def test_the_overview_query_count_does_not_grow_with_the_number_of_records(
    manager_client, seizure_count, class_a_seizures, street_value, positive_share, analyst
):
    make_seizures(3, analyst)
    cache.clear()  # computed from facts both times, not served from the cache
    with CaptureQueriesContext(connection) as few:
        manager_client.get("/dashboard/")
    make_seizures(30, analyst)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        manager_client.get("/dashboard/")

    assert len(many) == len(few)
    assert not any("seizures_seizure" in query["sql"] for query in many.captured_queries)


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/street-value/"])
def test_a_page_reads_the_runs_once_though_four_of_its_parts_ask(
    manager_client, seizure_count, street_value, analyst, path
):
    """The figures' date, the freshness banner, the rebuild button and the figures' cache key."""
    make_seizures(3, analyst)
    run = rollup_run(full=True)
    with CaptureQueriesContext(connection) as queries:
        page = manager_client.get(path)
    assert page.status_code == 200
    runs = [query for query in queries.captured_queries if '"strategy_aggregationrun"' in query["sql"]]
    assert len(runs) == 1
    assert f'Figures as of <strong><time datetime="{run.finished_at.isoformat()}' in page.content.decode()


def test_the_indicator_page_shows_months_breakdown_forecast_and_exports_csv(
    manager_client, street_value, analyst
):
    make_seizures(9, analyst)
    Target.objects.create(
        indicator=street_value,
        start=datetime.date(2025, 4, 1),
        end=datetime.date(2026, 3, 31),
        force=Force.objects.get(name="Warwickshire"),
        value=500000,
    )

    page = manager_client.get("/dashboard/street-value/").content.decode()

    assert "Month by month" in page and "April 2025" in page and "March 2026" in page
    assert "By force, partnership and district" in page and "Rugby" in page and "Wyre Forest" in page
    assert "North Worcestershire" in page  # a community safety partnership
    assert "Forecast to 31 March 2026" in page
    assert "Figures by month (the chart above shows the same)" in page  # the chart's table alternative

    response = manager_client.get("/dashboard/street-value/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[1].startswith("Month,Figure")
    assert any(line.startswith("April 2025,£") for line in lines)
    assert any(line.startswith("1 to 14 February 2026,") for line in lines)
    assert any(line.startswith("Warwickshire,All,All,") for line in lines)
    assert any(line.startswith("Warwickshire,Rugby,Rugby,") for line in lines)


def test_an_unknown_indicator_is_404(manager_client, seizure_count):
    assert manager_client.get("/dashboard/no-such-indicator/").status_code == 404


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/seizures/", "/dashboard/figures/runs/"])
def test_partners_cannot_see_dashboards(partner_a_client, seizure_count, path):
    assert partner_a_client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/seizures/", "/dashboard/figures/runs/"])
def test_analysts_and_managers_can(analyst_client, seizure_count, path):
    assert analyst_client.get(path).status_code == 200


def test_a_failed_night_is_said_on_the_dashboard(manager_client, seizure_count, monkeypatch):
    from strategy import rollups

    rollup_run()
    monkeypatch.setattr(
        rollups, "_rebuild", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("disk full"))
    )
    rollup_run()

    page = manager_client.get("/dashboard/").content.decode()
    assert "did not finish" in page
    assert "Figures as of" in page
    runs = manager_client.get("/dashboard/figures/runs/").content.decode()
    assert "RuntimeError: disk full" in runs


def test_the_forecast_projects_the_trend_of_complete_months_to_the_year_end(
    manager_client, seizure_count, analyst
):
    rugby = area("Rugby")
    # One seizure a month from February 2025 (the twelve complete months before February 2026,
    # some of them last year: they shape the trend only) to January 2026; today is 15 February
    # 2026, so the figures run to the 14th and the rest of February is projected too.
    for month in [(2025, m) for m in range(2, 13)] + [(2026, 1)]:
        SeizureFactory(seized_on=datetime.date(*month, 10), force=rugby.force, area=rugby, user=analyst)
    rollup_run(full=True)

    page = manager_client.get("/dashboard/seizures/").content.decode()

    # 10 so far (April to January) + a flat 1 a month: 14 of February's 28 days, and March.
    forecast = re.search(r"Forecast to 31 March 2026</dt>\s*<dd[^>]*>([^<]+)<", page)
    assert forecast and forecast.group(1).strip() == "11.5 seizures"
    assert "a straight line fitted to the last 12 complete months" in page

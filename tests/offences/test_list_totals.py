"""The offence list adds up the cannabis plants of the cultivation offences it lists, as the
plants figure does, so the figure can be checked against the list its link leads to."""

import datetime

import pytest

from core import metrics
from core.templatetags.formatting import format_total
from tests.factories.offences import OffenceFactory
from tests.lists import list_totals

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2025, 6, 10)
JULY = datetime.date(2025, 7, 10)


@pytest.fixture
def offences():
    OffenceFactory(recorded_date=JUNE, grown=True, plants=24)
    OffenceFactory(recorded_date=JUNE, factory_site=True, plants=450)
    OffenceFactory(recorded_date=JULY, grown=True, plants=6)
    OffenceFactory(recorded_date=JULY)  # possession: no plants


def test_the_plants_are_the_sum_over_the_listed_offences_on_both_sides_of_a_filter(analyst_client, offences):
    assert list_totals(analyst_client, "/offences/") == {"Cannabis plants": "480"}
    assert list_totals(analyst_client, "/offences/?date_to=2025-06-30") == {"Cannabis plants": "474"}
    assert list_totals(analyst_client, "/offences/?date_from=2025-07-01") == {"Cannabis plants": "6"}
    assert list_totals(analyst_client, "/offences/?has_site=true") == {"Cannabis plants": "450"}
    assert list_totals(analyst_client, "/offences/?has_site=false") == {"Cannabis plants": "30"}


def test_a_list_without_cultivation_offences_shows_no_plants(analyst_client, offences):
    assert list_totals(analyst_client, "/offences/?cultivation=false") == {}
    # (the drug filter offers "Cannabis plants" too: the total would read "Cannabis plants: …")
    assert "Cannabis plants:" not in analyst_client.get("/offences/?cultivation=false").content.decode()


def test_cultivation_offences_without_a_count_of_plants_are_said(analyst_client, offences):
    OffenceFactory(recorded_date=JULY, grown=True, plants=None)

    assert list_totals(analyst_client, "/offences/?date_from=2025-07-01") == {
        "Cannabis plants": "6 (1 cultivation offence with no count of plants)"
    }
    assert list_totals(analyst_client, "/offences/?date_to=2025-06-30") == {"Cannabis plants": "474"}


def test_the_plants_figure_equals_the_total_on_the_list_its_link_leads_to(analyst_client, offences):
    metric = metrics.get("offences.cannabis_plants")
    for month in (datetime.date(2025, 6, 1), datetime.date(2025, 7, 1)):
        last = month.replace(day=30 if month.month == 6 else 31)
        for dimension, value in [(None, None), ("site_type", "residential"), ("site_type", "commercial")]:
            records = metric.queryset().filter(recorded_date__range=(month, last))
            if dimension:
                records = records.filter(site_type=value)
            figure = records.aggregate(v=metric.value)["v"] or 0
            url = metric.records_url(date_from=month, date_to=last, dimension=dimension, value=value)
            assert list_totals(analyst_client, url).get("Cannabis plants", "0") == format_total(figure), url

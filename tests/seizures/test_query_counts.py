"""List pages, exports and API lists run the same number of queries for 5 rows as for 50."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.seizures import SeizureFactory, WarrantFactory, item

pytestmark = pytest.mark.django_db


def make_rows(count):
    for number in range(count):
        warrant = WarrantFactory(executed_on=datetime.date(2025, 5, 6)) if number % 5 == 0 else None
        SeizureFactory(
            warrant=warrant,
            items=[item("cocaine", 1 + number, "g"), item("herbal-cannabis", 2, "g")],
        )


URLS = [
    "/seizures/",
    "/seizures/?drug=cocaine&drug_class=A&min_value=1&sort=total_value_pence",
    "/seizures/?_export=csv",
    "/seizures/?_export=xlsx",
    "/warrants/",
    "/warrants/?_export=csv",
    "/street-prices/",
    "/api/v1/seizures/",
    "/api/v1/seizures/?drug=cocaine",
    "/api/v1/warrants/",
    "/api/v1/drugs/",
    "/api/v1/street-prices/",
]


def queries_for(client, url):
    cache.clear()  # computed each time: what is kept in the cache (totals, forms) is not counted twice
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", URLS)
def test_query_count_does_not_grow_with_rows(analyst_client, url):
    make_rows(5)
    with_five = queries_for(analyst_client, url)
    make_rows(45)
    assert queries_for(analyst_client, url) == with_five

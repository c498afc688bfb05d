"""The list page and the API cost the same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.partners import make_referral

pytestmark = pytest.mark.django_db


def _queries(client, url):
    # Measured as every request after the first is: what the user may do is then in the cache.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        reverse("partners:referral_list"),
        "/api/v1/referrals/",
        reverse("partners:referral_list") + "?_export=csv",
    ],
)
def test_constant_queries_for_5_and_50_rows(analyst_client, partner_a, treatment_service, url, settings):
    def add(count):
        for _ in range(count):
            make_referral(by=partner_a, to=treatment_service)

    add(5)
    with_5 = _queries(analyst_client, url + ("&" if "?" in url else "?") + "page_size=50")
    add(45)
    with_50 = _queries(analyst_client, url + ("&" if "?" in url else "?") + "page_size=50")
    assert with_5 == with_50

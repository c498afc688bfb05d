import datetime

import pytest

from strategy.rollups import rollup_run
from tests.factories.geography import area
from tests.factories.seizures import SeizureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_up(analyst, seizure_count):
    rugby = area("Rugby")
    for day in (3, 17):
        SeizureFactory(seized_on=datetime.date(2025, 6, day), force=rugby.force, area=rugby, user=analyst)
    rollup_run(full=True)


def test_indicators_are_listed_with_goal_and_targets(manager_client, seizure_count):
    response = manager_client.get("/api/v1/indicators/")

    assert response.status_code == 200
    [indicator] = response.json()["results"]
    assert indicator["slug"] == "seizures"
    assert indicator["goal"]["strand"] == "supply"
    assert manager_client.get("/api/v1/indicators/seizures/").json()["metric"] == "seizures.count"


def test_facts_filter_by_metric_slice_and_month(manager_client, rolled_up):
    response = manager_client.get(
        "/api/v1/facts/",
        {"metric": "seizures.count", "totals": "true", "month_from": "2025-06-01", "month_to": "2025-06-01"},
    )

    assert response.status_code == 200
    [fact] = response.json()["results"]
    assert fact["value"] == "2.000"
    assert fact["area"] == area("Rugby").pk


def test_bad_filter_values_are_a_400_with_the_field_named(manager_client, rolled_up):
    response = manager_client.get("/api/v1/facts/", {"month_from": "June"})

    assert response.status_code == 400
    assert "month_from" in response.json()


def test_the_figures_api_is_read_only(manager_client, administrator_client, rolled_up):
    from strategy.models import Fact, Indicator

    facts, indicators = Fact.objects.count(), Indicator.objects.count()
    for client in (manager_client, administrator_client):
        assert client.post("/api/v1/facts/", {"metric": "x"}).status_code == 405
        assert client.delete("/api/v1/indicators/seizures/").status_code == 405
    assert (Fact.objects.count(), Indicator.objects.count()) == (facts, indicators)


def test_partners_are_refused_and_anonymous_users_must_authenticate(partner_a_client, client, rolled_up):
    assert partner_a_client.get("/api/v1/facts/").status_code == 403
    assert partner_a_client.get("/api/v1/indicators/").status_code == 403
    client.logout()
    assert client.get("/api/v1/facts/").status_code in (401, 403)

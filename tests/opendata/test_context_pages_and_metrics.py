"""Context pages list the open data with filters; the metrics roll up only rows with a district."""

import pytest
from django.urls import reverse

from core.metrics import discover
from tests.factories.imports import import_path


@pytest.fixture
def imported(shared_data, analyst):
    import_path(
        shared_data / "home-office/prc-pfa-201718_new.csv", "home-office-recorded-crime", user=analyst
    )
    import_path(
        shared_data / "police-uk/2018-03-warwickshire-stop-and-search.csv",
        "police-uk-stop-search",
        user=analyst,
        options={"force": "Warwickshire"},
    )


def test_the_recorded_crime_page_shows_the_year_totals(manager_client, imported):
    response = manager_client.get(reverse("opendata:recorded_crime_list"), {"offence_code": "92A"})

    totals = {(t["force__name"], t["offence_code"]): t["offences"] for t in response.context["year_totals"]}
    assert totals == {("Warwickshire", "92A"): 223, ("West Mercia", "92A"): 531}


def test_the_search_list_filters_by_outcome_and_says_how_many_have_no_district(manager_client, imported):
    response = manager_client.get(reverse("opendata:stop_search_list"), {"outcome": "Suspect arrested"})

    assert response.context["table"].paginator.count == 16
    assert b"have no district" in response.content


def test_the_metrics_are_declared_and_recorded_crime_is_context_only():
    metrics = discover()

    assert {"opendata.street_drug_crimes", "opendata.drug_searches"} <= set(metrics)
    assert "opendata.recorded_drug_offences" not in metrics
    url = metrics["opendata.drug_searches"].records_url(
        force=1, dimension="outcome", value="Suspect arrested"
    )
    assert url.startswith(reverse("opendata:stop_search_list")) and "has_area=true" in url


def test_rows_without_a_district_are_not_rolled_up(imported):
    searches = discover()["opendata.drug_searches"].queryset()

    # No Warwickshire street-level file has been imported, so no map point gives a district.
    assert searches.count() == 0

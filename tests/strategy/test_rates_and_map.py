"""Figures per 1,000 residents on the indicator page, at every scope, and the district map
whose every district leads to exactly the records its figure counts."""

import datetime
import json
import re
from decimal import Decimal

import pytest

from geography.models import Area
from strategy.rollups import rollup_run
from tests.factories.geography import area
from tests.factories.seizures import SeizureFactory, item

from .conftest import TODAY, live_figure

pytestmark = pytest.mark.django_db
YEAR = {"period": "year", "year": "2025"}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def seizures(analyst):
    """Rugby 4, Worcester 2, Warwick 1 in 2025-26."""
    for place, count in (("Rugby", 4), ("Worcester", 2), ("Warwick", 1)):
        district = area(place)
        for n in range(count):
            SeizureFactory(seized_on=datetime.date(2025, 5 + n, 3), force=district.force, area=district,
                           items=[item("cocaine", 1, "g")], user=analyst)  # fmt: skip
    rollup_run(full=True)


def rate_of(html, label):
    row = re.search(rf">{re.escape(label)}</(?:th|td)>(.*?)</tr>", html, re.S)[1]
    return re.search(r'app-rate">([^<]*)<', row)[1]


def test_the_indicator_page_gives_each_scope_per_1000_residents(manager_client, seizure_count, seizures):
    page = manager_client.get("/dashboard/seizures/", YEAR).content.decode()
    # The alliance: 7 seizures for 571,010 + 1,282,237 residents.
    alliance = Decimal(7 * 1000) / Decimal(571_010 + 1_282_237)
    assert re.search(r'id="indicator-rate">([^<]*)<', page)[1].strip() == f"{alliance:.2f}"
    assert rate_of(page, "Warwickshire") == f"{Decimal(5000) / 571_010:.2f}"  # 0.01
    assert rate_of(page, "Rugby") == f"{Decimal(4000) / 107_194:.2f}"  # a partnership: 0.04
    assert rate_of(page, "South Warwickshire") == f"{Decimal(1000) / (127_580 + 142_484):.2f}"
    assert rate_of(page, "Worcester") == f"{Decimal(2000) / 101_891:.2f}"  # a district: 0.02
    assert rate_of(page, "Redditch") == "0.00"
    assert 'href="/dashboard/compare/seizures/"' in page and 'href="/dashboard/seizures/map/' in page


def test_a_narrower_scope_has_its_own_residents(manager_client, seizure_count, seizures):
    rugby = area("Rugby")
    page = manager_client.get(
        "/dashboard/seizures/", {**YEAR, "partnership": rugby.partnership.pk}
    ).content.decode()
    assert re.search(r'id="indicator-rate">([^<]*)<', page)[1].strip() == f"{Decimal(4000) / 107_194:.2f}"
    assert "107,194 residents" in page


def test_money_and_shares_are_not_given_per_resident(manager_client, street_value, positive_share, seizures):
    for slug in ("street-value", "positive-warrants"):
        page = manager_client.get(f"/dashboard/{slug}/", YEAR).content.decode()
        assert "Per 1,000 residents" not in page


def map_data(page):
    return json.loads(
        re.search(r'<script id="district-map-data" type="application/json">(.*?)</script>', page, re.S)[1]
    )


def test_the_map_shades_every_alliance_district_with_a_legend_and_a_table(
    manager_client, seizure_count, seizures
):
    page = manager_client.get("/dashboard/seizures/map/", YEAR).content.decode()
    data = map_data(page)
    assert len(data["districts"]) == 14
    values = {district["name"]: district["value"] for district in data["districts"]}
    assert (values["Rugby"], values["Worcester"], values["Redditch"]) == (4, 2, 0)
    # Five bands from 0 to 5 (the largest figure, 4, rounded up): Rugby in the darkest.
    legend = re.findall(r'app-legend__swatch (app-shade-[a-z0-9]+)"></span>([^<]*)</li>', page)
    assert [text for _, text in legend][:5] == [
        "0 to 1",
        "over 1 to 2",
        "over 2 to 3",
        "over 3 to 4",
        "over 4 to 5",
    ]
    colours = {district["name"]: district["colour"] for district in data["districts"]}
    assert colours["Rugby"] == "#1d70b8" and colours["Redditch"] == "#d2e2f1"
    assert page.count('<tr class="govuk-table__row" data-district=') == 14
    assert 'tabindex="0"' in page and "Use the arrow keys" in page


def test_every_district_on_the_map_leads_to_exactly_its_records(manager_client, seizure_count, seizures):
    data = map_data(manager_client.get("/dashboard/seizures/map/", YEAR).content.decode())
    for district in data["districts"]:
        url = district["url"]
        place = Area.objects.get(ons_code=district["code"])
        assert f"area={place.pk}" in url and "date_from=2025-04-01" in url
        assert live_figure("seizures.count", url) == district["value"]


def test_the_map_per_1000_residents(manager_client, seizure_count, seizures):
    page = manager_client.get("/dashboard/seizures/map/", {**YEAR, "measure": "rate"}).content.decode()
    values = {district["name"]: district["value"] for district in map_data(page)["districts"]}
    assert values["Rugby"] == float(f"{Decimal(4000) / 107_194:.2f}")
    assert "per 1,000 residents" in page


def test_a_measure_that_does_not_apply_shows_the_figures(
    manager_client, street_value, seizure_count, seizures
):
    page = manager_client.get("/dashboard/street-value/map/", {**YEAR, "measure": "rate"}).content.decode()
    assert "Per 1,000 residents" not in page  # money is not given per resident
    page = manager_client.get("/dashboard/seizures/map/", {**YEAR, "measure": "nonsense"}).content.decode()
    assert map_data(page)["measure"] == "Number"


def test_the_map_of_a_force_shows_its_districts(manager_client, seizure_count, seizures):
    warwickshire = area("Rugby").force
    page = manager_client.get("/dashboard/seizures/map/", {**YEAR, "force": warwickshire.pk}).content.decode()
    assert {district["name"] for district in map_data(page)["districts"]} == {
        "North Warwickshire", "Nuneaton and Bedworth", "Rugby", "Stratford-on-Avon", "Warwick"
    }  # fmt: skip


def test_partners_may_not_see_the_map(partner_a_client, seizure_count):
    assert partner_a_client.get("/dashboard/seizures/map/").status_code == 403


def test_an_unknown_indicator_has_no_map(manager_client):
    assert manager_client.get("/dashboard/no-such-thing/map/").status_code == 404

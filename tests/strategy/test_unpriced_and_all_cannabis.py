"""A £ figure says how many items it leaves out for want of a price, linked to exactly those; the
Home Office's "all cannabis" figure counts a seizure once whatever cannabis it holds."""

import datetime
import html
import re

import pytest

from strategy.models import Indicator, metric_choices
from strategy.rollups import rollup_run
from tests.factories.seizures import SeizureFactory, item

from .conftest import TODAY, live_figure

pytestmark = pytest.mark.django_db

UNPRICED_LINK = re.compile(
    r'includes <a class="govuk-link" href="([^"]+)" data-unpriced="(\d+)">([^<]+)</a> — a minimum'
)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def listed_references(client, url):
    response = client.get(html.unescape(url) + "&_export=csv")
    return {line.split(",")[0] for line in response.getvalue().decode().splitlines()[1:]}


def test_the_overview_street_value_card_says_how_many_items_are_unpriced(manager_client, street_value):
    day = datetime.date(2025, 6, 1)
    SeizureFactory(reference="PRICED", seized_on=day, items=[item("cocaine", 2, "g")])
    rollup_run(full=True)
    page = manager_client.get("/dashboard/").content.decode()
    assert "unpriced" not in page  # none: nothing said

    SeizureFactory(reference="MIXED", seized_on=day, items=[item("cocaine", 1, "g"), item("unknown", 5, "g")])
    SeizureFactory(reference="ODD", seized_on=day, items=[item("other-class-a", 3, "doses")])
    rollup_run(full=True)
    page = manager_client.get("/dashboard/").content.decode()
    card = re.search(r'data-indicator="street-value">(.*?)</li>', page, re.S).group(1)
    href, count, text = UNPRICED_LINK.search(card).groups()
    assert (count, text) == ("2", "2 unpriced items")
    assert ">£180<" in card  # 3 g of cocaine: the unpriced items add nothing
    assert listed_references(manager_client, href) == {"MIXED", "ODD"}
    assert live_figure("seizures.unpriced_items", html.unescape(href)) == 2

    detail = manager_client.get("/dashboard/street-value/").content.decode()
    found = UNPRICED_LINK.findall(detail)
    assert len(found) >= 3  # the figure, its month, its force…
    assert found[0][1:] == ("2", "2 unpriced items")
    csv = manager_client.get("/dashboard/street-value/?format=csv").content.decode()
    assert "Unpriced items left out (the figure is a minimum)" in csv


def test_a_count_figure_says_nothing_of_prices(manager_client, seizure_count):
    SeizureFactory(seized_on=datetime.date(2025, 6, 1), items=[item("unknown", 5, "g")])
    rollup_run(full=True)
    assert "unpriced" not in manager_client.get("/dashboard/").content.decode()


def test_all_cannabis_counts_a_seizure_once_and_is_offered_to_indicators(manager_client, supply_goal):
    assert "seizures.all_cannabis" in dict(metric_choices())
    indicator = Indicator.objects.create(
        goal=supply_goal, slug="all-cannabis", title="Cannabis seizures", metric="seizures.all_cannabis"
    )
    day = datetime.date(2025, 6, 1)
    SeizureFactory(
        reference="FARM",
        seized_on=day,
        items=[item("herbal-cannabis", 50, "g"), item("cannabis-plants", 9, "plants")],
    )
    SeizureFactory(reference="OIL", seized_on=day, items=[item("other-cannabis", 30, "ml")])
    SeizureFactory(
        reference="RESIN", seized_on=day, items=[item("cannabis-resin", 4, "g"), item("cocaine", 1, "g")]
    )
    SeizureFactory(reference="COKE", seized_on=day, items=[item("cocaine", 1, "g")])
    rollup_run(full=True)
    page = manager_client.get(f"/dashboard/{indicator.slug}/").content.decode()
    link = re.search(r'id="indicator-figure" href="([^"]+)">([^<]+)<', page)
    assert link.group(2) == "3"
    assert listed_references(manager_client, link.group(1)) == {"FARM", "OIL", "RESIN"}

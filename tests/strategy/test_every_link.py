"""Every figure on the overview and on every indicator page, for every period and scope, equals
what the records behind its link add up to — this year's, the same days a year (or more)
earlier, by force, partnership, district and month, and each target's progress.

The pages are read as a manager sees them; each link is followed to its list's FilterSet over
the live records (tests/strategy/conftest.live_figure) and the total is written as the page
writes figures. Records dated on the day the figures were built (TODAY) are entered but not yet
counted, so no link may list them."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import Resolver404, resolve

from core import metrics
from core.views import FilteredTableView
from geography.models import Area, CommunitySafetyPartnership, Force
from offences.models import OffenceType
from opendata.models import StreetCrime
from seizures import services as seizure_services
from strategy.demo import GOALS
from strategy.models import Goal, Indicator, Strategy, Target
from strategy.rollups import rollup_run
from strategy.templatetags.dashboard import format_indicator_value
from tests.factories import AgencyFactory, UserFactory
from tests.factories.offences import OffenceFactory
from tests.factories.partners import make_referral, move_to
from tests.factories.seizures import SeizureFactory, SiteFactory, WarrantFactory, band, drug, item

from .conftest import TODAY, live_figure

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a class="govuk-link[^"]*"[^>]*href="(/[^"?]+/\?[^"]*)"[^>]*>([^<]*)</a>')
DRUGS = [
    ("cocaine", 3, "g"),
    ("heroin", 1, "g"),
    ("herbal-cannabis", 25, "g"),
    ("cannabis-plants", 12, "plants"),
    ("unknown", 2, "g"),  # no price: every £ figure says how many such items it leaves out
]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def demo_indicators(db):
    """The demo strategy's goals and indicators: every kind of figure the dashboards show."""
    strategy = Strategy.objects.create(
        name="Alliance drug strategy", start=datetime.date(2024, 4, 1), end=datetime.date(2027, 3, 31)
    )
    indicators = []
    for order, (strand, title, definitions) in enumerate(GOALS):
        goal = Goal.objects.create(strategy=strategy, strand=strand, title=title, order=order)
        for position, (slug, indicator_title, metric, options) in enumerate(definitions):
            indicators.append(
                Indicator.objects.create(
                    goal=goal, slug=slug, title=indicator_title, metric=metric, order=position, **options
                )
            )
    return indicators


def days(first, count, step):
    return [first + datetime.timedelta(days=step * n) for n in range(count)]


@pytest.fixture
def records(analyst, partner_a):
    """Three years of records in both forces' districts, with some dated TODAY (entered after the
    figures were built: never counted, never listed) and some withdrawn."""
    areas = list(Area.objects.in_alliance().select_related("force", "partnership").order_by("ons_code"))
    warrants = []
    for number, day in enumerate(days(datetime.date(2023, 5, 3), 12, 83)):
        place = areas[number % len(areas)]
        result = ["not_executed", "drugs_found", "drugs_found", "nothing_found"][number % 4]
        warrants.append(
            WarrantFactory(
                reference=f"W-{number}",
                force=place.force,
                area=place,
                applied_on=day - datetime.timedelta(days=2),
                issued_on=day - datetime.timedelta(days=1),
                executed_on=None if result == "not_executed" else day,
                result=result,
                arrests=0 if result == "not_executed" else number % 3,
                cash_seized_pence=0 if result == "not_executed" else (number % 4) * 37_500,
                user=analyst,
            )
        )
    for number, day in enumerate(days(datetime.date(2023, 4, 2), 46, 23) + [TODAY]):
        place = areas[(number * 5) % len(areas)]
        executed = [w for w in warrants if w.force == place.force and w.executed_on and w.executed_on <= day]
        executed = [w for w in executed if w.issued_on <= day]
        seizure = SeizureFactory(
            reference=f"S-{number}",
            seized_on=day,
            force=place.force,
            area=place,
            user=analyst,
            warrant=executed[-1] if executed and number % 5 == 0 else None,
            items=[item(*DRUGS[(number + k) % len(DRUGS)]) for k in range(1 + number % 3)],
        )
        if number % 11 == 7:
            seizure_services.seizure_withdraw(seizure=seizure, user=analyst, reason="Entered twice")
    supplied = [drug("cocaine"), drug("herbal-cannabis"), drug("heroin")]
    for number, day in enumerate(days(datetime.date(2023, 4, 9), 29, 36) + [TODAY]):
        place = areas[(number * 3) % len(areas)]
        grown, supply = number % 3 == 0, number % 3 == 1
        charged = day < TODAY - datetime.timedelta(days=40)
        # Every other grow is at a cannabis factory, closed that day: two offenders at each.
        farm = None
        if grown and number % 2 == 0:
            farm = SiteFactory(
                reference=f"F-{number}", force=place.force, area=place, discovered_on=day, closed_on=day,
                plants=30 + number, size_band=band(2), user=analyst,
            )  # fmt: skip
        kind = (
            OffenceType.PRODUCTION_OF_CANNABIS if grown else OffenceType.SUPPLY if supply
            else OffenceType.POSSESSION_OF_CANNABIS
        )  # fmt: skip
        for offender in range(2 if farm else 1):
            OffenceFactory(
                crime_reference=f"23/{number:05d}/24{'B' * offender}", recorded_date=day, force=place.force,
                area=place, offence_type=kind, cultivation=grown, plants=30 + number if grown else None,
                site_type="commercial" if grown else "", site=farm,
                drug=supplied[number % 3] if supply else None,
                outcome="charged" if charged else "ongoing",
                outcome_date=day + datetime.timedelta(days=30) if charged else None,
            )  # fmt: skip
    treatment = AgencyFactory(name="A treatment service", kind="treatment")
    worker = UserFactory(username="worker", role="Partner", agency=treatment)
    for number, day in enumerate(days(datetime.date(2023, 6, 1), 14, 67)):
        place = areas[(number * 7) % len(areas)]
        referral = make_referral(by=partner_a, to=treatment, referral_date=day, area=place,
                                 subject_first_initial="ABCDEFGHJKLMNP"[number])  # fmt: skip
        if number % 2 == 0 and day < TODAY - datetime.timedelta(days=60):
            move_to(referral, "completed" if number % 4 == 0 else "in_treatment", by=worker,
                    on=day + datetime.timedelta(days=20))  # fmt: skip
    for number, day in enumerate(days(datetime.date(2023, 4, 1), 35, 31)):
        place = areas[number % len(areas)]
        StreetCrime.objects.create(
            crime_id=f"{number:064d}", month=day.replace(day=1), force=place.force, area=place,
            lsoa_code="E01000001", outcome="Local resolution",
        )  # fmt: skip


def shown(value, indicator):
    return html.unescape(format_indicator_value(value, indicator))


def list_links(page):
    """(path with query, text) of every link on the page to a record list."""
    found = []
    for href, text in LINK.findall(page):
        href = html.unescape(href)
        try:
            view = resolve(urlsplit(href).path).func
        except Resolver404:
            continue
        if issubclass(getattr(view, "view_class", type), FilteredTableView):
            found.append((href, html.unescape(text).strip()))
    return found


def expected_text(indicator, href):
    """What the records behind `href` add up to, written as the page writes the figure."""
    if not indicator.is_ratio:
        return shown(live_figure(indicator.metric, href), indicator)
    # A share links to its numerator's records; the denominator is the same window and place.
    query = parse_qs(urlsplit(href).query)
    numerator = metrics.get(indicator.metric)
    denominator = metrics.get(indicator.denominator_metric)
    names = {param: key for key, param in numerator.filter_params.items()}
    places = {key: query[key] for key in ("force", "partnership", "area") if key in query}
    window = {
        names[param]: values[0]
        for param, values in query.items()
        if names.get(param) in ("date_from", "date_to")
    }
    all_href = denominator.records_url(**window, **{k: v if len(v) > 1 else v[0] for k, v in places.items()})
    positives, executed = (
        live_figure(indicator.metric, href),
        live_figure(indicator.denominator_metric, all_href),
    )
    return shown(None if executed == 0 else positives * 100 / executed, indicator)


def unpriced_text(indicator, href):
    """ "3 unpriced items": the link a £ figure carries to the items it leaves out."""
    count = live_figure(metrics.get(indicator.metric).unpriced_metric, href)
    return f"{count:,} unpriced item{'' if count == 1 else 's'}"


def check_links(page, indicator_for, where):
    """Every list link's text equals its records' total; returns how many were checked."""
    checked = 0
    for href, text in list_links(page):
        indicator = indicator_for(href)
        if indicator is None or text == "all records in the share":
            continue
        assert "2026-02-15" not in href or "date_from=2026-02-15" in href, (where, href)
        if "unpriced=true" in href:
            assert text == unpriced_text(indicator, href), (where, indicator.slug, href)
        else:
            assert text == expected_text(indicator, href), (where, indicator.slug, href)
        checked += 1
    return checked


def scopes():
    rugby = Area.objects.get(name="Rugby")
    south_warwickshire = CommunitySafetyPartnership.objects.get(name="South Warwickshire")
    north_worcestershire = CommunitySafetyPartnership.objects.get(name="North Worcestershire")
    return {
        "alliance": "",
        "Warwickshire": f"force={Force.objects.get(name='Warwickshire').pk}",
        "South Warwickshire": f"partnership={south_warwickshire.pk}",
        "North Worcestershire": f"partnership={north_worcestershire.pk}",
        "Rugby": f"area={rugby.pk}",
    }


# Every indicator page is walked for these; for the rest, one of each kind of figure (a sum in
# pounds, a count of one class, a share, a count of offences).
ALL_PAGES = {("2025-26, under way", "alliance"), ("24 months to September 2026", "alliance")}
SAMPLE_PAGES = ("street-value-seized", "class-a-seizures", "positive-warrants", "cultivation-offences")
PERIODS = {
    "2025-26, under way": "period=year&year=2025",
    "2024-25": "period=year&year=2024",
    "Q4 2025-26, under way": "period=quarter&year=2025&quarter=4",
    "Q2 2025-26": "period=quarter&year=2025&quarter=2",
    "24 months to September 2026": "period=custom&month_from=2024-10&month_to=2026-09",
    "the whole strategy": "period=strategy",
}


def test_every_link_on_the_overview_and_every_indicator_page_lists_exactly_its_figure(
    manager_client, demo_indicators, records
):
    Target.objects.create(
        indicator=Indicator.objects.get(slug="street-value-seized"),
        start=datetime.date(2024, 10, 1), end=datetime.date(2026, 9, 30), value=1_000_000_00,
    )  # fmt: skip
    run = rollup_run(full=True)
    assert run.outcome == "succeeded" and run.through == TODAY - datetime.timedelta(days=1)
    by_path = {}
    for indicator in demo_indicators:
        list_path = urlsplit(metrics.get(indicator.metric).records_url()).path
        by_path.setdefault(list_path, []).append(indicator)

    checked = 0
    for period_name, period_query in PERIODS.items():
        for scope_name, scope_query in scopes().items():
            query = "&".join(part for part in (period_query, scope_query) if part)
            overview = manager_client.get(f"/dashboard/?{query}").content.decode()
            assert "There is a problem" not in overview, (period_name, scope_name)
            cards = re.findall(
                r'(<li class="app-card app-indicator-card" data-indicator="([^"]+)">.*?</li>)', overview, re.S
            )
            assert len(cards) == len(demo_indicators)
            for card_html, slug in cards:
                indicator = next(i for i in demo_indicators if i.slug == slug)
                checked += check_links(
                    card_html, lambda href, i=indicator: i, (period_name, scope_name, slug)
                )
            every_page = (period_name, scope_name) in ALL_PAGES
            pages = demo_indicators if every_page else [i for i in demo_indicators if i.slug in SAMPLE_PAGES]
            for indicator in pages:
                page = manager_client.get(f"/dashboard/{indicator.slug}/?{query}").content.decode()
                checked += check_links(
                    page, lambda href, i=indicator: i, (period_name, scope_name, indicator.slug)
                )
    assert checked > 1000
    # The £ figures say how many unpriced items they leave out, linked to exactly those.
    overview = manager_client.get("/dashboard/?period=strategy").content.decode()
    assert re.search(r"includes <a [^>]*unpriced=true[^>]*>\d+ unpriced items?</a> — a minimum", overview)


def test_the_alliance_figures_are_the_same_with_a_context_force_configured(
    manager_client, demo_indicators, records, shared_data
):
    from tests.factories.imports import configure_force_from_ons

    rollup_run(full=True)
    before = manager_client.get("/dashboard/").content.decode()
    west_yorkshire = configure_force_from_ons(shared_data / "ons" / "lad19-csp19-pfa19.csv", "E23000010")
    leeds = Area.objects.get(name="Leeds")
    for number in range(40):
        StreetCrime.objects.create(
            crime_id=f"wy{number:062d}", month=datetime.date(2025, 6, 1), force=west_yorkshire, area=leeds,
            lsoa_code="E01011111", outcome="Local resolution",
        )  # fmt: skip
    rollup_run(full=True)
    after = manager_client.get("/dashboard/").content.decode()

    def figures(page):
        return re.findall(r'data-figure="([^"]*)"', page)

    assert figures(after) == figures(before)
    indicator = Indicator.objects.create(
        goal=Goal.objects.first(), slug="police-uk-crimes", title="Drug crime (police.uk)",
        metric="opendata.street_drug_crimes", display_unit="crimes",
    )  # fmt: skip
    page = manager_client.get(f"/dashboard/{indicator.slug}/?period=year&year=2025").content.decode()
    figure_link = re.search(r'id="indicator-figure" href="([^"]+)">([^<]+)<', page)
    assert "West Yorkshire" not in html.unescape(figure_link.group(0))
    assert figure_link.group(2) == shown(
        live_figure(indicator.metric, html.unescape(figure_link.group(1))), indicator
    )
    assert "Forces outside the alliance, for comparison" in page and "West Yorkshire" in page
    assert StreetCrime.objects.filter(force__in_alliance=True).count() < StreetCrime.objects.count()

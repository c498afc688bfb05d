"""The alliance against every force and partnership: funnel plots with their verdicts, the
trend, and the portal's own figures beside the published ones. The expected figures are worked
out here from the published files themselves, not through the code under test."""

import csv
import datetime
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from scipy.stats import poisson

from offences.models import Offence
from strategy.rollups import rollup_run
from tests.factories.geography import area
from tests.factories.offences import OffenceFactory

from .conftest import TODAY

pytestmark = pytest.mark.django_db

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"
NO_RESIDENTS = {"British Transport Police", "Border Force"}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def published_seizures(year_file):
    with open(
        SHARED / "home-office" / "seizures-by-force" / "counts" / year_file, encoding="utf-8-sig"
    ) as handle:
        rows = list(csv.reader(handle))
    return {row[0].strip(): int(row[1]) for row in rows[1:] if row[1].strip()}


def england_residents():
    with open(
        SHARED / "ons" / "population" / "la_population_mid2018_lad19.csv", encoding="utf-8-sig"
    ) as handle:
        return sum(
            int(row["all_ages"]) for row in csv.DictReader(handle) if row["area_codes"].startswith("E")
        )


def exact_verdict(observed, expected):
    """The exact Poisson test, one side at a time: how likely so many (or so few) at the national
    rate. Beyond 99.8 % when at most 0.1 %, beyond 95 % when at most 2.5 %."""
    above, below = poisson.sf(observed - 1, expected), poisson.cdf(observed, expected)
    if above <= 0.001:
        return "Significantly above the national rate (beyond the 99.8 % limit)"
    if above <= 0.025:
        return "Significantly above the national rate (beyond the 95 % limit)"
    if below <= 0.001:
        return "Significantly below the national rate (beyond the 99.8 % limit)"
    if below <= 0.025:
        return "Significantly below the national rate (beyond the 95 % limit)"
    return "Not significantly different from the national rate"


def peer_rows(page):
    """{name: row text} of the comparison table."""
    rows = re.findall(r'<tr class="govuk-table__row[^"]*" data-peer="[^"]*">(.*?)</tr>', page, re.S)
    result = {}
    for row in rows:
        cells = [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        cells = [" ".join(cell.split()) for cell in cells]
        result[cells[0].removesuffix(" Alliance")] = cells
    return result


def test_must_show_1_the_alliance_forces_seizures_per_1000_in_2018_19_with_their_verdicts(manager_client):
    seizures = published_seizures("Seizures18-19.csv")
    england_seizures = sum(count for force, count in seizures.items() if force not in NO_RESIDENTS)
    national_rate = england_seizures / england_residents()  # per resident
    # The forces' residents: their districts' (the data README: 571,010 and 1,282,237).
    residents = {"Warwickshire": 571_010, "West Mercia": 1_282_237}
    expected = {}
    for force, population in residents.items():
        observed = seizures[force]
        expected[force] = (
            f"{observed * 1000 / population:.2f}",
            exact_verdict(observed, national_rate * population),
        )
    assert expected == {
        "Warwickshire": ("2.53", "Significantly above the national rate (beyond the 95 % limit)"),
        "West Mercia": ("2.57", "Significantly above the national rate (beyond the 99.8 % limit)"),
    }

    response = manager_client.get("/dashboard/compare/seizures/", {"period": "2018-19"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{national_rate * 1000:.3f}" == "2.402"
    assert '<span id="national-rate">2.402</span>' in page
    rows = peer_rows(page)
    assert len(rows) == 39  # every force of England with residents; BTP and Border Force apart
    for force, (rate, verdict) in expected.items():
        assert rows[force][1] == f"{seizures[force]:,}"
        assert rows[force][2] == f"{residents[force]:,}"
        assert rows[force][3] == rate
        assert rows[force][-1] == verdict
    # The other forces are judged the same way.
    for force in ("Metropolitan Police", "Cleveland", "Dorset"):
        population = int(rows[force][2].replace(",", ""))
        assert rows[force][-1] == exact_verdict(seizures[force], national_rate * population)
    assert "British Transport Police: 11,053" not in page  # listed apart, not plotted
    assert "British Transport Police" in page and "no residents to divide by" in page
    assert 'id="own-figures-none"' in page  # nothing recorded here for 2018-19: no column of noughts
    chart = json.loads(
        re.search(r'<script id="funnel-data" type="application/json">(.*?)</script>', page, re.S)[1]
    )
    ours = {peer["name"] for peer in chart["peers"] if peer["alliance"]}
    assert ours == {"Warwickshire", "West Mercia"}
    assert len(chart["lines"]) > 10 and chart["nationalRate"] == 2.402


def ons_table(sheet):
    workbook = openpyxl.load_workbook(
        SHARED / "ons" / "recorded-crime" / "policeforceareatablesyedecember2024.xlsx", read_only=True
    )
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header = [" ".join(str(cell).split()) if cell else "" for cell in rows[7]]
    drugs = header.index("Drug offences")
    return {row[3]: row for row in rows[8:] if row[3]}, drugs


ALLIANCE_PARTNERSHIPS = {
    "North Warwickshire": 93, "Nuneaton and Bedworth": 338, "Rugby": 286, "South Warwickshire": 434,
    "Herefordshire, County of": 330, "North Worcestershire": 457, "Shropshire": 377, "South Worcester": 471,
    "Telford and Wrekin": 528,
}  # fmt: skip


def test_must_show_2_drug_offences_per_1000_for_the_nine_partnerships_in_2024(manager_client):
    counts, drugs = ons_table("Table C2")
    rates, rate_column = ons_table("Table C4")
    response = manager_client.get("/dashboard/compare/drug-offences/")  # the newest year by default
    page = response.content.decode()
    assert "Year ending December 2024" in page
    rows = peer_rows(page)
    chart = json.loads(
        re.search(r'<script id="funnel-data" type="application/json">(.*?)</script>', page, re.S)[1]
    )
    plotted = {peer["name"]: peer for peer in chart["peers"] if peer["alliance"]}
    assert set(plotted) == set(ALLIANCE_PARTNERSHIPS)
    for name, offences in ALLIANCE_PARTNERSHIPS.items():
        assert counts[name][drugs] == offences  # the data README's figure is the ONS table's
        population = rates[name][6]  # the ONS's population, column "Population figures (mid-2022)"
        worked = offences * 1000 / population
        assert rows[name][2] == f"{offences:,}"
        assert rows[name][4] == f"{worked:.2f}"
        assert f"{rates[name][rate_column]:.2f}" == f"{worked:.2f}"  # the rate the ONS publishes
        assert plotted[name]["count"] == offences and plotted[name]["rate"] == pytest.approx(
            worked, abs=0.005
        )
    assert len(rows) == 313  # every partnership with residents; the City of London apart
    assert "Unassigned Warwickshire: 16 drug offences" in page


def test_the_trend_sets_the_alliance_against_england_every_year(manager_client):
    page = manager_client.get("/dashboard/compare/seizures/").content.decode()
    years = re.findall(r'<tr class="govuk-table__row" data-label="([^"]+)" data-alliance="([^"]*)"', page)
    assert [year for year, _ in years] == [f"20{n:02d}-{n + 1:02d}" for n in range(9, 19)]
    # 2012-13: (1,236 + 3,391) seizures by 571,010 + 1,282,237 residents.
    assert dict(years)["2012-13"] == f"{(1236 + 3391) * 1000 / (571_010 + 1_282_237):.2f}"


def test_the_portals_own_drug_offences_beside_the_ons_figures(manager_client):
    rugby = area("Rugby")
    for day in (datetime.date(2024, 1, 5), datetime.date(2024, 7, 1), datetime.date(2024, 12, 31)):
        OffenceFactory(recorded_date=day, force=rugby.force, area=rugby)
    OffenceFactory(recorded_date=datetime.date(2025, 1, 1), force=rugby.force, area=rugby)  # another year
    rollup_run(full=True)
    page = manager_client.get("/dashboard/compare/drug-offences/", {"period": "Year ending December 2024"})
    text = page.content.decode()
    own = text[text.index('id="own-figures"') :]
    rugby_row = re.search(r"<th[^>]*>Rugby</th>(.*?)</tr>", own, re.S)[1]
    published, here, difference = (
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", rugby_row, re.S)
    )
    assert (published, here, difference) == ("286", "3", "-283")
    assert "Unassigned" in text and "recorded here by the alliance" in text
    link = re.search(r'<a class="govuk-link" href="([^"]+)">3</a>', rugby_row)[1].replace("&amp;", "&")
    listed = manager_client.get(link).content.decode()
    references = set(re.findall(r"23/\d{5}/24", listed))
    expected = set(
        Offence.objects.filter(recorded_date__year=2024, area__partnership=rugby.partnership).values_list(
            "crime_reference", flat=True
        )
    )
    assert references == expected and len(expected) == 3


def test_a_year_not_in_the_list_is_refused_with_a_message(manager_client):
    response = manager_client.get("/dashboard/compare/seizures/", {"period": "1999-00"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a year from the list" in page and "govuk-error-summary" in page
    assert '<h2 class="govuk-heading-l">2018-19</h2>' in page  # the newest year instead


def test_an_unknown_comparison_is_not_found(manager_client):
    assert manager_client.get("/dashboard/compare/burglaries/").status_code == 404


def test_partners_may_not_see_the_comparisons(partner_a_client):
    assert partner_a_client.get("/dashboard/compare/").status_code == 403
    assert partner_a_client.get("/dashboard/compare/seizures/").status_code == 403


def test_the_index_lists_every_comparison(manager_client):
    page = manager_client.get("/dashboard/compare/").content.decode()
    for slug in ("seizures", "class-a-seizures", "drug-offences"):
        assert f'href="/dashboard/compare/{slug}/"' in page

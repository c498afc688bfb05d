"""The alliance's own police.uk months (October 2018 - January 2019) and both forces' January
2019 searches, loaded from the real files: the README's counts, and searches placed in
districts through street crimes at the same map points."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from imports.models import ImportBatch
from opendata.models import MapPoint, StopSearch, StreetCrime
from strategy.models import Fact
from strategy.rollups import rollup_run
from tests.factories.imports import import_path

MONTHS = ("2018-10", "2018-11", "2018-12", "2019-01")
# Drug crimes per street file (README), Warwickshire then West Mercia, and those without an LSOA.
DRUG_CRIMES = {
    "2018-10": (62, 179), "2018-11": (64, 168), "2018-12": (82, 188), "2019-01": (89, 180),
}  # fmt: skip
WITHOUT_LSOA = {"2018-10": (1, 4), "2018-11": (1, 4), "2018-12": (2, 3), "2019-01": (2, 5)}
FORCES = (("warwickshire", "Warwickshire"), ("west-mercia", "West Mercia"))
DRUG_SEARCHES = {"Warwickshire": 80, "West Mercia": 152}
WITH_COORDINATES = {"Warwickshire": 68, "West Mercia": 131}
PLACED = {"Warwickshire": 53, "West Mercia": 106}
JANUARY = "2019-01-01"


@pytest.fixture
def lsoa_lookup(shared_data):
    call_command("load_lsoa_lookup", str(shared_data / "ons/lsoa11-lad19-england.csv"), stdout=None)


def street(shared_data, month, slug):
    return shared_data / "police-uk" / f"{month}-{slug}-street.csv"


def searches(shared_data, slug):
    return shared_data / "police-uk" / f"2019-01-{slug}-stop-and-search.csv"


def january_searches_placed():
    facts = Fact.objects.filter(metric="opendata.drug_searches", dimension="", month=JANUARY)
    totals = Counter()
    for force, value in facts.values_list("force__name", "value"):
        totals[force] += int(value)
    return dict(totals)


def test_the_files_give_the_readmes_counts_and_searches_are_placed(shared_data, analyst, lsoa_lookup):
    for month in MONTHS:
        for index, (slug, force) in enumerate(FORCES):
            batch = import_path(street(shared_data, month, slug), "police-uk-street-crime", user=analyst)
            assert (batch.status, batch.created, batch.invalid) == ("done", DRUG_CRIMES[month][index], 0)
            crimes = StreetCrime.objects.filter(force__name=force, month=f"{month}-01")
            assert crimes.count() == DRUG_CRIMES[month][index]
            assert crimes.filter(lsoa_code="").count() == WITHOUT_LSOA[month][index]
    assert MapPoint.objects.count() == 15_510  # every crime type's points, not only drugs'

    for slug, force in FORCES:
        batch = import_path(
            searches(shared_data, slug), "police-uk-stop-search", user=analyst, options={"force": force}
        )
        assert (batch.status, batch.created, batch.invalid) == ("done", DRUG_SEARCHES[force], 0)

    for force in ("Warwickshire", "West Mercia"):
        stored = StopSearch.objects.filter(force__name=force, month=JANUARY)
        assert stored.count() == DRUG_SEARCHES[force]
        assert stored.filter(latitude__isnull=False).count() == WITH_COORDINATES[force]
        assert stored.filter(area__isnull=False).count() == PLACED[force]
    # The two identical West Mercia rows are two searches, both kept.
    identical = Counter(
        StopSearch.objects.filter(force__name="West Mercia").values_list("searched_at", "latitude", "outcome")
    )
    assert max(identical.values()) == 2

    rollup_run(full=True)
    assert january_searches_placed() == PLACED


def test_searches_imported_before_the_street_files_are_placed_when_those_arrive(
    shared_data, analyst, lsoa_lookup
):
    for slug, force in FORCES:
        import_path(
            searches(shared_data, slug), "police-uk-stop-search", user=analyst, options={"force": force}
        )
    assert not StopSearch.objects.filter(area__isnull=False).exists()  # no map point known yet
    rollup_run(full=True)
    assert january_searches_placed() == {}

    for month in MONTHS:
        for slug, _ in FORCES:
            import_path(street(shared_data, month, slug), "police-uk-street-crime", user=analyst)

    rollup_run()  # the nightly run: only the months marked changed
    assert january_searches_placed() == PLACED
    again = import_path(
        searches(shared_data, "warwickshire"), "police-uk-stop-search", user=analyst,
        options={"force": "Warwickshire"},
    )  # fmt: skip
    assert (again.created, again.updated, again.unchanged) == (0, 0, 80)


def test_the_command_loads_the_alliances_files_street_first(shared_data, analyst, capsys):
    call_command(
        "load_police_uk_months",
        str(shared_data / "police-uk"),
        "--user",
        "analyst",
        "--lsoa-lookup",
        str(shared_data / "ons/lsoa11-lad19-england.csv"),
    )

    out = capsys.readouterr().out
    assert "2018-07-west-yorkshire-street.csv: left out" in out
    batches = list(ImportBatch.objects.order_by("pk").values_list("file_name", "status", "created"))
    assert [name for name, _, _ in batches[:8]] == [
        f"{month}-{slug}-street.csv" for month in MONTHS for slug, _ in FORCES
    ]
    assert all(status == "done" for _, status, _ in batches)
    created = {name: count for name, _, count in batches}
    assert created["2019-01-warwickshire-stop-and-search.csv"] == 80
    assert created["2019-01-west-mercia-stop-and-search.csv"] == 152
    assert created["2018-03-warwickshire-stop-and-search.csv"] == 69  # the older searches too
    assert "2019-01-warwickshire-street.csv: 89 drug crimes created" in out
    january = StopSearch.objects.filter(month=JANUARY, area__isnull=False)
    assert january.filter(force__name="Warwickshire").count() == 53
    assert january.filter(force__name="West Mercia").count() == 106

    call_command("load_police_uk_months", str(shared_data / "police-uk"), "--user", "analyst")
    assert "2019-01-warwickshire-street.csv: 0 drug crimes created, 0 updated, 89 unchanged" in (
        capsys.readouterr().out
    )


def test_the_command_explains_its_mistakes(db, analyst, tmp_path):
    with pytest.raises(CommandError, match="No such folder"):
        call_command("load_police_uk_months", str(tmp_path / "nowhere"), "--user", "analyst")
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("load_police_uk_months", str(tmp_path), "--user", "nobody")
    with pytest.raises(CommandError, match="No police.uk file of an alliance force"):
        call_command("load_police_uk_months", str(tmp_path), "--user", "analyst")

"""Resident populations: loaded by a migration from the extract kept with the code, the same as
the command loads from the ONS files, summed to partnerships, forces and countries."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from geography.models import Area, CommunitySafetyPartnership, Force, PopulationEstimate
from geography.populations import districts_from_ons, population_of_places, populations, read_extract

ONS = Path(settings.BASE_DIR).parent / "shared" / "data" / "ons"
POPULATION = ONS / "population" / "la_population_mid2018_lad19.csv"
LOOKUP = ONS / "lad19-csp19-pfa19.csv"
K = PopulationEstimate.Kind


def test_the_extract_is_the_ons_files_joined():
    assert read_extract() == districts_from_ons(population_path=POPULATION, lookup_path=LOOKUP)


@pytest.mark.django_db
def test_the_migration_loads_every_district_partnership_force_and_country():
    assert PopulationEstimate.objects.filter(kind=K.DISTRICT).count() == 339
    assert PopulationEstimate.objects.filter(kind=K.FORCE).count() == 43
    countries = populations(K.COUNTRY)
    assert countries == {"E92000001": 55_977_178, "W92000004": 3_138_631, "K04000001": 59_115_809}
    forces = populations(K.FORCE, ["E23000017", "E23000016"])
    assert forces == {"E23000017": 571_010, "E23000016": 1_282_237}
    districts = populations(K.DISTRICT, ["E07000218", "E06000019"])
    assert districts == {"E07000218": 64_850, "E06000019": 192_107}
    # South Warwickshire = Stratford-on-Avon + Warwick; North Worcestershire = Bromsgrove +
    # Redditch + Wyre Forest.
    partnerships = populations(K.PARTNERSHIP, ["E22000359", "E22000368"])
    assert partnerships == {"E22000359": 127_580 + 142_484, "E22000368": 98_662 + 84_989 + 101_062}


@pytest.mark.django_db
def test_the_command_loads_the_same_as_the_migration(capsys):
    before = set(PopulationEstimate.objects.values_list("kind", "ons_code", "name", "population"))
    call_command("load_populations", population=POPULATION, lookup=LOOKUP)
    call_command("load_populations", population=POPULATION, lookup=LOOKUP)  # safe to repeat
    after = set(PopulationEstimate.objects.values_list("kind", "ons_code", "name", "population"))
    assert after == before
    said = capsys.readouterr().out
    assert "339 districts, 311 community safety partnerships, 43 police force areas" in said


@pytest.mark.django_db
def test_a_population_file_missing_a_district_is_refused_whole(tmp_path):
    short = tmp_path / "population.csv"
    lines = POPULATION.read_text(encoding="utf-8-sig").splitlines()
    short.write_text("\n".join(line for line in lines if not line.startswith("E07000218")) + "\n")
    before = PopulationEstimate.objects.count()
    with pytest.raises(CommandError, match="E07000218"):
        call_command("load_populations", population=short, lookup=LOOKUP)
    assert PopulationEstimate.objects.count() == before


@pytest.mark.django_db
def test_a_population_that_is_not_a_number_is_refused(tmp_path):
    bad = tmp_path / "population.csv"
    bad.write_text(POPULATION.read_text(encoding="utf-8-sig").replace(",64850,", ",many,", 1))
    with pytest.raises(CommandError, match="not a whole number"):
        call_command("load_populations", population=bad, lookup=LOOKUP)


@pytest.mark.django_db
def test_residents_of_the_configured_places():
    warwickshire, west_mercia = Force.objects.get(name="Warwickshire"), Force.objects.get(name="West Mercia")
    assert population_of_places(forces=[warwickshire, west_mercia]) == 571_010 + 1_282_237
    rugby = CommunitySafetyPartnership.objects.get(name="Rugby")
    assert population_of_places(partnerships=[rugby]) == 107_194
    assert population_of_places(areas=[Area.objects.get(name="Worcester")]) == 101_891
    # A force with no estimate (a code the ONS does not know) has no residents to divide by.
    assert population_of_places(forces=[Force(name="Nowhere", ons_code="E23999999")]) is None

"""The national figures: Home Office seizures by force and ONS drug offences by partnership,
loaded by a migration from extracts that are exactly what the command reads from the files."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from opendata import national
from opendata.models import ForceSeizures, PartnershipRecordedCrime

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"
COUNTS = SHARED / "home-office" / "seizures-by-force" / "counts"
WORKBOOK = SHARED / "ons" / "recorded-crime" / "policeforceareatablesyedecember2024.xlsx"


def _as_text(rows):
    return [{key: "" if value is None else str(value) for key, value in row.items()} for row in rows]


def test_the_extracts_are_what_the_published_files_say():
    seizures = national.seizures_from_home_office(COUNTS)
    assert _as_text(seizures) == national.read_extract(national.SEIZURES_EXTRACT)
    crime = national.partnership_crime_from_ons(WORKBOOK)
    assert _as_text(crime) == national.read_extract(national.CRIME_EXTRACT)


@pytest.mark.django_db
def test_home_office_seizures_by_force_as_published():
    def seizures(year, force):
        return ForceSeizures.objects.get(financial_year=year, force_name=force).all_drugs

    assert ForceSeizures.objects.count() == 410  # 41 forces × 10 years
    assert (seizures("2012-13", "Warwickshire"), seizures("2012-13", "West Mercia")) == (1236, 3391)
    assert (seizures("2013-14", "Warwickshire"), seizures("2013-14", "West Mercia")) == (920, 2617)
    assert (seizures("2017-18", "Warwickshire"), seizures("2017-18", "West Mercia")) == (1266, 2898)
    assert (seizures("2018-19", "Warwickshire"), seizures("2018-19", "West Mercia")) == (1446, 3292)

    # Padded names (2016-17) and "&" (2017-18) still find their force area.
    def code(year, force):
        return ForceSeizures.objects.get(financial_year=year, force_name=force).force_code

    assert code("2016-17", "Warwickshire") == "E23000017"
    assert code("2018-19", "Avon & Somerset") == "E23000036"
    # No figures published: kept as none, not as zero.
    assert seizures("2012-13", "Hampshire") is None
    # Forces with no area of residents have no code.
    assert code("2018-19", "Border Force") == ""


@pytest.mark.django_db
def test_ons_drug_offences_by_partnership_as_published():
    def offences(name, year):
        row = PartnershipRecordedCrime.objects.get(partnership_name=name, year_ending__year=year)
        return row.drug_offences

    expected_2024 = {
        "North Warwickshire": 93, "Nuneaton and Bedworth": 338, "Rugby": 286, "South Warwickshire": 434,
        "Herefordshire, County of": 330, "North Worcestershire": 457, "Shropshire": 377,
        "South Worcester": 471, "Telford and Wrekin": 528, "Unassigned Warwickshire": 16,
        "Unassigned West Mercia": 21,
    }  # fmt: skip
    assert {name: offences(name, 2024) for name in expected_2024} == expected_2024
    expected_2023 = {
        "North Warwickshire": 124, "Rugby": 240, "Telford and Wrekin": 447, "Unassigned Warwickshire": 5
    }  # fmt: skip
    assert {name: offences(name, 2023) for name in expected_2023} == expected_2023
    city = PartnershipRecordedCrime.objects.get(partnership_name="City of London", year_ending__year=2024)
    assert city.population is None and city.force_name == "City of London"  # no rate published


@pytest.mark.django_db
def test_the_command_loads_what_the_migration_did(capsys):
    before = PartnershipRecordedCrime.objects.count(), ForceSeizures.objects.count()
    call_command("load_national_figures", seizures=COUNTS, recorded_crime=WORKBOOK)
    assert (PartnershipRecordedCrime.objects.count(), ForceSeizures.objects.count()) == before
    assert "410 force-years (2009-10 to 2018-19)" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_folder_without_the_tables_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No Home Office SeizuresYY-YY.csv files"):
        call_command("load_national_figures", seizures=tmp_path, recorded_crime=WORKBOOK)


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    fake = tmp_path / "tables.xlsx"
    fake.write_text("not a workbook")
    before = ForceSeizures.objects.count()
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_national_figures", seizures=COUNTS, recorded_crime=fake)
    assert ForceSeizures.objects.count() == before


@pytest.mark.django_db
def test_a_count_that_is_not_a_number_is_refused(tmp_path):
    for source in COUNTS.glob("*.csv"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    broken = tmp_path / "Seizures18-19.csv"
    text = broken.read_text(encoding="utf-8-sig")
    broken.write_text(text.replace("Warwickshire,1446", "Warwickshire,lots"))
    with pytest.raises(CommandError, match="Warwickshire's counts are not whole numbers"):
        call_command("load_national_figures", seizures=tmp_path, recorded_crime=WORKBOOK)

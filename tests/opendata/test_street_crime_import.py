"""police.uk street-level crime: only Drugs rows of configured forces, mapped to districts."""

from collections import Counter

import pytest
from django.core.management import call_command

from core.models import ChangedMonth
from imports.models import ImportBatch
from opendata.models import StreetCrime
from tests.factories.imports import WEST_YORKSHIRE_CODE, configure_force_from_ons, import_path

STREET = "police-uk/2018-07-west-yorkshire-street.csv"


@pytest.fixture
def west_yorkshire(shared_data):
    force = configure_force_from_ons(shared_data / "ons/lad19-csp19-pfa19.csv", WEST_YORKSHIRE_CODE)
    call_command("load_lsoa_lookup", str(shared_data / "ons/lsoa11-lad19-england.csv"), stdout=None)
    return force


def test_with_only_the_alliance_forces_every_row_is_skipped_and_said_so(shared_data, analyst):
    batch = import_path(shared_data / STREET, "police-uk-street-crime", user=analyst)

    assert batch.status == ImportBatch.Status.DONE
    assert (batch.rows, batch.created, batch.skipped) == (31_635, 0, 31_635)
    assert batch.skip_reasons == {"from West Yorkshire Police, a force not configured here": 31_635}
    assert StreetCrime.objects.count() == 0


def test_with_west_yorkshire_configured_exactly_525_drug_crimes_are_imported(
    shared_data, analyst, west_yorkshire
):
    batch = import_path(shared_data / STREET, "police-uk-street-crime", user=analyst)

    assert (batch.rows, batch.created, batch.updated, batch.invalid) == (31_635, 525, 0, 0)
    assert batch.skipped == 31_635 - 525
    assert batch.skip_reasons == {"not a drug crime (police.uk crime types other than Drugs)": 31_110}
    crimes = StreetCrime.objects.all()
    assert crimes.count() == 525
    # 31 have no LSOA (a real gap in the open data): kept and counted, with no district.
    assert crimes.filter(area__isnull=True).count() == 31
    assert crimes.filter(area__force=west_yorkshire).count() == 494
    assert crimes.exclude(lsoa_code="").values("lsoa_code").distinct().count() == 299
    outcomes = Counter(crimes.values_list("outcome", flat=True))
    assert outcomes["Local resolution"] == 152
    assert outcomes["Unable to prosecute suspect"] == 100
    assert outcomes["Status update unavailable"] == 98
    assert outcomes["Court result unavailable"] == 31
    assert outcomes["Offender given a caution"] == 31
    assert len(outcomes) == 19
    assert ChangedMonth.objects.filter(source="opendata", month="2018-07-01").exists()


def test_importing_the_file_again_changes_nothing(shared_data, analyst, west_yorkshire):
    import_path(shared_data / STREET, "police-uk-street-crime", user=analyst)
    before = list(StreetCrime.objects.order_by("crime_id").values())

    again = import_path(shared_data / STREET, "police-uk-street-crime", user=analyst)

    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 525, 31_110)
    assert list(StreetCrime.objects.order_by("crime_id").values()) == before

"""LSOA -> district lookup from the ONS file, for the configured forces' districts only."""

from django.core.management import call_command

from geography.models import Lsoa
from tests.factories.imports import WEST_YORKSHIRE_CODE, configure_force_from_ons

LOOKUP = "ons/lsoa11-lad19-england.csv"


def test_the_alliance_lsoas_are_loaded_and_loading_again_changes_nothing(shared_data, db):
    call_command("load_lsoa_lookup", str(shared_data / LOOKUP))

    assert Lsoa.objects.filter(area__force__name="Warwickshire").count() == 339
    assert Lsoa.objects.filter(area__force__name="West Mercia").count() == 781
    before = list(Lsoa.objects.order_by("code").values())

    call_command("load_lsoa_lookup", str(shared_data / LOOKUP))

    assert list(Lsoa.objects.order_by("code").values()) == before


def test_a_force_configured_for_context_gets_its_lsoas(shared_data, db):
    force = configure_force_from_ons(shared_data / "ons/lad19-csp19-pfa19.csv", WEST_YORKSHIRE_CODE)

    call_command("load_lsoa_lookup", str(shared_data / LOOKUP))

    assert force.name == "West Yorkshire" and not force.in_alliance
    assert force.areas.count() == 5
    assert Lsoa.objects.filter(area__force=force).count() == 1_388

import csv

import pytest

from geography.models import Area, CommunitySafetyPartnership, Force

ALLIANCE_FORCE_CODES = {"E23000017", "E23000016"}


@pytest.mark.django_db
def test_forces_districts_and_partnerships_match_the_ons_lookup(shared_data):
    with open(shared_data / "ons" / "lad19-csp19-pfa19.csv", encoding="utf-8-sig", newline="") as lookup:
        published = {
            (row["LAD19CD"], row["LAD19NM"], row["CSP19CD"], row["CSP19NM"], row["PFA19CD"], row["PFA19NM"])
            for row in csv.DictReader(lookup)
            if row["PFA19CD"] in ALLIANCE_FORCE_CODES
        }
    seeded = {
        (a.ons_code, a.name, a.partnership.ons_code, a.partnership.name, a.force.ons_code, a.force.name)
        for a in Area.objects.select_related("force", "partnership")
    }

    assert seeded == published


@pytest.mark.django_db
def test_warwickshire_has_5_districts_in_4_partnerships_and_west_mercia_9_in_5():
    warwickshire = Force.objects.get(ons_code="E23000017")
    west_mercia = Force.objects.get(ons_code="E23000016")

    assert warwickshire.name == "Warwickshire"
    assert warwickshire.areas.count() == 5
    assert warwickshire.partnerships.count() == 4
    assert west_mercia.name == "West Mercia"
    assert west_mercia.areas.count() == 9
    assert west_mercia.partnerships.count() == 5


@pytest.mark.django_db
def test_south_warwickshire_is_stratford_and_warwick():
    partnership = CommunitySafetyPartnership.objects.get(ons_code="E22000359")

    assert sorted(partnership.areas.values_list("name", flat=True)) == ["Stratford-on-Avon", "Warwick"]
    assert partnership.force.name == "Warwickshire"


@pytest.mark.django_db
def test_every_district_belongs_to_a_partnership_of_its_own_force():
    for area in Area.objects.select_related("force", "partnership"):
        assert area.partnership.force_id == area.force_id, area.name
        assert area.ons_code[:3] in ("E06", "E07")

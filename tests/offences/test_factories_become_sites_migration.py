"""The migration that moves today's offences to the new shapes: offences flagged "factory" become
cannabis factories (one per warrant: two offenders at one farm are one site), the cultivation
flag is cleared where the offence is not production of cannabis (with a line in its history),
production of cannabis names its drug; and it reverses."""

import datetime

import pytest

from tests.migrating import migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.migrates]

BEFORE = [("offences", "0002_offence_drug_site_and_outcome_types")]
AFTER = [("offences", "0004_cultivation_only_for_production")]
DAY = datetime.date(2025, 6, 10)


def _offence(apps, reference, offence_type="production_cannabis", **fields):
    Offence = apps.get_model("offences", "Offence")
    Area = apps.get_model("geography", "Area")
    rugby = Area.objects.get(name="Rugby")
    group = "92A" if offence_type != "possession_cannabis" else "92E"
    return Offence.objects.create(
        crime_reference=reference,
        recorded_date=DAY,
        force_id=rugby.force_id,
        area=rugby,
        offence_type=offence_type,
        offence_group=group,
        outcome=fields.pop("outcome", "ongoing"),
        **fields,
    )


def test_flagged_offences_move_to_sites_and_the_flag_leaves_other_offences():
    old = migrate(BEFORE)
    Warrant = old.get_model("seizures", "Warrant")
    Area = old.get_model("geography", "Area")
    rugby = Area.objects.get(name="Rugby")
    farm_warrant = Warrant.objects.create(
        reference="WK-W-1", force_id=rugby.force_id, area=rugby, issued_on=DAY, executed_on=DAY,
        result="drugs_found", dated_on=DAY,
    )  # fmt: skip
    grown = {"cultivation": True, "site_type": "commercial"}
    _offence(old, "23/1/25", plants=450, factory=True, warrant=farm_warrant, **grown)
    _offence(old, "23/2/25", plants=300, factory=True, warrant=farm_warrant, **grown)
    _offence(old, "23/3/25", plants=20, factory=True, **grown)
    _offence(old, "23/4/25", "possession_with_intent", plants=30, cultivation=True, site_type="residential")
    _offence(old, "23/5/25", "possession_cannabis", outcome="caution", outcome_date=DAY)

    new = migrate(AFTER)
    Offence = new.get_model("offences", "Offence")
    Site = new.get_model("seizures", "Site")
    HistoricalOffence = new.get_model("offences", "HistoricalOffence")

    # Two offenders at one farm (one warrant): one factory, closed on the day they were recorded.
    farm = Site.objects.get(warrant_id=farm_warrant.pk)
    assert set(Offence.objects.filter(site=farm).values_list("crime_reference", flat=True)) == {
        "23/1/25",
        "23/2/25",
    }
    assert (farm.plants, farm.closed_on, farm.size_band.category) == (450, DAY, 2)
    assert "category 2" in farm.notes
    small = Site.objects.get(reference="23/3/25")
    assert small.size_band.category == 3  # 20 plants: found from the guideline's numbers
    assert Site.objects.count() == 2

    # Cultivation only on production: cleared on possession with intent, kept in its history.
    pwits = Offence.objects.get(crime_reference="23/4/25")
    assert (pwits.cultivation, pwits.plants, pwits.site_type) == (False, None, "")
    reason = HistoricalOffence.objects.filter(id=pwits.pk).latest("history_date").history_change_reason
    assert reason == "Cultivation flag cleared, not production (30 plants, residential)"

    # Production of cannabis names its drug and class; a legacy outcome keeps its value.
    assert {o.drug.code for o in Offence.objects.filter(offence_type="production_cannabis")} == {
        "cannabis-plants"
    }
    assert set(
        Offence.objects.filter(offence_type="production_cannabis").values_list("drug_class", flat=True)
    ) == {"B"}
    assert Offence.objects.get(crime_reference="23/5/25").outcome == "caution"

    back = migrate(BEFORE)
    Offence = back.get_model("offences", "Offence")
    assert set(Offence.objects.filter(factory=True).values_list("crime_reference", flat=True)) == {
        "23/1/25",
        "23/2/25",
        "23/3/25",
    }
    pwits = Offence.objects.get(crime_reference="23/4/25")
    assert (pwits.cultivation, pwits.plants, pwits.site_type) == (True, 30, "residential")
    assert not back.get_model("seizures", "Site").objects.exists()
    assert not Offence.objects.filter(drug__isnull=False).exists()
    migrate(AFTER)

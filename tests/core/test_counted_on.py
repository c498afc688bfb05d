"""The months a write must mark come from the metric registry: every date any metric counts a
record by, read from the record itself or through the relation a metric counts it by; and, for
reference data the figures read through a relation, the months of the records that read it."""

import dataclasses
import datetime

import pytest

from accounts.models import Agency
from core import metrics
from core.metrics import counted_on, counted_through, mark_counted
from core.models import ChangedMonth
from partners.choices import Status
from seizures import services
from seizures.models import Seizure
from strategy.models import Fact
from strategy.rollups import rollup_run
from tests.factories import UserFactory
from tests.factories.geography import area
from tests.factories.partners import make_referral, move_to
from tests.factories.seizures import SeizureFactory, WarrantFactory, drug, item

pytestmark = pytest.mark.django_db

MAY, JUNE, AUGUST = datetime.date(2025, 5, 2), datetime.date(2025, 6, 20), datetime.date(2025, 8, 9)


def marked(source):
    return set(ChangedMonth.objects.filter(source=source).values_list("month", flat=True))


def test_a_warrant_is_counted_by_the_day_issued_and_the_day_executed(analyst):
    warrant = WarrantFactory(issued_on=MAY, executed_on=JUNE, user=analyst)

    assert counted_on(warrant) == {("seizures", MAY), ("seizures", JUNE)}


def test_a_warrant_not_executed_is_counted_by_the_day_issued_only(analyst):
    warrant = WarrantFactory(issued_on=MAY, executed_on=None, result="not_executed", user=analyst)

    assert counted_on(warrant) == {("seizures", MAY)}


def test_a_seizures_date_is_its_items_date_too(analyst):
    seizure = SeizureFactory(seized_on=AUGUST, items=[item("cocaine", 2, "g")], user=analyst)

    assert counted_on(seizure) == {("seizures", AUGUST)}
    assert counted_on(seizure.items.get()) == {("seizures", AUGUST)}


def test_a_change_marks_the_months_of_the_old_and_the_new_dates(analyst):
    warrant = WarrantFactory(issued_on=MAY, executed_on=JUNE, user=analyst)
    ChangedMonth.objects.all().delete()

    services.warrant_update(
        warrant=warrant, user=analyst, issued_on=AUGUST, executed_on=AUGUST + datetime.timedelta(days=3)
    )

    assert marked("seizures") == {
        datetime.date(2025, 5, 1),
        datetime.date(2025, 6, 1),
        datetime.date(2025, 8, 1),
    }


def test_each_source_is_marked_on_its_own():
    mark_counted({("seizures", MAY), ("offences", JUNE)}, {("seizures", AUGUST)})

    assert marked("seizures") == {datetime.date(2025, 5, 1), datetime.date(2025, 8, 1)}
    assert marked("offences") == {datetime.date(2025, 6, 1)}


def test_a_metric_counting_by_a_date_through_a_many_valued_relation_is_refused():
    odd = dataclasses.replace(
        metrics.get("seizures.count"), name="seizures.by_an_items_date", date_field="items__priced_at"
    )
    metrics.register(odd)
    try:
        with pytest.raises(ValueError, match="many-valued relation"):
            counted_on(Seizure())
    finally:
        metrics._registry.pop(odd.name)
        metrics._date_paths.cache_clear()


# --- reference data the figures read through a relation ------------------------------------------


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def cells():
    return {
        (f.metric, f.month, f.force_id, f.area_id, f.dimension, f.dimension_value): f.value
        for f in Fact.objects.all()
    }


def test_a_drug_is_read_by_the_months_of_the_seizures_that_hold_it(analyst):
    SeizureFactory(seized_on=MAY, items=[item("cocaine", 2, "g"), item("heroin", 1, "g")], user=analyst)
    SeizureFactory(seized_on=AUGUST, items=[item("heroin", 1, "g")], user=analyst)

    assert counted_through(drug("cocaine")) == {("seizures", datetime.date(2025, 5, 1))}


def test_a_district_is_read_for_its_force_by_referrals_only(analyst, partner_a, partner_b):
    rugby = area("Rugby")
    SeizureFactory(seized_on=MAY, force=rugby.force, area=rugby, user=analyst)  # its force is its own
    make_referral(by=partner_a, to=partner_b.agency, referral_date=AUGUST, area=rugby)

    assert counted_through(rugby) == {("partners", datetime.date(2025, 8, 1))}


def test_correcting_an_agencys_kind_in_the_admin_rebuilds_its_referrals_figures(
    superuser_client, partner_a, partner_b
):
    make_referral(by=partner_a, to=partner_b.agency, referral_date=MAY)
    treated = make_referral(by=partner_a, to=partner_b.agency, referral_date=JUNE)
    move_to(treated, Status.COMPLETED, by=partner_b, on=AUGUST)
    rollup_run(full=True)
    agency = partner_a.agency

    response = superuser_client.post(
        f"/admin/accounts/agency/{agency.pk}/change/",
        {"name": agency.name, "kind": Agency.Kind.COUNCIL, "active": "on"},
    )
    assert response.status_code == 302
    rollup_run()

    nightly = cells()
    rollup_run(full=True)
    assert nightly == cells()
    counted_as = {key[5] for key in nightly if key[4] == "agency_kind"}
    assert counted_as == {Agency.Kind.COUNCIL}

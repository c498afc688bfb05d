"""Each referral metric's figure equals the number of records its drill-down link lists."""

import datetime
import re

import pytest

from core import metrics
from core.models import ChangedMonth
from partners import services
from partners.choices import Pathway, Status
from partners.selectors import median_days_to_treatment
from tests.factories import AgencyFactory, UserFactory
from tests.factories.geography import area
from tests.factories.partners import make_referral, move_to

pytestmark = pytest.mark.django_db

EXPECTED = {
    "referrals.count",
    "referrals.dip",
    "referrals.arrest_referrals",
    "referrals.early_intervention_young_people",
    "referrals.entered_treatment",
    "referrals.completed",
    "referrals.median_days_to_treatment",
}


@pytest.fixture
def world(partner_a, treatment_worker, treatment_service):
    police = AgencyFactory(name="Warwickshire Police Arrest Referral Team", kind="police")
    officer = UserFactory(username="officer", role="Partner", agency=police)
    made = []
    for i, (pathway, extra) in enumerate(
        [
            (Pathway.DIP_TEST_ON_ARREST, {"dip_test_result": "both"}),
            (Pathway.DIP_ASSESSMENT_INITIAL, {}),
            (Pathway.DIP_ASSESSMENT_FOLLOW_UP, {}),
            (Pathway.ARREST_REFERRAL, {}),
            (Pathway.ARREST_REFERRAL, {"area": area("Worcester")}),
        ]
    ):
        made.append(
            make_referral(
                by=officer, to=treatment_service, pathway=pathway, subject_first_initial="ABCDE"[i], **extra
            )
        )
    young = make_referral(
        by=partner_a,
        to=treatment_service,
        pathway=Pathway.EARLY_INTERVENTION,
        subject_date_of_birth=datetime.date(2010, 1, 1),
    )
    made.append(young)
    for i, days in enumerate([5, 12, 30]):
        referral = make_referral(
            by=partner_a,
            to=treatment_service,
            referral_date=datetime.date(2026, 2, 1),
            subject_first_initial="FGH"[i],
        )
        move_to(referral, Status.ASSESSED, by=treatment_worker, on=datetime.date(2026, 2, 1))
        services.referral_transition(
            referral=referral,
            user=treatment_worker,
            to_status=Status.IN_TREATMENT,
            effective_on=datetime.date(2026, 2, 1) + datetime.timedelta(days=days),
        )
        made.append(referral)
    services.referral_transition(
        referral=made[-1],
        user=treatment_worker,
        to_status=Status.COMPLETED,
        effective_on=datetime.date(2026, 7, 1),
    )
    withdrawn = make_referral(by=partner_a, to=treatment_service, subject_first_initial="Z")
    services.referral_transition(
        referral=withdrawn, user=partner_a, to_status=Status.WITHDRAWN, note="In error"
    )
    return made


def _listed(client, url):
    page = client.get(url).content.decode()
    match = re.search(r"(\d+) referrals?", page)
    return int(match.group(1)) if match else 0


def test_every_declared_metric_is_registered():
    assert set(metrics.discover()) >= EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED - {"referrals.median_days_to_treatment"}))
def test_the_figure_equals_the_records_listed(analyst_client, world, name):
    metric = metrics.get(name)
    figure = metric.queryset().order_by().aggregate(value=metric.value)["value"]
    url = metric.records_url(date_from=datetime.date(2020, 1, 1), date_to=datetime.date(2026, 11, 28))
    assert _listed(analyst_client, url) == figure
    assert figure > 0


@pytest.mark.parametrize(
    ("dimension", "value"),
    [("pathway", "arrest_referral"), ("agency_kind", "police"), ("agency_kind", "csp")],
)
def test_dimension_links_list_exactly_the_slice(analyst_client, world, dimension, value):
    metric = metrics.get("referrals.count")
    expression = metric.dimensions[dimension]
    figure = metric.queryset().filter(**{expression: value}).count()
    assert _listed(analyst_client, metric.records_url(dimension=dimension, value=value)) == figure > 0


def test_force_and_area_links(analyst_client, world):
    metric = metrics.get("referrals.arrest_referrals")
    worcester = area("Worcester")
    assert _listed(analyst_client, metric.records_url(area=worcester.pk)) == 1
    assert _listed(analyst_client, metric.records_url(force=worcester.force.pk)) == 1


def test_the_median_is_computed_from_the_records_over_the_period(world):
    assert median_days_to_treatment() == 12
    assert median_days_to_treatment(date_from=datetime.date(2026, 2, 10)) == 21  # 12 and 30
    assert median_days_to_treatment(date_from=datetime.date(2026, 11, 1)) is None


def test_the_median_metric_aggregates_in_the_database(world):
    metric = metrics.get("referrals.median_days_to_treatment")
    assert metric.queryset().order_by().aggregate(value=metric.value)["value"] == 12


def test_changes_mark_their_months_for_the_rollup(partner_a, treatment_worker, treatment_service):
    ChangedMonth.objects.all().delete()
    referral = make_referral(by=partner_a, to=treatment_service, referral_date=datetime.date(2026, 1, 15))
    move_to(referral, Status.IN_TREATMENT, by=treatment_worker, on=datetime.date(2026, 3, 3))
    months = set(ChangedMonth.objects.filter(source="partners").values_list("month", flat=True))
    assert months == {datetime.date(2026, 1, 1), datetime.date(2026, 3, 1)}


def test_the_rollup_facts_agree_with_the_records(world):
    from django.db.models import Sum

    from strategy.models import Fact
    from strategy.rollups import rollup_run

    assert rollup_run(full=True).outcome == "succeeded"
    for name in EXPECTED - {"referrals.median_days_to_treatment"}:
        metric = metrics.get(name)
        total = Fact.objects.filter(metric=name, dimension="").aggregate(total=Sum("value"))["total"]
        assert total == metric.queryset().count(), name

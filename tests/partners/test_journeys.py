"""A person's journey: a Drugs Intervention Programme test on arrest, the required assessment and
the treatment entry are one journey (no repeat flag; the funnel counts 1 at each step); entries
into treatment count people; a successful completion followed by another referral of the person,
by any agency, within six months is a re-presentation."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core import metrics
from partners import services
from partners.choices import Pathway, Status
from partners.models import Referral
from strategy.models import Fact
from strategy.rollups import rollup_run
from tests.factories import AgencyFactory, UserFactory
from tests.factories.partners import make_referral, move_to
from tests.strategy.conftest import live_figure

pytestmark = pytest.mark.django_db

TEST_DAY = datetime.date(2025, 9, 1)
FUNNEL = [
    "dip.tests",
    "dip.positive",
    "dip.assessments_required",
    "dip.assessments_attended",
    "dip.entered_treatment",
    "dip.completed",
]


@pytest.fixture
def police(db):
    return UserFactory(
        username="custody", role="Partner", agency=AgencyFactory(name="Custody", kind="police")
    )


@pytest.fixture
def health(db):
    return UserFactory(username="gp", role="Partner", agency=AgencyFactory(name="Surgery", kind="health"))


@pytest.fixture
def service(db):
    return AgencyFactory(name="Recovery service", kind="treatment")


@pytest.fixture
def worker(service):
    return UserFactory(username="keyworker", role="Partner", agency=service)


def drug_test_on_arrest(police, service, result="opiates", day=TEST_DAY):
    return make_referral(
        by=police, to=service, pathway=Pathway.DIP_TEST_ON_ARREST, dip_test_result=result, referral_date=day
    )


def assessment_after_the_test(
    police, service, *, days_after_the_test=1, pathway=Pathway.DIP_ASSESSMENT_INITIAL
):
    return make_referral(
        by=police,
        to=service,
        pathway=pathway,
        referral_date=TEST_DAY + datetime.timedelta(days=days_after_the_test),
    )


def step(referral, to_status, *, by, on, note=""):
    return services.referral_transition(
        referral=referral, user=by, to_status=to_status, effective_on=on, note=note
    )


def counted(name):
    """The metric's figure over every record, as the rollup counts it."""
    metric = metrics.get(name)
    return metric.queryset().order_by().aggregate(value=metric.value)["value"] or 0


def rolled_up(name):
    return sum(Fact.objects.filter(metric=name, dimension="").values_list("value", flat=True))


def test_a_test_its_assessment_and_treatment_are_one_journey_counted_once_at_each_step(
    police, health, worker, service, analyst
):
    test = drug_test_on_arrest(police, service, "cocaine")
    assessment = assessment_after_the_test(police, service, days_after_the_test=2)
    step(assessment, Status.ACCEPTED, by=worker, on=TEST_DAY + datetime.timedelta(days=2))
    step(assessment, Status.ASSESSED, by=worker, on=TEST_DAY + datetime.timedelta(days=5))
    # The GP refers the same person for treatment a week later: the next step, not a repeat.
    treatment = make_referral(by=health, to=service, referral_date=TEST_DAY + datetime.timedelta(days=9))
    move_to(treatment, Status.IN_TREATMENT, by=worker, on=TEST_DAY + datetime.timedelta(days=12))
    # The assessment's own referral also records the entry (two referrals, one person entering).
    step(assessment, Status.IN_TREATMENT, by=worker, on=TEST_DAY + datetime.timedelta(days=12))
    step(treatment, Status.COMPLETED, by=worker, on=TEST_DAY + datetime.timedelta(days=150))

    referrals = {r.pk: r for r in Referral.objects.all()}
    assert referrals[assessment.pk].journey_id == test.pk and referrals[treatment.pk].journey_id == test.pk
    assert not any(r.possible_repeat for r in referrals.values())
    assert referrals[test.pk].journey_assessment == "attended"

    for name in FUNNEL:
        assert counted(name) == 1, name
    assert counted("referrals.entered_treatment") == 1  # one person, though two referrals entered
    assert counted("referrals.dip") == 1  # one journey, not a test plus an assessment

    assert rollup_run(full=True, today=datetime.date(2026, 3, 1)).outcome == "succeeded"
    for name in [*FUNNEL, "referrals.entered_treatment", "referrals.dip"]:
        assert rolled_up(name) == 1, name
        # The figure's link lists exactly the one record it counts.
        link = metrics.get(name).records_url(
            date_from=datetime.date(2025, 4, 1), date_to=datetime.date(2026, 2, 28)
        )
        assert live_figure(name, link) == 1, name


def test_a_negative_test_goes_no_further_and_begins_no_journey(police, worker, service):
    negative = drug_test_on_arrest(police, service, "negative")
    with pytest.raises(ValidationError) as refused:
        step(negative, Status.ACCEPTED, by=worker, on=TEST_DAY)
    assert "negative or refused test on arrest leads to no assessment" in str(refused.value)
    assessment = assessment_after_the_test(police, service)
    assessment.refresh_from_db()
    assert assessment.journey_id is None  # nothing follows a negative test
    step(negative, Status.NOT_ELIGIBLE, by=worker, on=TEST_DAY, note="Negative test")
    assert counted("dip.tests") == 1 and counted("dip.positive") == 0
    assert counted("referrals.entered_treatment") == 0


def test_a_step_after_the_journey_window_or_its_end_begins_a_new_journey(police, worker, service):
    test = drug_test_on_arrest(police, service)
    within = assessment_after_the_test(police, service, days_after_the_test=90)
    too_late = assessment_after_the_test(
        police, service, days_after_the_test=181, pathway=Pathway.DIP_ASSESSMENT_FOLLOW_UP
    )
    within.refresh_from_db()
    too_late.refresh_from_db()
    assert within.journey_id == test.pk  # 90 days after the test: the same journey
    assert too_late.journey_id is None and too_late.possible_repeat  # 91 days after its last step


def test_entries_count_people_not_referrals(partner_a, health, worker, service):
    """Two agencies refer one person; both referrals enter treatment: one entry while the first is
    open; once the first has closed, a new entry."""
    first = make_referral(by=partner_a, to=service, referral_date=datetime.date(2025, 5, 1))
    second = make_referral(by=health, to=service, referral_date=datetime.date(2025, 5, 3))
    move_to(first, Status.IN_TREATMENT, by=worker, on=datetime.date(2025, 5, 10))
    move_to(second, Status.IN_TREATMENT, by=worker, on=datetime.date(2025, 5, 20))
    assert counted("referrals.entered_treatment") == 1
    assert (
        Referral.objects.get(pk=first.pk).counted_entry
        and not Referral.objects.get(pk=second.pk).counted_entry
    )

    # The first referral closes before the second enters: the person's second entry counts.
    other = make_referral(
        by=partner_a, to=service, referral_date=datetime.date(2025, 5, 1), subject_first_initial="Q"
    )
    again = make_referral(
        by=health, to=service, referral_date=datetime.date(2025, 5, 3), subject_first_initial="Q"
    )
    move_to(other, Status.IN_TREATMENT, by=worker, on=datetime.date(2025, 5, 10))
    step(other, Status.DISENGAGED, by=worker, on=datetime.date(2025, 5, 19), note="Stopped coming")
    move_to(again, Status.IN_TREATMENT, by=worker, on=datetime.date(2025, 5, 20))
    assert counted("referrals.entered_treatment") == 3
    # Entered the day the first closed: still in it that day, so not a new entry.
    step(first, Status.COMPLETED, by=worker, on=datetime.date(2025, 6, 1))
    assert counted("referrals.entered_treatment") == 3


def test_early_intervention_is_counted_apart_from_treatment(partner_a, worker, service):
    young = make_referral(by=partner_a, to=service, pathway=Pathway.EARLY_INTERVENTION)
    move_to(young, Status.IN_TREATMENT, by=worker, on=young.referral_date)
    assert counted("referrals.entered_treatment") == 0
    assert counted("referrals.early_intervention_started") == 1


def test_withdrawing_the_test_undoes_the_journey(police, worker, service):
    test = drug_test_on_arrest(police, service, "both")
    assessment = assessment_after_the_test(police, service)
    step(test, Status.WITHDRAWN, by=police, on=TEST_DAY, note="Entered twice")
    assessment.refresh_from_db()
    assert assessment.journey_id is None and not assessment.possible_repeat


# --- re-presentation -------------------------------------------------------------------------


@pytest.fixture
def completed(partner_a, worker, service):
    """Agency A's referral, completed successfully on 1 March 2025."""
    referral = make_referral(by=partner_a, to=service, referral_date=datetime.date(2024, 10, 1))
    move_to(referral, Status.COMPLETED, by=worker, on=datetime.date(2025, 3, 1))
    return referral


def test_a_referral_by_another_agency_within_six_months_is_a_re_presentation(completed, health, service):
    assert counted("referrals.completed_without_representation") == 1
    make_referral(by=health, to=service, referral_date=datetime.date(2025, 9, 1))  # six months to the day
    completed.refresh_from_db()
    assert completed.represented_on == datetime.date(2025, 9, 1)
    assert counted("referrals.completed") == 1
    assert counted("referrals.completed_without_representation") == 0


def test_a_referral_after_six_months_or_of_someone_else_is_not(completed, health, service):
    make_referral(by=health, to=service, referral_date=datetime.date(2025, 9, 2))  # a day too late
    make_referral(by=health, to=service, referral_date=datetime.date(2025, 4, 1), subject_first_initial="Z")
    completed.refresh_from_db()
    assert completed.represented_on is None
    assert counted("referrals.completed_without_representation") == 1


def test_the_re_presentation_is_undone_when_the_later_referral_is_withdrawn(completed, health, service):
    later = make_referral(by=health, to=service, referral_date=datetime.date(2025, 5, 1))
    services.referral_transition(referral=later, user=health, to_status=Status.WITHDRAWN, note="Wrong person")
    completed.refresh_from_db()
    assert completed.represented_on is None


def test_partners_are_not_told_of_another_agencys_referral_of_the_person(
    completed, health, service, client, partner_a, analyst
):
    make_referral(by=health, to=service, referral_date=datetime.date(2025, 5, 1))
    url = f"/api/v1/referrals/{completed.pk}/"
    client.force_login(partner_a)
    assert client.get(url).json()["represented_on"] is None
    client.force_login(analyst)
    assert client.get(url).json()["represented_on"] == "2025-05-01"

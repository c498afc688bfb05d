"""The FilterSet, filter by filter; parameter names are the contract shared with the API and
the dashboards' links."""

import datetime

import pytest

from partners.filters import ReferralFilter
from partners.models import Referral
from tests.factories import AgencyFactory, UserFactory
from tests.factories.geography import area
from tests.factories.partners import make_referral, move_to

pytestmark = pytest.mark.django_db

CONTRACT = {
    "date_from",
    "date_to",
    "force",
    "area",
    "partnership",
    "pathway",
    "status",
    "submitting_agency",
    "receiving_agency",
    "agency_kind",
    "age_band",
    "q",
}


@pytest.fixture
def two(partner_a, treatment_worker, treatment_service, settings):
    # West Mercia tests young people from 14: the second is a test of a 16-year-old.
    settings.DIP_TESTS_FROM_14_IN_FORCES = [area("Worcester").force.ons_code]
    police = AgencyFactory(name="Arrest team", kind="police")
    officer = UserFactory(username="officer", role="Partner", agency=police)
    first = make_referral(by=partner_a, to=treatment_service, referral_date=datetime.date(2025, 6, 1))
    second = make_referral(
        by=officer,
        to=treatment_service,
        pathway="dip_test_on_arrest",
        dip_test_result="opiates",
        referral_date=datetime.date(2026, 2, 1),
        area=area("Worcester"),
        subject_date_of_birth=datetime.date(2010, 1, 1),
    )
    move_to(second, "in_treatment", by=treatment_worker, on=datetime.date(2026, 2, 10))
    return first, second


def _filter(analyst, **params):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = analyst
    return set(ReferralFilter(params, queryset=Referral.objects.all(), request=request).qs)


def test_the_contract_parameters_exist():
    assert set(ReferralFilter.base_filters) >= CONTRACT


def test_each_filter(analyst, two):
    first, second = two
    worcester = area("Worcester")
    assert _filter(analyst, date_from="2026-01-01") == {second}
    assert _filter(analyst, date_to="2025-12-31") == {first}
    assert _filter(analyst, force=[worcester.force.pk]) == {second}
    assert _filter(analyst, area=[worcester.pk]) == {second}
    assert _filter(analyst, partnership=[area("Rugby").partnership.pk]) == {first}
    assert _filter(analyst, pathway=["dip_test_on_arrest"]) == {second}
    assert _filter(analyst, pathway_group="dip") == {second}
    assert _filter(analyst, status=["in_treatment"]) == {second}
    assert _filter(analyst, submitting_agency=[first.submitting_agency_id]) == {first}
    assert _filter(analyst, receiving_agency=[first.receiving_agency_id]) == {first, second}
    assert _filter(analyst, agency_kind=["police"]) == {second}
    assert _filter(analyst, age_band=["under_18"]) == {second}
    assert _filter(analyst, sex=["M"]) == {first, second}
    assert _filter(analyst, q=first.reference[-6:]) == {first}
    assert _filter(analyst, entered_treatment="true") == {second}
    assert _filter(analyst, treatment_from="2026-02-10", treatment_to="2026-02-10") == {second}
    assert _filter(analyst, closed_from="2020-01-01") == set()
    assert _filter(analyst, possible_repeat="false") == {first, second}


# Referral fields no filter covers, and why. Any other field without a filter fails the test.
UNFILTERED = {
    # The person: never searchable, by anyone.
    "subject_first_initial": "identifying",
    "subject_surname_initial": "identifying",
    "subject_date_of_birth": "identifying",
    "subject_key": "identifying (keyed hash)",
    "submission_key": "the submitter's own key",
    "submission_fingerprint": "a hash of the submission",
    "notes": "free text that may be personal",
    # Bookkeeping, not something users look for.
    "id": "internal",
    "submitted_by": "a caseworker, not an agency: lists filter by agency",
    "consent_recorded": "always true (the database refuses a referral without consent)",
    "days_to_treatment": "a derived measure, summarised on the dashboards",
    "status_changed_at": "internal",
    "created_at": "internal",
    "acknowledged_at": "internal",
    "identifiers_cleared_at": "internal",
    "withdrawn_at": "withdrawn referrals leave the lists",
    "withdrawn_by": "withdrawn referrals leave the lists",
    "withdrawal_reason": "withdrawn referrals leave the lists",
    "assessed_on": "a step of the journey: lists filter by how far the journey went (journey)",
    "reviewed_on": "bookkeeping of the review list",
    "counted_entry": "covered by entry (people entering treatment or early intervention)",
    "journey_assessment": "covered by journey",
    "journey_entered_treatment_on": "covered by journey",
    "journey_completed_on": "covered by journey",
}
# Fields whose filter has another name.
COVERED_BY = {
    "journey": "journey_start",
    "represented_on": "represented",
    "referral_date": "date_from",
    "reference": "q",
    "subject_sex": "sex",
    "substances": "substance",
    "entered_treatment_on": "treatment_from",
    "closed_on": "closed_from",
}


def test_every_field_users_filter_on_has_a_filter():
    filters = ReferralFilter.base_filters
    missing = [
        field.name
        for field in Referral._meta.concrete_fields
        if field.name not in UNFILTERED and COVERED_BY.get(field.name, field.name) not in filters
    ]
    assert missing == []


def test_the_substance_and_test_result_filters(analyst, two):
    first, second = two
    assert _filter(analyst, substance=["crack"]) == {first, second}
    assert _filter(analyst, substance=["alcohol"]) == set()
    assert _filter(analyst, dip_test_result=["opiates"]) == {second}
    assert _filter(analyst, dip_test_result=["negative"]) == set()


def test_place_and_choice_filters_add_no_select_distinct():
    """Every multiple-choice filter follows a foreign key forward or reads the referral's own
    column: no referral can be listed twice, so the list must not sort all rows to de-duplicate."""
    from geography.models import Area, Force
    from partners.filters import ReferralFilter
    from partners.models import Referral

    params = {"force": [Force.objects.first().pk], "area": [Area.objects.first().pk], "status": ["submitted"]}
    listed = ReferralFilter(params, queryset=Referral.objects.all()).qs

    assert "DISTINCT" not in str(listed.query)

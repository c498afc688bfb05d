import pytest

from tests.factories import AgencyFactory, UserFactory
from tests.factories.partners import make_referral


@pytest.fixture
def treatment_service(db):
    return AgencyFactory(name="Warwickshire Drug and Alcohol Treatment Service")


@pytest.fixture
def treatment_worker(treatment_service):
    return UserFactory(username="treatment_worker", role="Partner", agency=treatment_service)


@pytest.fixture
def referral_a(partner_a, treatment_service):
    """Partner A's referral to the treatment service (partner B's agency has nothing to do with it)."""
    return make_referral(by=partner_a, to=treatment_service)


@pytest.fixture
def referral_b(partner_b, treatment_service):
    return make_referral(
        by=partner_b, to=treatment_service, subject_first_initial="K", subject_surname_initial="L"
    )

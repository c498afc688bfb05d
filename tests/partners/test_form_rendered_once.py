"""The referral form's questions are rendered once and then taken from the cache, for as long as
what they offer stays the same; answers (a person's details) never go into the cache."""

import pickle

import pytest
from django.core.cache import cache

from tests.factories import AgencyFactory
from tests.partners.test_receiving_agency import offered_agencies
from tests.partners.test_submission import answer

pytestmark = pytest.mark.django_db


def test_an_agency_taking_referrals_is_offered_at_once_and_one_that_stops_is_not(
    partner_a_client, treatment_service
):
    assert treatment_service.pk in offered_agencies(partner_a_client)
    newcomer = AgencyFactory(name="A new treatment service", kind=treatment_service.kind)
    assert newcomer.pk in offered_agencies(partner_a_client)

    newcomer.active = False
    newcomer.save()
    assert newcomer.pk not in offered_agencies(partner_a_client)


def test_each_draft_keeps_its_own_id_though_the_questions_come_from_the_cache(partner_a_client):
    first = partner_a_client.get("/referrals/new/").content.decode()
    second = partner_a_client.get("/referrals/new/").content.decode()

    def draft(page):
        return page.split('name="draft" value="', 1)[1].split('"', 1)[0]

    assert draft(first) != draft(second)


def test_answers_with_a_mistake_are_shown_back_and_never_kept_in_the_cache(
    partner_a_client, treatment_service
):
    cache.clear()
    _, response = answer(
        partner_a_client, treatment_service, subject_first_initial="Q", subject_date_of_birth_2="19x7"
    )

    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and 'value="Q"' in page
    kept = [pickle.loads(value) for value in cache._cache.values()]  # the tests' memory cache
    assert kept and not any('value="Q"' in str(value) for value in kept)

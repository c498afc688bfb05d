"""A submission key belongs to whoever sent it. Another agency replaying it (API or form) gets
nothing of the first referral and changes nothing; the same sender replaying it gets their own
referral back, or a 422 if the answers differ. The web form's key never leaves the server."""

import re
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from partners import selectors, services
from partners.models import Referral
from tests.factories import UserFactory
from tests.factories.partners import api_payload, referral_fields
from tests.partners.test_submission import answer, form_data

pytestmark = pytest.mark.django_db

KEY = "0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d"
SECRET_NOTES = "Lives with a brother; asked for an evening appointment."


def post_referral(client, payload, key=KEY):
    return client.post(
        "/api/v1/referrals/", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def snapshot(referral):
    referral.refresh_from_db()
    return (
        model_to_dict(referral),
        referral.status,
        referral.submission_fingerprint,
        referral.history.count(),
        referral.transitions.count(),
    )


@pytest.fixture
def referral_with_key(partner_a_client, treatment_service):
    response = post_referral(partner_a_client, api_payload(treatment_service, notes=SECRET_NOTES))
    assert response.status_code == 201, response.json()
    return Referral.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize("same_body", [True, False], ids=["same body", "other body"])
def test_another_agency_replaying_a_key_gets_no_byte_of_the_first_referral(
    client, partner_a, partner_b, referral_with_key, treatment_service, same_body
):
    before = snapshot(referral_with_key)
    client.force_login(partner_b)
    body = api_payload(treatment_service, notes=SECRET_NOTES if same_body else "Another person.")
    response = post_referral(client, body)

    assert response.status_code == 201, response.json()
    returned = response.json()
    text = response.content.decode()
    assert returned["id"] != referral_with_key.pk
    assert referral_with_key.reference not in text
    assert returned["submitting_agency"] == partner_b.agency_id
    mine = Referral.objects.get(pk=returned["id"])
    assert mine.submitted_by == partner_b and mine.submitting_agency == partner_b.agency
    # The first referral is exactly as it was.
    assert snapshot(referral_with_key) == before
    assert referral_with_key.submitting_agency == partner_a.agency


def test_a_replayed_key_from_another_agency_in_the_service_never_returns_the_first(
    partner_b, referral_with_key, treatment_service
):
    before = snapshot(referral_with_key)
    theirs = services.referral_submit(
        user=partner_b, submission_key=uuid.UUID(KEY), **referral_fields(receiving_agency=treatment_service)
    )
    assert theirs.pk != referral_with_key.pk and theirs.submitting_agency_id == partner_b.agency_id
    assert snapshot(referral_with_key) == before


def test_a_colleague_in_the_same_agency_does_not_get_the_first_referral_either(
    client, partner_a, referral_with_key, treatment_service
):
    colleague = UserFactory(username="colleague", role="Partner", agency=partner_a.agency)
    client.force_login(colleague)
    response = post_referral(client, api_payload(treatment_service))
    assert response.status_code == 201
    assert response.json()["id"] != referral_with_key.pk
    assert Referral.objects.filter(submission_key=KEY).count() == 2


def test_the_sender_replaying_their_key_gets_their_own_referral_back(
    partner_a_client, referral_with_key, treatment_service
):
    response = post_referral(partner_a_client, api_payload(treatment_service, notes=SECRET_NOTES))
    assert response.status_code == 201
    assert response.json()["id"] == referral_with_key.pk
    assert Referral.objects.count() == 1


def test_the_sender_reusing_their_key_for_another_referral_is_refused_with_422(
    partner_a_client, referral_with_key, treatment_service
):
    before = snapshot(referral_with_key)
    response = post_referral(partner_a_client, api_payload(treatment_service, subject_first_initial="K"))
    assert response.status_code == 422
    assert response.json() == {
        "Idempotency-Key": [
            "This submission key was already used for a different referral. "
            "Send a new key for each new referral"
        ]
    }
    assert Referral.objects.count() == 1
    assert snapshot(referral_with_key) == before


def test_a_key_that_is_not_a_uuid_is_a_400(partner_a_client, treatment_service):
    response = post_referral(partner_a_client, api_payload(treatment_service), key="my-key-1")
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Referral.objects.exists()


def test_the_database_keeps_keys_apart_per_submitter(partner_a, partner_b, treatment_service):
    key = uuid.uuid4()
    for user in (partner_a, partner_b):
        services.referral_submit(
            user=user, submission_key=key, **referral_fields(receiving_agency=treatment_service)
        )
    first = Referral.objects.filter(submitted_by=partner_a).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(submitted_by=partner_b).update(
            submitted_by=partner_a, submitting_agency=first.submitting_agency
        )


def test_two_identical_submissions_at_once_give_one_referral(partner_a, treatment_service, monkeypatch):
    """The second request's look-up ran before the first committed: the database's
    constraint stops the duplicate and the second request answers with the first referral."""
    key = uuid.uuid4()
    fields = referral_fields(receiving_agency=treatment_service)
    first = services.referral_submit(user=partner_a, submission_key=key, **fields)
    real_lookup = selectors.referral_submitted_with
    calls = []

    def lookup_that_misses_once(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real_lookup(**kwargs)

    monkeypatch.setattr(services, "referral_submitted_with", lookup_that_misses_once)
    second = services.referral_submit(user=partner_a, submission_key=key, **fields)
    assert second.pk == first.pk and Referral.objects.count() == 1 and len(calls) == 2


# --- the web form ------------------------------------------------------------------------------


def test_the_forms_submission_key_is_in_no_url_and_no_page(partner_a_client, treatment_service):
    draft, response = answer(partner_a_client, treatment_service)
    pages = [partner_a_client.get(reverse("partners:referral_new")).content.decode()]
    urls = [response.url]
    check = partner_a_client.get(response.url)
    pages.append(check.content.decode())
    urls += re.findall(r'href="([^"]+)"', pages[-1])
    sent = partner_a_client.post(response.url)
    urls.append(sent.url)
    pages.append(partner_a_client.get(sent.url).content.decode())
    key = str(Referral.objects.get().submission_key)
    assert all(key not in url and key.replace("-", "") not in url for url in urls)
    assert all(key not in page for page in pages)
    assert draft in response.url  # the draft id, which means nothing outside the session


def test_another_partner_cannot_use_someone_elses_draft(partner_a_client, partner_b, treatment_service):
    draft, response = answer(partner_a_client, treatment_service)
    check_url = response.url
    other = Client()
    other.force_login(partner_b)
    assert other.get(check_url).url == reverse("partners:referral_new")
    posted = other.post(check_url)
    assert posted.status_code == 302 and posted.url == reverse("partners:referral_new")
    resent = other.post(reverse("partners:referral_new"), {**form_data(treatment_service), "draft": draft})
    assert resent.url == reverse("partners:referral_new")
    assert not Referral.objects.exists()
    # A's draft is untouched: A can still send it.
    assert partner_a_client.post(check_url).status_code == 302
    assert Referral.objects.get().submitted_by.username == "partner_a"


def test_the_same_draft_sent_twice_after_sending_finds_the_first_referral(
    partner_a_client, treatment_service
):
    _, response = answer(partner_a_client, treatment_service)
    first = partner_a_client.post(response.url)
    again = partner_a_client.post(response.url)
    assert first.url == again.url
    assert Referral.objects.count() == 1


def test_a_sent_drafts_answers_leave_the_session(partner_a_client, treatment_service):
    from partners.views import SESSION_DRAFTS

    draft, response = answer(partner_a_client, treatment_service)
    assert "answers" in partner_a_client.session[SESSION_DRAFTS][draft]
    partner_a_client.post(response.url)
    assert set(partner_a_client.session[SESSION_DRAFTS][draft]) == {"key", "referral"}

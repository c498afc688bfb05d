"""Opening the referral form writes nothing: its draft id is sealed with the session's key and
the draft is kept only once the form is sent. A draft id another session gave out, or one whose
seal was altered, is refused as an expired form."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from partners.models import Referral
from partners.views import SESSION_DRAFTS
from tests.partners.test_submission import answer, form_data, start

pytestmark = pytest.mark.django_db


def test_opening_the_form_keeps_no_draft_in_the_session(partner_a_client):
    session_key = partner_a_client.session.session_key
    stored = Session.objects.get(session_key=session_key).session_data
    start(partner_a_client)
    start(partner_a_client)
    assert SESSION_DRAFTS not in partner_a_client.session
    assert Session.objects.get(session_key=session_key).session_data == stored


def test_a_sent_form_keeps_its_draft_and_goes_on_to_check_answers(partner_a_client, treatment_service):
    draft, response = answer(partner_a_client, treatment_service)
    assert response.url == reverse("partners:referral_check", args=[draft])
    assert set(partner_a_client.session[SESSION_DRAFTS][draft]) == {"key", "answers"}


@pytest.mark.parametrize(
    "altered", [lambda d: d[:-1] + ("0" if d[-1] != "0" else "1"), lambda d: d[:-20], lambda d: ""]
)
def test_an_altered_draft_id_is_an_expired_form(partner_a_client, treatment_service, altered):
    draft = start(partner_a_client)
    response = partner_a_client.post(
        reverse("partners:referral_new"),
        {**form_data(treatment_service), "draft": altered(draft)},
        follow=True,
    )
    assert "This form has expired" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_draft_id_from_another_session_of_the_same_user_is_refused(client, partner_a, treatment_service):
    client.force_login(partner_a)
    draft = start(client)
    client.logout()
    client.force_login(partner_a)
    response = client.post(reverse("partners:referral_new"), {**form_data(treatment_service), "draft": draft})
    assert response.url == reverse("partners:referral_new")
    assert not Referral.objects.exists()

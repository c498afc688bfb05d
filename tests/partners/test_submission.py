"""The new-referral journey: question page, check your answers, confirmation; one referral per
form however often it is sent; an acknowledgement email once the referral is committed."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import Referral
from tests.factories.geography import area
from tests.factories.partners import api_payload, referral_fields

pytestmark = pytest.mark.django_db


def form_data(agency, /, **overrides):
    data = {
        "pathway": "treatment",
        "referral_date_0": "2",
        "referral_date_1": "3",
        "referral_date_2": "2026",
        "receiving_agency": str(agency.pk),
        "area": str(area("Rugby").pk),
        "subject_first_initial": "j",
        "subject_surname_initial": "s",
        "subject_date_of_birth_0": "17",
        "subject_date_of_birth_1": "5",
        "subject_date_of_birth_2": "1990",
        "subject_sex": "M",
        "substances": ["crack", "opiates"],
        "notes": "Asked for help at the hub.",
        "consent_recorded": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def start(client):
    """Open a new referral form; returns its draft id (the page's only handle on the draft)."""
    page = client.get(reverse("partners:referral_new")).content.decode()
    return re.search(r'name="draft" value="([^"]+)"', page).group(1)


def answer(client, treatment_service, **overrides):
    draft = start(client)
    response = client.post(
        reverse("partners:referral_new"),
        {**form_data(treatment_service, **overrides), "draft": draft},
    )
    return draft, response


def test_the_journey_ends_with_a_confirmation_panel_showing_the_reference(
    partner_a_client, treatment_service, django_capture_on_commit_callbacks
):
    draft, response = answer(partner_a_client, treatment_service)
    check_url = reverse("partners:referral_check", args=[draft])
    assert response.status_code == 302 and response.url == check_url
    check = partner_a_client.get(check_url).content.decode()
    assert "Check your answers" in check and "17 May 1990" in check and "Crack cocaine" in check
    with django_capture_on_commit_callbacks(execute=True):
        sent = partner_a_client.post(check_url)
    referral = Referral.objects.get()
    assert sent.url == reverse("partners:referral_submitted", args=[referral.pk])
    page = partner_a_client.get(sent.url).content.decode()
    assert "govuk-panel--confirmation" in page and referral.reference in page
    assert re.fullmatch(r"REF-\d{4}-\d{6}", referral.reference)
    assert referral.subject_first_initial == "J" and referral.age_band == "35_49"


def test_a_double_post_of_the_same_form_creates_exactly_one_referral(partner_a_client, treatment_service):
    draft, _ = answer(partner_a_client, treatment_service)
    check_url = reverse("partners:referral_check", args=[draft])
    first = partner_a_client.post(check_url)
    second = partner_a_client.post(check_url)
    assert Referral.objects.count() == 1
    assert first.url == second.url == reverse("partners:referral_submitted", args=[Referral.objects.get().pk])


def test_resubmitting_the_question_page_after_sending_creates_nothing_more(
    partner_a_client, treatment_service
):
    draft, _ = answer(partner_a_client, treatment_service)
    partner_a_client.post(reverse("partners:referral_check", args=[draft]))
    again = partner_a_client.post(
        reverse("partners:referral_new"), {**form_data(treatment_service), "draft": draft}
    )
    assert again.url == reverse("partners:referral_submitted", args=[Referral.objects.get().pk])
    assert Referral.objects.count() == 1


def test_the_same_submission_key_twice_in_the_service_gives_one_referral(partner_a, treatment_service):
    import uuid

    key = uuid.uuid4()
    first = services.referral_submit(
        user=partner_a, submission_key=key, **referral_fields(receiving_agency=treatment_service)
    )
    second = services.referral_submit(
        user=partner_a, submission_key=key, **referral_fields(receiving_agency=treatment_service)
    )
    assert first.pk == second.pk and Referral.objects.count() == 1


def test_the_api_honours_an_idempotency_key(partner_a_client, treatment_service):
    payload = api_payload(treatment_service)
    headers = {"HTTP_IDEMPOTENCY_KEY": "0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d"}
    first = partner_a_client.post("/api/v1/referrals/", payload, content_type="application/json", **headers)
    second = partner_a_client.post("/api/v1/referrals/", payload, content_type="application/json", **headers)
    assert first.status_code == 201, first.json()
    assert first.json()["reference"] == second.json()["reference"]
    assert Referral.objects.count() == 1


def test_a_forged_draft_is_refused(partner_a_client, treatment_service):
    response = partner_a_client.post(
        reverse("partners:referral_new"), {**form_data(treatment_service), "draft": "not-mine"}
    )
    assert response.status_code == 302 and response.url == reverse("partners:referral_new")
    assert not Referral.objects.exists()


def test_the_acknowledgement_is_emailed_once_after_commit(
    partner_a, treatment_service, django_capture_on_commit_callbacks
):
    import uuid

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = services.referral_submit(
            user=partner_a, submission_key=uuid.uuid4(), **referral_fields(receiving_agency=treatment_service)
        )
        assert mail.outbox == []  # nothing before the transaction commits
    # Besides the cache generations moved on again at commit (core.generations), one hook: the email.
    (send,) = [hook for hook in callbacks if not getattr(hook, "once_key", "").startswith("advance:")]
    send()
    send()  # a redelivered task sends nothing more
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [partner_a.email] and referral.reference in email.subject
    assert "1990" not in email.body and "J" + "S" not in email.body


def test_the_acknowledgement_links_to_the_referral_on_the_site(referral_a, settings):
    settings.SITE_URL = "https://portal.example.police.uk"
    Referral.objects.filter(pk=referral_a.pk).update(acknowledged_at=None)
    mail.outbox.clear()

    assert services.referral_acknowledge(referral_id=referral_a.pk) is True

    link = f"https://portal.example.police.uk/referrals/{referral_a.pk}/"
    assert link == "https://portal.example.police.uk" + reverse(
        "partners:referral_detail", args=[referral_a.pk]
    )
    assert f"Follow its progress in the Strategy Portal: {link}\n" in mail.outbox[0].body


def test_an_acknowledgement_that_fails_to_send_is_left_for_the_retry(referral_a, monkeypatch):
    import smtplib

    Referral.objects.filter(pk=referral_a.pk).update(acknowledged_at=None)
    mail.outbox.clear()

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(services, "send_mail", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.referral_acknowledge(referral_id=referral_a.pk)
    referral_a.refresh_from_db()
    assert referral_a.acknowledged_at is None
    monkeypatch.undo()
    assert services.referral_acknowledge(referral_id=referral_a.pk) is True
    assert services.referral_acknowledge(referral_id=referral_a.pk) is False
    assert len(mail.outbox) == 1


def test_a_worker_that_finds_the_referral_already_marked_sends_nothing(referral_a, monkeypatch):
    """Two workers read the referral unacknowledged; the one whose guarded update loses sends nothing."""
    Referral.objects.filter(pk=referral_a.pk).update(acknowledged_at=None)
    mail.outbox.clear()
    real_filter = Referral.objects.filter

    def first_read_then_the_other_worker_marks_it(*args, **kwargs):
        found = real_filter(*args, **kwargs)
        if kwargs.get("acknowledged_at__isnull"):
            real_filter(pk=referral_a.pk).update(acknowledged_at=timezone.now())
        return found

    monkeypatch.setattr(Referral.objects, "filter", first_read_then_the_other_worker_marks_it)
    assert services.referral_acknowledge(referral_id=referral_a.pk) is False
    assert mail.outbox == []


def test_a_rolled_back_submission_sends_no_email(
    partner_a, treatment_service, django_capture_on_commit_callbacks
):
    import uuid

    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.referral_submit(
            user=partner_a, submission_key=uuid.uuid4(), **referral_fields(receiving_agency=treatment_service)
        )
        raise RuntimeError("rolled back")
    assert mail.outbox == [] and not Referral.objects.exists()


def test_editing_keeps_the_history(partner_a_client, treatment_service, referral_a):
    url = reverse("partners:referral_edit", args=[referral_a.pk])
    response = partner_a_client.post(
        url, form_data(treatment_service, notes="Now wants a morning appointment.")
    )
    assert response.status_code == 302
    page = partner_a_client.get(reverse("partners:referral_detail", args=[referral_a.pk])).content.decode()
    assert "Now wants a morning appointment." in page and "Changed" in page


@pytest.mark.redis
def test_the_acknowledgement_runs_through_a_real_worker(real_celery_worker, partner_a, treatment_service):
    import time
    import uuid

    referral = services.referral_submit(
        user=partner_a, submission_key=uuid.uuid4(), **referral_fields(receiving_agency=treatment_service)
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        referral.refresh_from_db()
        if referral.acknowledged_at:
            break
        time.sleep(0.2)
    assert referral.acknowledged_at is not None
    assert len(mail.outbox) == 1

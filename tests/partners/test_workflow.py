"""Only the allowed status changes, only by the agencies allowed, each recorded once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from partners import services
from partners.choices import Status
from partners.models import Referral, ReferralTransition
from tests.factories.partners import move_to

pytestmark = pytest.mark.django_db


def _snapshot(referral):
    referral.refresh_from_db()
    return (referral.status, referral.entered_treatment_on, referral.closed_on, referral.transitions.count())


def test_submitted_to_completed_is_refused_with_a_clear_message_and_changes_nothing(
    treatment_worker, referral_a
):
    before = _snapshot(referral_a)
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(referral=referral_a, user=treatment_worker, to_status=Status.COMPLETED)
    assert refused.value.message_dict["to_status"] == [
        "A referral that is submitted cannot be changed to completed successfully"
    ]
    assert _snapshot(referral_a) == before


def test_the_submitting_agency_cannot_accept_its_own_referral(partner_a, referral_a):
    before = _snapshot(referral_a)
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(referral=referral_a, user=partner_a, to_status=Status.ACCEPTED)
    assert refused.value.message_dict["to_status"] == [
        "Only the receiving agency can change this referral to accepted"
    ]
    assert _snapshot(referral_a) == before


def test_the_receiving_agency_cannot_withdraw_a_referral(treatment_worker, referral_a):
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            referral=referral_a, user=treatment_worker, to_status=Status.WITHDRAWN, note="x"
        )
    assert "Only the agency that submitted it" in refused.value.message_dict["to_status"][0]


def test_an_illegal_change_in_the_page_shows_the_message(client, treatment_worker, referral_a):
    client.force_login(treatment_worker)
    url = reverse("partners:referral_status", args=[referral_a.pk])
    response = client.post(url, {"to_status": "completed", "from_status": "submitted"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "A referral that is submitted cannot be changed to completed successfully" in page
    assert _snapshot(referral_a)[0] == Status.SUBMITTED


def test_a_wrong_agency_change_in_the_page_shows_the_message(partner_a_client, referral_a):
    url = reverse("partners:referral_status", args=[referral_a.pk])
    page = partner_a_client.post(url, {"to_status": "accepted", "from_status": "submitted"}).content.decode()
    assert "Only the receiving agency can change this referral to accepted" in page
    assert _snapshot(referral_a)[0] == Status.SUBMITTED


def test_an_illegal_change_in_the_api_is_a_400_with_the_message(client, treatment_worker, referral_a):
    client.force_login(treatment_worker)
    response = client.post(
        f"/api/v1/referrals/{referral_a.pk}/transition/",
        {"to_status": "completed"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "to_status": ["A referral that is submitted cannot be changed to completed successfully"]
    }


def test_every_legal_transition_is_in_the_history(treatment_worker, referral_a):
    days = [
        datetime.date(2026, 3, 3),
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 20),
        datetime.date(2026, 8, 1),
    ]
    for status, day in zip(
        [Status.ACCEPTED, Status.ASSESSED, Status.IN_TREATMENT, Status.COMPLETED], days, strict=True
    ):
        services.referral_transition(
            referral=referral_a, user=treatment_worker, to_status=status, effective_on=day, note="ok"
        )
    steps = list(
        referral_a.transitions.values_list("from_status", "to_status", "by__username", "effective_on")
    )
    assert steps == [
        ("submitted", "accepted", "treatment_worker", days[0]),
        ("accepted", "assessed", "treatment_worker", days[1]),
        ("assessed", "in_treatment", "treatment_worker", days[2]),
        ("in_treatment", "completed", "treatment_worker", days[3]),
    ]
    referral_a.refresh_from_db()
    assert referral_a.entered_treatment_on == days[2]
    assert referral_a.days_to_treatment == 18
    assert referral_a.closed_on == days[3]


@pytest.mark.parametrize(
    "path",
    [
        [Status.DECLINED],
        [Status.NOT_ELIGIBLE],
        [Status.ACCEPTED, Status.DISENGAGED],
        [Status.ACCEPTED, Status.ASSESSED, Status.NOT_ELIGIBLE],
        [Status.ACCEPTED, Status.ASSESSED, Status.IN_TREATMENT, Status.DISENGAGED],
    ],
)
def test_the_exits_close_the_referral(treatment_worker, referral_a, path):
    for status in path:
        services.referral_transition(
            referral=referral_a, user=treatment_worker, to_status=status, note="Reason"
        )
    assert [t.to_status for t in referral_a.transitions.all()] == path
    assert referral_a.closed_on == datetime.date.today() or referral_a.closed_on is not None


def test_the_submitting_agency_may_withdraw_before_acceptance(partner_a, referral_a):
    services.referral_transition(
        referral=referral_a, user=partner_a, to_status=Status.WITHDRAWN, note="Sent in error"
    )
    assert referral_a.is_withdrawn and referral_a.status == Status.WITHDRAWN
    assert not Referral.objects.live().filter(pk=referral_a.pk).exists()


def test_declining_needs_a_note(treatment_worker, referral_a):
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(referral=referral_a, user=treatment_worker, to_status=Status.DECLINED)
    assert refused.value.message_dict == {"note": ["Enter a note saying why"]}
    assert _snapshot(referral_a)[0] == Status.SUBMITTED


def test_a_double_click_moves_the_referral_once(client, treatment_worker, referral_a):
    client.force_login(treatment_worker)
    url = reverse("partners:referral_status", args=[referral_a.pk])
    first = client.post(url, {"to_status": "accepted", "from_status": "submitted"})
    second = client.post(url, {"to_status": "accepted", "from_status": "submitted"})
    assert first.status_code == 302
    assert "This referral is already accepted. Nothing was changed" in second.content.decode()
    assert referral_a.transitions.count() == 1


def test_a_stale_copy_cannot_move_the_referral_twice(treatment_worker, referral_a):
    stale = Referral.objects.get(pk=referral_a.pk)
    services.referral_transition(referral=referral_a, user=treatment_worker, to_status=Status.ACCEPTED)
    with pytest.raises(ValidationError):
        services.referral_transition(referral=stale, user=treatment_worker, to_status=Status.ACCEPTED)
    assert referral_a.transitions.count() == 1


def test_the_database_refuses_an_illegal_transition_row(treatment_worker, referral_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralTransition.objects.create(
            referral=referral_a,
            from_status="submitted",
            to_status="completed",
            by=treatment_worker,
            effective_on=referral_a.referral_date,
        )


def test_the_detail_page_shows_the_timeline_and_the_allowed_actions(client, treatment_worker, referral_a):
    move_to(referral_a, Status.ASSESSED, by=treatment_worker)
    client.force_login(treatment_worker)
    page = client.get(reverse("partners:referral_detail", args=[referral_a.pk])).content.decode()
    progress = page[page.index('id="progress"') : page.index('id="history"')]
    assert progress.count("moj-timeline__item") == 3  # submitted, accepted, assessed
    assert "Accepted" in progress and "Assessed" in progress
    assert "Record entry into treatment" in page
    assert "Accept the referral" not in page


def test_treatment_cannot_start_before_the_referral(treatment_worker, referral_a):
    move_to(referral_a, Status.ASSESSED, by=treatment_worker)
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            referral=referral_a,
            user=treatment_worker,
            to_status=Status.IN_TREATMENT,
            effective_on=referral_a.referral_date - datetime.timedelta(days=1),
        )
    assert "effective_on" in refused.value.message_dict


def test_the_submitting_agency_may_edit_only_while_submitted(partner_a_client, treatment_worker, referral_a):
    url = reverse("partners:referral_edit", args=[referral_a.pk])
    assert partner_a_client.get(url).status_code == 200
    services.referral_transition(referral=referral_a, user=treatment_worker, to_status=Status.ACCEPTED)
    assert partner_a_client.get(url).status_code == 403

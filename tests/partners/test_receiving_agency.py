"""Who may receive a referral, and who may move it on. A referral goes to an active agency of a
kind that takes its pathway, never to the submitting agency itself; only the receiving agency
moves it through treatment, and the submitter may only withdraw it."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Agency
from partners import services
from partners.choices import RECEIVING_KINDS, Pathway, Status
from partners.models import Referral
from partners.workflow import MOVES, RECEIVING, SUBMITTING, moves_for
from tests.factories import AgencyFactory, UserFactory
from tests.factories.partners import api_payload, referral_fields
from tests.partners.test_submission import answer

pytestmark = pytest.mark.django_db

SELF_ADDRESSED = "Select another agency: a referral cannot be made to your own agency"


def offered_agencies(client):
    """The ids the receiving agency question offers."""
    page = client.get(reverse("partners:referral_new")).content.decode()
    select = re.search(r'<select name="receiving_agency".*?</select>', page, re.S).group(0)
    return {int(value) for value in re.findall(r'<option value="(\d+)"', select)}


def agency_of(kind):
    return AgencyFactory(name=f"A {kind} agency", kind=kind)


# --- a referral to its own agency ---------------------------------------------------------------


def test_a_referral_to_the_submitters_own_agency_is_refused_in_the_service(partner_b):
    with pytest.raises(ValidationError) as refused:
        services.referral_submit(
            user=partner_b,
            submission_key="9d0e5a55-0ec0-4cf4-8b39-6f9c2a3f4c11",
            **referral_fields(receiving_agency=partner_b.agency),
        )
    assert refused.value.message_dict == {"receiving_agency": [SELF_ADDRESSED]}
    assert not Referral.objects.exists()


def test_a_referral_to_the_submitters_own_agency_is_a_400_in_the_api(partner_b_client, partner_b):
    response = partner_b_client.post(
        "/api/v1/referrals/", api_payload(partner_b.agency), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"receiving_agency": [SELF_ADDRESSED]}
    assert not Referral.objects.exists()


def test_the_form_never_offers_the_users_own_agency_and_refuses_it_if_sent(
    partner_b_client, partner_b, treatment_service
):
    offered = offered_agencies(partner_b_client)
    assert treatment_service.pk in offered and partner_b.agency_id not in offered
    _, response = answer(partner_b_client, partner_b.agency)
    assert response.status_code == 200
    assert "Select the agency you are referring the person to" in response.content.decode()
    assert not Referral.objects.exists()


def test_changing_a_referral_to_the_submitters_own_agency_is_refused(partner_a_client, partner_a, referral_a):
    before = referral_a.receiving_agency_id
    response = partner_a_client.patch(
        f"/api/v1/referrals/{referral_a.pk}/",
        {"receiving_agency": partner_a.agency_id},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"receiving_agency": [SELF_ADDRESSED]}
    referral_a.refresh_from_db()
    assert referral_a.receiving_agency_id == before


def test_the_database_refuses_a_live_referral_to_its_own_agency(referral_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral_a.pk).update(receiving_agency=referral_a.submitting_agency)


# --- the kind of agency that takes each pathway -------------------------------------------------


@pytest.mark.parametrize(
    ("pathway", "kind", "taken"),
    [
        (Pathway.TREATMENT, Agency.Kind.TREATMENT, True),
        (Pathway.TREATMENT, Agency.Kind.HEALTH, True),
        (Pathway.TREATMENT, Agency.Kind.SCHOOL, False),
        (Pathway.TREATMENT, Agency.Kind.YOUTH, False),
        (Pathway.DIP_ASSESSMENT_INITIAL, Agency.Kind.TREATMENT, True),
        (Pathway.DIP_ASSESSMENT_INITIAL, Agency.Kind.HEALTH, False),
        (Pathway.EARLY_INTERVENTION, Agency.Kind.YOUTH, True),
        (Pathway.EARLY_INTERVENTION, Agency.Kind.POLICE, False),
        (Pathway.ARREST_REFERRAL, Agency.Kind.COUNCIL, False),
        (Pathway.OTHER, Agency.Kind.COUNCIL, True),
        (Pathway.OTHER, Agency.Kind.SCHOOL, False),
    ],
)
def test_each_pathway_goes_only_to_the_kinds_of_agency_that_take_it(partner_a_client, pathway, kind, taken):
    receiving = agency_of(kind)
    extra = {"dip_test_result": "opiates"} if pathway == Pathway.DIP_TEST_ON_ARREST else {}
    response = partner_a_client.post(
        "/api/v1/referrals/",
        api_payload(receiving, pathway=pathway, **extra),
        content_type="application/json",
    )
    if taken:
        assert response.status_code == 201, response.json()
        assert Referral.objects.get().receiving_agency == receiving
    else:
        assert response.status_code == 400
        [message] = response.json()["receiving_agency"]
        assert message.startswith(f"{receiving.name} does not take referrals on this pathway: select ")
        assert not Referral.objects.exists()


def test_the_kind_message_names_the_kinds_that_do(partner_a):
    school = agency_of(Agency.Kind.SCHOOL)
    with pytest.raises(ValidationError) as refused:
        services.referral_submit(
            user=partner_a,
            submission_key="5bb0c8f9-3b59-4a51-9d4f-5a9c8e0b7d21",
            **referral_fields(receiving_agency=school, pathway=Pathway.TREATMENT),
        )
    assert refused.value.message_dict["receiving_agency"] == [
        f"{school.name} does not take referrals on this pathway: "
        "select a drug and alcohol treatment service or a health service"
    ]


def test_the_form_offers_only_agencies_that_take_some_pathway(partner_a_client, treatment_service):
    school = agency_of(Agency.Kind.SCHOOL)
    police = agency_of(Agency.Kind.POLICE)
    closed = AgencyFactory(name="Closed service", active=False)
    offered = offered_agencies(partner_a_client)
    assert treatment_service.pk in offered
    assert not offered & {school.pk, police.pk, closed.pk}


def test_every_pathway_has_somewhere_to_go():
    assert set(RECEIVING_KINDS) == set(Pathway.values)
    assert all(RECEIVING_KINDS.values())


def test_an_inactive_agency_is_a_400_in_the_api(partner_a_client):
    closed = AgencyFactory(name="Closed service", active=False)
    response = partner_a_client.post(
        "/api/v1/referrals/", api_payload(closed), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"receiving_agency": ["Select an agency that is taking referrals"]}


def test_a_referral_already_sent_keeps_an_agency_that_has_since_closed(
    partner_a_client, referral_a, treatment_service
):
    treatment_service.active = False
    treatment_service.save()
    response = partner_a_client.patch(
        f"/api/v1/referrals/{referral_a.pk}/", {"notes": "Prefers mornings."}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    referral_a.refresh_from_db()
    assert referral_a.notes == "Prefers mornings." and referral_a.receiving_agency == treatment_service


def test_members_of_an_inactive_agency_cannot_submit(partner_a_client, partner_a, treatment_service):
    Agency.objects.filter(pk=partner_a.agency_id).update(active=False)
    assert partner_a_client.get(reverse("partners:referral_new")).status_code == 403
    response = partner_a_client.post(
        "/api/v1/referrals/", api_payload(treatment_service), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Referral.objects.exists()


# --- only the receiving agency moves a referral on ----------------------------------------------

RECEIVING_MOVES = [move for move in MOVES if move.by == RECEIVING]
PATH_TO = {
    Status.SUBMITTED: [],
    Status.ACCEPTED: [Status.ACCEPTED],
    Status.ASSESSED: [Status.ACCEPTED, Status.ASSESSED],
    Status.IN_TREATMENT: [Status.ACCEPTED, Status.ASSESSED, Status.IN_TREATMENT],
}


def _walk_to(referral, status, by):
    for step in PATH_TO[status]:
        referral = services.referral_transition(
            referral=referral, user=by, to_status=step, effective_on=datetime.date(2026, 3, 5)
        )
    return referral


def _state(referral):
    referral.refresh_from_db()
    return referral.status, referral.transitions.count(), referral.entered_treatment_on, referral.closed_on


@pytest.mark.parametrize("move", RECEIVING_MOVES, ids=lambda m: f"{m.source}->{m.target}")
def test_the_submitter_cannot_make_any_receiving_side_change(
    partner_a, partner_a_client, treatment_worker, referral_a, move
):
    referral = _walk_to(referral_a, move.source, treatment_worker)
    before = _state(referral)
    assert move.target not in {m.target for m in moves_for(partner_a, referral)}
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            referral=referral, user=partner_a, to_status=move.target, note="Trying", expected_from=move.source
        )
    assert "Only the receiving agency can change this referral" in refused.value.message_dict["to_status"][0]
    response = partner_a_client.post(
        f"/api/v1/referrals/{referral.pk}/transition/",
        {"to_status": move.target, "note": "Trying"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["to_status"][0].startswith("Only the receiving agency can change this referral")
    page = partner_a_client.post(
        reverse("partners:referral_status", args=[referral.pk]),
        {"to_status": move.target, "from_status": move.source, "note": "Trying"},
    )
    assert "Only the receiving agency can change this referral" in page.content.decode()
    assert _state(referral) == before


@pytest.mark.parametrize("move", RECEIVING_MOVES, ids=lambda m: f"{m.source}->{m.target}")
def test_the_receiving_agency_can_make_each_receiving_side_change(treatment_worker, referral_a, move):
    referral = _walk_to(referral_a, move.source, treatment_worker)
    services.referral_transition(
        referral=referral,
        user=treatment_worker,
        to_status=move.target,
        note="Done",
        expected_from=move.source,
    )
    assert _state(referral)[0] == move.target


def test_the_submitter_may_withdraw_and_the_receiver_may_not(partner_a, treatment_worker, referral_a):
    assert [m.target for m in moves_for(partner_a, referral_a)] == [Status.WITHDRAWN]
    assert Status.WITHDRAWN not in [m.target for m in moves_for(treatment_worker, referral_a)]
    services.referral_transition(
        referral=referral_a, user=partner_a, to_status=Status.WITHDRAWN, note="Moved"
    )
    assert _state(referral_a)[0] == Status.WITHDRAWN


def test_another_member_of_neither_agency_has_no_moves(partner_b, referral_a):
    assert moves_for(partner_b, referral_a) == []


def test_a_referral_sent_to_its_own_agency_before_the_rule_gives_its_agency_only_the_submitters_side(
    partner_a, referral_a
):
    """The database now refuses a live one; a withdrawn one may remain from before. Even so the
    workflow gives the submitting agency only the submitter's side."""
    from partners.workflow import sides_of

    referral_a.receiving_agency_id = partner_a.agency_id
    assert sides_of(partner_a, referral_a) == {SUBMITTING}
    assert all(move.by == SUBMITTING for move in moves_for(partner_a, referral_a))


def test_a_partner_without_the_change_permission_has_no_moves(treatment_service, referral_a):
    reader = UserFactory(username="reader", agency=treatment_service)
    assert moves_for(reader, referral_a) == []
    with pytest.raises((ValidationError, PermissionDenied)):
        services.referral_transition(referral=referral_a, user=reader, to_status=Status.ACCEPTED)
    assert _state(referral_a)[0] == Status.SUBMITTED

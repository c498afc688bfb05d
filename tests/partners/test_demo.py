"""The demo referrals: plausible, deterministic, safe to load twice."""

import io

import pytest

from accounts import demo as accounts_demo
from partners.demo import load_demo_referrals
from partners.models import Referral, ReferralTransition

pytestmark = pytest.mark.django_db


def test_loads_deterministically_and_idempotently():
    accounts_demo.load_users(io.StringIO())
    load_demo_referrals(io.StringIO())
    first = list(
        Referral.objects.order_by("reference").values_list("reference", "pathway", "status", "age_band")
    )
    transitions = ReferralTransition.objects.count()
    load_demo_referrals(io.StringIO())
    assert (
        list(Referral.objects.order_by("reference").values_list("reference", "pathway", "status", "age_band"))
        == first
    )
    assert ReferralTransition.objects.count() == transitions
    assert len(first) > 1000
    forces = set(Referral.objects.values_list("area__force__name", flat=True))
    assert forces == {"Warwickshire", "West Mercia"}
    assert Referral.objects.filter(possible_repeat=True).values("submitting_agency").distinct().count() > 1
    assert Referral.objects.filter(status="completed").exists()
    assert Referral.objects.filter(referral_date__lt="2023-05-01").exists()
    assert Referral.objects.filter(
        submitting_agency__name="Nuneaton and Bedworth Community Safety Partnership"
    ).exists()


def test_every_demo_referral_goes_to_an_agency_that_takes_its_pathway_and_is_moved_on_by_it():
    from partners.choices import receives
    from partners.workflow import RECEIVING, move_between

    accounts_demo.load_users(io.StringIO())
    load_demo_referrals(io.StringIO())
    referrals = Referral.objects.select_related("receiving_agency")
    assert not [r.reference for r in referrals if r.receiving_agency_id == r.submitting_agency_id]
    assert not [r.reference for r in referrals if not receives(r.receiving_agency.kind, r.pathway)]
    for transition in ReferralTransition.objects.select_related("referral"):
        move = move_between(transition.from_status, transition.to_status)
        expected = (
            transition.referral.receiving_agency_id
            if move.by == RECEIVING
            else transition.referral.submitting_agency_id
        )
        assert transition.by_agency_id == expected, transition

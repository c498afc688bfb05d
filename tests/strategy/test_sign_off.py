"""Quarter sign-off: the facts kept as published, the period lock on every path that writes
(form, API, import; seizures, warrants, offences, referrals; changes and withdrawals), the force's
choice to allow and list changes instead, reopening with a reason, bulk sign-off, and who may."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from core.models import ChangeAfterLock, PeriodLock
from core.periods import financial_quarter
from geography.models import Force
from offences import services as offence_services
from partners import services as referral_services
from partners.choices import Status
from seizures import services as seizure_services
from seizures.models import Seizure
from strategy import signoff
from strategy.models import Fact, QuarterSignOff, SignedOffFact, SignOffEvent
from strategy.rollups import rollup_run
from strategy.scopes import Scope
from tests.factories import UserFactory, area
from tests.factories.imports import csv_bytes, import_bytes
from tests.factories.partners import make_referral
from tests.factories.seizures import SeizureFactory
from tests.seizures.helpers import seizure_form, seizure_payload

# The day the services are asked on: 2025-26 Q1 has ended and the figures count all of it.
TODAY = datetime.date(2025, 8, 1)
Q1 = financial_quarter(2025, 1)
Q1_URL = "/dashboard/quarters/{code}/2025/q1/"


def warwickshire():
    return Force.objects.get(name="Warwickshire")


def west_mercia():
    return Force.objects.get(name="West Mercia")


def client_as(user):
    """A browser of its own for each user (the `client` fixture is one shared browser)."""
    from django.test import Client

    browser = Client()
    browser.force_login(user)
    return browser


def rebuild():
    return rollup_run(full=True, today=TODAY)


def sign_off(quarter=Q1, force=None, *, preparer, approver):
    signoff.quarter_mark_ready(quarter=quarter, force=force, user=preparer, today=TODAY)
    return signoff.quarter_sign_off(quarter=quarter, force=force, user=approver, today=TODAY)


def new_offence(day, user, reference="23/00001/25"):
    from offences.models import OffenceType

    return offence_services.offence_create(
        user=user,
        crime_reference=reference,
        recorded_date=day,
        force=warwickshire(),
        area=area("Rugby"),
        offence_type=OffenceType.POSSESSION_OF_CANNABIS,
    )


def published_seizures(indicator, force):
    published = signoff.published_for(Q1, Scope.of(force=force))
    return published.figures([indicator])[indicator.pk]


@pytest.fixture
def q1_signed_off(seizure_count, analyst, manager):
    """One Warwickshire seizure and one West Mercia seizure in Q1; Warwickshire's Q1 signed off."""
    SeizureFactory(reference="WK-1", seized_on=datetime.date(2025, 5, 10), user=analyst)
    SeizureFactory(
        reference="WM-1",
        seized_on=datetime.date(2025, 5, 10),
        force=west_mercia(),
        area=area("Worcester"),
        user=analyst,
    )
    rebuild()
    return sign_off(force=warwickshire(), preparer=analyst, approver=manager)


# --- the snapshot -----------------------------------------------------------------------------


def test_sign_off_keeps_the_facts_as_they_stood(q1_signed_off, seizure_count, manager):
    kept = SignedOffFact.objects.filter(event=q1_signed_off.published)
    facts = Fact.objects.filter(month__gte=Q1.start, month__lte=Q1.end, force=warwickshire())
    assert kept.count() == facts.count() > 0
    assert set(kept.values_list("metric", "month", "area", "dimension", "dimension_value", "value")) == set(
        facts.values_list("metric", "month", "area", "dimension", "dimension_value", "value")
    )
    assert not kept.filter(force=west_mercia()).exists()
    assert published_seizures(seizure_count, warwickshire()) == 1
    assert q1_signed_off.status == QuarterSignOff.Status.SIGNED_OFF
    event = q1_signed_off.published
    assert (event.by, event.through) == (manager, datetime.date(2025, 7, 31))
    lock = PeriodLock.objects.get()
    assert (lock.force, lock.start, lock.end, lock.mode) == (warwickshire(), Q1.start, Q1.end, "refuse")


def test_the_alliance_sign_off_locks_every_alliance_force_and_keeps_their_facts(
    seizure_count, analyst, manager
):
    SeizureFactory(seized_on=datetime.date(2025, 5, 10), user=analyst)
    rebuild()
    sign_off(force=None, preparer=analyst, approver=manager)
    assert set(PeriodLock.objects.values_list("force__name", flat=True)) == {"Warwickshire", "West Mercia"}
    # A force that has not signed off on its own reads its published figure from the alliance's.
    assert published_seizures(seizure_count, warwickshire()) == 1
    assert published_seizures(seizure_count, None) == 1


# --- the lock, on every path that writes ---------------------------------------------------------


def test_a_back_dated_seizure_is_refused_and_the_published_figure_stands(
    q1_signed_off, seizure_count, analyst
):
    with pytest.raises(ValidationError, match="reopen the quarter"):
        SeizureFactory(reference="WK-LATE", seized_on=Q1.end, user=analyst)
    assert not Seizure.objects.filter(reference="WK-LATE").exists()
    # Either side of the boundary: the day after the quarter, and the other force, are open.
    SeizureFactory(reference="WK-Q2", seized_on=Q1.end + datetime.timedelta(days=1), user=analyst)
    SeizureFactory(
        reference="WM-Q1", seized_on=Q1.end, force=west_mercia(), area=area("Worcester"), user=analyst
    )
    rebuild()
    assert published_seizures(seizure_count, warwickshire()) == 1


def test_a_change_or_withdrawal_in_a_signed_off_quarter_is_refused(q1_signed_off, analyst):
    in_q1 = Seizure.objects.get(reference="WK-1")
    with pytest.raises(ValidationError, match="signed off"):
        seizure_services.seizure_update(seizure=in_q1, user=analyst, notes="Corrected")
    with pytest.raises(ValidationError, match="signed off"):
        seizure_services.seizure_withdraw(seizure=in_q1, user=analyst, reason="Recorded twice")
    # Moving a seizure into the quarter, or out of it, changes its figures too.
    in_q2 = SeizureFactory(reference="WK-Q2", seized_on=datetime.date(2025, 7, 2), user=analyst)
    with pytest.raises(ValidationError, match="signed off"):
        seizure_services.seizure_update(seizure=in_q2, user=analyst, seized_on=datetime.date(2025, 6, 2))
    with pytest.raises(ValidationError, match="signed off"):
        seizure_services.seizure_update(seizure=in_q1, user=analyst, seized_on=datetime.date(2025, 7, 2))
    in_q1.refresh_from_db()
    assert (in_q1.notes, in_q1.seized_on, in_q1.is_withdrawn) == ("", datetime.date(2025, 5, 10), False)


def test_the_seizure_form_says_why_a_back_dated_seizure_is_refused(q1_signed_off, analyst_client):
    response = analyst_client.post(
        "/seizures/new/", seizure_form(reference="WK-FORM", seized_on=datetime.date(2025, 6, 30))
    )
    assert response.status_code == 200
    assert "A manager must reopen the quarter" in response.content.decode()
    assert "Warwickshire 2025-26 Q1, signed off on" in response.content.decode()
    assert not Seizure.objects.filter(reference="WK-FORM").exists()


def test_the_api_refuses_a_back_dated_seizure_with_a_400(q1_signed_off, analyst_client):
    response = analyst_client.post(
        "/api/v1/seizures/",
        seizure_payload(reference="WK-API", seized_on="2025-06-30"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "reopen the quarter" in " ".join(response.json()["non_field_errors"])
    assert not Seizure.objects.filter(reference="WK-API").exists()


def test_an_import_with_a_row_in_a_signed_off_quarter_is_refused_whole(q1_signed_off, analyst):
    header = ["Reference", "Date seized", "Force", "District", "Place", "Drug", "Quantity", "Unit"]
    rows = [
        ["WK-IMP-1", "2025-07-02", "Warwickshire", "Rugby", "A garage", "cocaine", "3", "g"],
        ["WK-IMP-2", "2025-06-02", "Warwickshire", "Rugby", "A garage", "cocaine", "3", "g"],
    ]
    batch = import_bytes("seizures.csv", csv_bytes(header, rows), "seizures", user=analyst)
    assert batch.status == "refused"
    assert "reopen the quarter" in str(batch.row_errors)
    assert not Seizure.objects.filter(reference__startswith="WK-IMP").exists()


def test_warrants_offences_and_referrals_are_locked_too(q1_signed_off, analyst, partner_a, agency_b):
    from tests.factories.seizures import WarrantFactory

    with pytest.raises(ValidationError, match="signed off"):
        WarrantFactory(
            issued_on=datetime.date(2025, 6, 2), executed_on=datetime.date(2025, 6, 6), user=analyst
        )
    with pytest.raises(ValidationError, match="signed off"):
        new_offence(datetime.date(2025, 6, 2), analyst)
    new_offence(datetime.date(2025, 7, 2), analyst)  # Q2: open
    with pytest.raises(ValidationError, match="signed off"):
        make_referral(by=partner_a, to=agency_b, referral_date=datetime.date(2025, 6, 2))


def test_cannabis_factories_are_locked_too(q1_signed_off, analyst):
    from seizures import services as seizure_services
    from tests.factories.seizures import SiteFactory

    with pytest.raises(ValidationError, match="signed off"):
        SiteFactory(discovered_on=datetime.date(2025, 6, 2), user=analyst)
    site = SiteFactory(discovered_on=datetime.date(2025, 7, 2), user=analyst)  # Q2: open
    with pytest.raises(ValidationError, match="signed off"):
        june = datetime.date(2025, 6, 2)
        seizure_services.site_update(site=site, user=analyst, discovered_on=june, closed_on=june)
    site.refresh_from_db()
    assert site.closed_on == datetime.date(2025, 7, 2)


def test_a_referral_moves_on_after_sign_off_but_not_back_into_the_quarter(
    seizure_count, analyst, manager, partner_a
):
    from tests.factories import AgencyFactory

    receiving = AgencyFactory(name="Warwickshire Treatment Service")
    partner_b = UserFactory(username="treatment", role="Partner", agency=receiving)
    referral = make_referral(by=partner_a, to=receiving, referral_date=datetime.date(2025, 6, 2))
    rebuild()
    sign_off(force=warwickshire(), preparer=analyst, approver=manager)
    # Accepting it on a day after the quarter leaves the quarter's figures as they are.
    referral = referral_services.referral_transition(
        referral=referral, user=partner_b, to_status=Status.ACCEPTED, effective_on=datetime.date(2025, 8, 1)
    )
    assert referral.status == Status.ACCEPTED
    # Withdrawing it takes it out of the quarter's referral figures: refused.
    referral2 = make_referral(by=partner_a, to=receiving, referral_date=datetime.date(2025, 7, 2))
    assert referral2.status == Status.SUBMITTED
    with pytest.raises(ValidationError, match="signed off"):
        referral_services.referral_update(
            referral=referral2, user=partner_a, referral_date=datetime.date(2025, 6, 20)
        )


def test_an_offence_import_row_in_a_signed_off_quarter_is_refused(q1_signed_off, analyst):
    header = [
        "Crime reference",
        "Date recorded",
        "Force",
        "District",
        "Offence type",
        "Cultivation",
        "Factory",
    ]
    rows = [["23/1234/25", "2025-06-02", "Warwickshire", "Rugby", "possession_cannabis", "no", "no"]]
    batch = import_bytes("offences.csv", csv_bytes(header, rows), "offences", user=analyst)
    assert batch.status == "refused"
    assert "reopen the quarter" in str(batch.row_errors)


# --- the force's choice: allowed and listed ----------------------------------------------------------


def test_where_the_force_allows_it_a_change_is_listed_and_the_published_figure_stands(
    q1_signed_off, seizure_count, analyst, manager, manager_client
):
    signoff.policy_set(force=warwickshire(), mode=PeriodLock.Mode.FLAG, user=manager)
    late = SeizureFactory(reference="WK-LATE", seized_on=datetime.date(2025, 6, 30), user=analyst)
    change = ChangeAfterLock.objects.get()
    assert (change.record_label, change.action, change.by) == ("Seizure WK-LATE", "Recorded", analyst)
    assert change.record_url == late.get_absolute_url()
    seizure_services.seizure_withdraw(
        seizure=Seizure.objects.get(reference="WK-1"), user=analyst, reason="Twice"
    )
    assert ChangeAfterLock.objects.count() == 2
    rebuild()
    # Today's figure moved (one recorded, one withdrawn: still 1, but other records); the
    # published one is the figure as signed off.
    assert published_seizures(seizure_count, warwickshire()) == 1

    page = manager_client.get(
        f"/dashboard/?period=quarter&year=2025&quarter=1&force={warwickshire().pk}"
    ).content.decode()
    assert "2 records changed since sign-off" in page
    assert 'data-published="1.000"' in page or 'data-published="1"' in page
    changes = manager_client.get(Q1_URL.format(code=warwickshire().ons_code) + "changes/").content.decode()
    assert "Seizure WK-LATE" in changes and "Withdrawn: Twice" in changes


def test_the_published_figure_is_shown_beside_today_s(
    q1_signed_off, seizure_count, analyst, manager, manager_client
):
    signoff.policy_set(force=warwickshire(), mode=PeriodLock.Mode.FLAG, user=manager)
    SeizureFactory(reference="WK-LATE", seized_on=datetime.date(2025, 6, 30), user=analyst)
    rebuild()
    query = f"period=quarter&year=2025&quarter=1&force={warwickshire().pk}"
    overview = manager_client.get(f"/dashboard/?{query}").content.decode()
    assert "Published: <strong>1 seizure</strong>" in overview
    assert ">2 seizures</a>" in overview
    assert "was signed off for Warwickshire on" in overview and f"by {manager.get_full_name()}" in overview
    detail = manager_client.get(f"/dashboard/seizures/?{query}").content.decode()
    assert 'id="published-figure"' in detail and "1 seizure</dd>" in detail
    # A district of the force reads its published figure from the force's kept facts.
    rugby = area("Rugby")
    district = manager_client.get(
        f"/dashboard/?period=quarter&year=2025&quarter=1&area={rugby.pk}"
    ).content.decode()
    assert "Published:" in district
    # A period that is not signed off shows no published figure.
    other = manager_client.get(f"/dashboard/?period=quarter&year=2025&quarter=2&force={warwickshire().pk}")
    assert "Published:" not in other.content.decode()


def test_changing_the_policy_applies_to_the_locks_in_force(q1_signed_off, analyst, manager):
    analyst_client = client_as(analyst)
    manager_client = client_as(manager)
    code = warwickshire().ons_code
    assert (
        analyst_client.post(
            f"/dashboard/quarters/{code}/policy/", {"changes_after_sign_off": "flag"}
        ).status_code
        == 403
    )
    response = manager_client.post(
        f"/dashboard/quarters/{code}/policy/", {"changes_after_sign_off": "sideways"}
    )
    assert response.status_code == 302
    assert PeriodLock.objects.get().mode == "refuse"
    manager_client.post(f"/dashboard/quarters/{code}/policy/", {"changes_after_sign_off": "flag"})
    assert PeriodLock.objects.get().mode == "flag"


# --- reopening --------------------------------------------------------------------------------------


def test_reopening_needs_a_reason_then_allows_changes_and_keeps_the_published_figure(
    q1_signed_off, seizure_count, analyst, manager, manager_client
):
    url = Q1_URL.format(code=warwickshire().ons_code)
    response = manager_client.post(url + "reopen/", {"reason": "  "})
    assert response.status_code == 400
    assert "Enter why the quarter is being reopened" in response.content.decode()
    assert PeriodLock.objects.in_force().count() == 1

    manager_client.post(url + "reopen/", {"reason": "June's seizures were recorded against the wrong force"})
    assert PeriodLock.objects.in_force().count() == 0
    SeizureFactory(reference="WK-LATE", seized_on=datetime.date(2025, 6, 30), user=analyst)
    rebuild()
    # Still the figure published at sign-off until the quarter is signed off again.
    assert published_seizures(seizure_count, warwickshire()) == 1
    second_analyst = UserFactory(username="second.analyst", role="Analyst")
    signoff.quarter_mark_ready(quarter=Q1, force=warwickshire(), user=second_analyst, today=TODAY)
    signoff.quarter_sign_off(quarter=Q1, force=warwickshire(), user=manager, today=TODAY)
    assert published_seizures(seizure_count, warwickshire()) == 2

    history = manager_client.get(url).content.decode()
    for said in ("Marked ready for sign-off", "Signed off", "Reopened", "recorded against the wrong force"):
        assert said in history
    actions = list(QuarterSignOff.objects.get().events.values_list("action", flat=True))
    assert actions == ["ready", "signed_off", "reopened", "ready", "signed_off"]


def test_only_a_signed_off_quarter_can_be_reopened(seizure_count, manager):
    with pytest.raises(ValidationError, match="not signed off"):
        signoff.quarter_reopen(quarter=Q1, force=warwickshire(), user=manager, reason="Why not")


# --- preparing and signing off -------------------------------------------------------------------------


def test_a_quarter_is_signed_off_only_when_ready_complete_and_built(seizure_count, analyst, manager):
    rebuild()
    with pytest.raises(ValidationError, match="must be marked ready"):
        signoff.quarter_sign_off(quarter=Q1, force=warwickshire(), user=manager, today=TODAY)
    # Q2 2025-26 has not ended on 1 August 2025; on 1 October the figures do not count it yet.
    q2 = financial_quarter(2025, 2)
    with pytest.raises(ValidationError, match="has not ended"):
        signoff.quarter_mark_ready(quarter=q2, force=warwickshire(), user=analyst, today=TODAY)
    with pytest.raises(ValidationError, match="count records to 31 July 2025"):
        signoff.quarter_mark_ready(
            quarter=q2, force=warwickshire(), user=analyst, today=datetime.date(2025, 10, 1)
        )
    signoff.quarter_mark_ready(quarter=Q1, force=warwickshire(), user=analyst, today=TODAY)
    with pytest.raises(ValidationError, match="already marked ready"):
        signoff.quarter_mark_ready(quarter=Q1, force=warwickshire(), user=analyst, today=TODAY)
    # A record of the quarter saved since the figures were built: they must be rebuilt first.
    SeizureFactory(seized_on=datetime.date(2025, 6, 3), user=analyst)
    with pytest.raises(ValidationError, match="rebuild the figures"):
        signoff.quarter_sign_off(quarter=Q1, force=warwickshire(), user=manager, today=TODAY)
    rebuild()
    signoff.quarter_sign_off(quarter=Q1, force=warwickshire(), user=manager, today=TODAY)
    with pytest.raises(ValidationError, match="already signed off"):
        signoff.quarter_sign_off(quarter=Q1, force=warwickshire(), user=manager, today=TODAY)


def test_the_person_who_prepared_a_quarter_cannot_sign_it_off(seizure_count):
    both = UserFactory(username="both.roles", role="Manager")
    both.user_permissions.add(Permission.objects.get(codename="prepare_quarter"))
    rebuild()
    signoff.quarter_mark_ready(quarter=Q1, force=warwickshire(), user=both, today=TODAY)
    with pytest.raises(ValidationError, match="another person must sign it off"):
        signoff.quarter_sign_off(quarter=Q1, force=warwickshire(), user=both, today=TODAY)


def test_a_context_force_signs_nothing_off(seizure_count, analyst):
    from geography.models import Force as ForceModel

    context = ForceModel.objects.create(name="West Yorkshire", ons_code="E23000010")
    rebuild()
    with pytest.raises(ValidationError, match="alliance's own forces"):
        signoff.quarter_mark_ready(quarter=Q1, force=context, user=analyst, today=TODAY)


def test_past_quarters_are_marked_ready_and_signed_off_in_bulk(seizure_count, analyst, manager):
    analyst_client = client_as(analyst)
    manager_client = client_as(manager)
    rebuild()
    code = warwickshire().ons_code
    response = analyst_client.post(
        "/dashboard/quarters/", {"scope": code, "action": "ready", "quarters": ["2024-1", "2024-2", "2024-3"]}
    )
    assert response.status_code == 302
    response = manager_client.post(
        "/dashboard/quarters/",
        {"scope": code, "action": "sign_off", "quarters": ["2024-1", "2024-2", "2024-3", "2024-4"]},
        follow=True,
    )
    page = response.content.decode()
    assert "2024-25 Q4: 2024-25 Q4 must be marked ready by an analyst" in page
    signed = QuarterSignOff.objects.filter(force=warwickshire(), status="signed_off")
    assert sorted(s.quarter.label for s in signed) == ["2024-25 Q1", "2024-25 Q2", "2024-25 Q3"]
    assert all(s.published.in_bulk for s in signed)
    assert PeriodLock.objects.in_force().count() == 3
    # Nothing chosen: said on the page, nothing done.
    response = manager_client.post("/dashboard/quarters/", {"scope": code, "action": "sign_off"})
    assert response.status_code == 200 and "Select at least one quarter" in response.content.decode()


# --- who may ---------------------------------------------------------------------------------------------


def test_analysts_prepare_and_managers_sign_off_and_reopen(seizure_count, analyst, manager, partner_a):
    analyst_client = client_as(analyst)
    manager_client = client_as(manager)
    partner_a_client = client_as(partner_a)
    rebuild()
    url = Q1_URL.format(code=warwickshire().ons_code)
    assert manager_client.post(url + "ready/").status_code == 403
    assert analyst_client.post(url + "ready/").status_code == 302
    assert analyst_client.post(url + "sign-off/").status_code == 403
    assert manager_client.post(url + "sign-off/").status_code == 302
    assert analyst_client.post(url + "reopen/", {"reason": "Wrong"}).status_code == 403
    assert (
        analyst_client.post(
            "/dashboard/quarters/", {"scope": "alliance", "action": "sign_off", "quarters": ["2025-1"]}
        ).status_code
        == 403
    )
    assert (
        manager_client.post(
            "/dashboard/quarters/", {"scope": "alliance", "action": "ready", "quarters": ["2025-1"]}
        ).status_code
        == 403
    )
    for path in ("/dashboard/quarters/", url, url + "changes/", url + "pack/"):
        assert partner_a_client.get(path).status_code == 403
    assert QuarterSignOff.objects.get().status == "signed_off"
    assert SignOffEvent.objects.count() == 2


def test_unknown_quarters_and_scopes_are_not_found(seizure_count, manager_client):
    assert manager_client.get("/dashboard/quarters/alliance/2025/q5/").status_code == 404
    assert manager_client.get("/dashboard/quarters/E23000099/2025/q1/").status_code == 404


# --- commentary ------------------------------------------------------------------------------------------


def test_analysts_write_the_commentary_until_the_quarter_is_signed_off(seizure_count, analyst, manager):
    analyst_client = client_as(analyst)
    manager_client = client_as(manager)
    rebuild()
    url = Q1_URL.format(code="alliance") + "commentary/seizures/"
    assert manager_client.post(url, {"text": "Up on last year"}).status_code == 403
    response = analyst_client.post(url, {"text": ""})
    assert response.status_code == 400 and "Enter the commentary" in response.content.decode()
    assert analyst_client.post(url, {"text": "Operation Venetic warrants in May."}).status_code == 302
    second = UserFactory(username="second.analyst", role="Analyst")
    sign_off(force=None, preparer=second, approver=manager)
    response = analyst_client.post(url, {"text": "Changed after publication"})
    assert response.status_code == 400 and "is signed off" in response.content.decode()
    from strategy.models import Commentary

    assert Commentary.objects.get().text == "Operation Venetic warrants in May."


def test_the_quarter_page_shows_its_state_figures_and_actions(q1_signed_off, analyst, manager):
    analyst_client = client_as(analyst)
    manager_client = client_as(manager)
    url = Q1_URL.format(code=warwickshire().ons_code)
    page = manager_client.get(url).content.decode()
    assert "Signed off" in page and "Reopen 2025-26 Q1" in page
    assert 'data-indicator="seizures"' in page
    page = analyst_client.get(url).content.decode()
    assert "Reopen 2025-26 Q1" not in page and "Mark ready for sign-off" not in page


def test_a_referral_dated_after_the_quarter_is_unaffected(q1_signed_off, partner_a, agency_b):
    referral = make_referral(by=partner_a, to=agency_b, referral_date=datetime.date(2025, 7, 1))
    assert referral.pk and not ChangeAfterLock.objects.exists()


def test_offence_services_guard_changes_and_withdrawals(q1_signed_off, analyst, manager):
    signoff.quarter_reopen(quarter=Q1, force=warwickshire(), user=manager, reason="An offence to add")
    offence = new_offence(datetime.date(2025, 6, 2), analyst)
    second = UserFactory(username="second.analyst", role="Analyst")
    rebuild()
    signoff.quarter_mark_ready(quarter=Q1, force=warwickshire(), user=second, today=TODAY)
    signoff.quarter_sign_off(quarter=Q1, force=warwickshire(), user=manager, today=TODAY)
    with pytest.raises(ValidationError, match="signed off"):
        offence_services.offence_update(offence=offence, user=analyst, plants=None)
    with pytest.raises(ValidationError, match="signed off"):
        offence_services.offence_withdraw(offence=offence, user=analyst, reason="Duplicate")


def test_seizure_items_count_under_their_seizure_s_date_and_force():
    from core.periodlocks import dated_in
    from seizures.models import SeizureItem

    seizure = Seizure(seized_on=datetime.date(2025, 5, 1), force_id=7)
    assert dated_in(seizure) == {(7, datetime.date(2025, 5, 1))}
    assert dated_in(SeizureItem(seizure=seizure)) == {(7, datetime.date(2025, 5, 1))}


def test_the_demo_publishes_its_last_complete_year_once(seizure_count, analyst, manager):
    import io

    from strategy.demo import load_published_quarters

    rollup_run(full=True)
    out = io.StringIO()
    load_published_quarters(out)
    assert "8 signed off (2024-25)" in out.getvalue()
    assert QuarterSignOff.objects.filter(status="signed_off").count() == 8
    assert set(PeriodLock.objects.values_list("mode", flat=True)) == {"flag"}
    load_published_quarters(out)
    assert "0 signed off" in out.getvalue() and SignOffEvent.objects.count() == 16


def test_an_administrator_sets_a_force_s_policy_in_the_admin_and_its_locks_follow(
    q1_signed_off, administrator
):
    admin_client = client_as(administrator)
    response = admin_client.post(
        "/admin/strategy/signoffpolicy/add/", {"force": warwickshire().pk, "changes_after_sign_off": "flag"}
    )
    assert response.status_code == 302
    assert PeriodLock.objects.get().mode == "flag"
    assert admin_client.get(f"/admin/strategy/quartersignoff/{q1_signed_off.pk}/change/").status_code == 200

"""Time travel: after the retention period nothing identifying a person is left in any table —
initials, date of birth, keyed hashes, and every free-text field where a name may have slipped
through (reasons for referral, status notes, withdrawal reasons), in the referrals, their status
changes and their change history, a long-open referral's included; abandoned drafts expire with
their sessions; long-open referrals reach their receiving agency's review list first.
Pages and API answers about referrals are never cached."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.tasks import clear_expired_sessions
from partners import retention, services
from partners.choices import Status
from partners.models import Referral
from partners.tasks import clear_expired_identifiers
from tests.factories.partners import make_referral, move_to
from tests.partners.test_submission import form_data, start

pytestmark = pytest.mark.django_db

BORN = datetime.date(1971, 2, 3)
NAME = "Zebedee"  # a name, which no pattern can tell from a word


def person(**overrides):
    return {
        "subject_date_of_birth": BORN,
        "subject_first_initial": "Q",
        "subject_surname_initial": "X",
        **overrides,
    }


def travel_to(monkeypatch, day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(1, 30)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def every_text_cell_holding(fragment):
    """(table, column) of every cell in the database whose text holds `fragment`."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                quoted = connection.ops.quote_name(table)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted} WHERE CAST({name} AS TEXT) LIKE %s",
                    [f"%{fragment}%"],
                )
                if cursor.fetchone()[0]:
                    found.append((table, column.name))
    return found


@pytest.fixture
def history_of_one_person(partner_a, partner_b, treatment_worker, treatment_service):
    """One person's referrals from 2023: one in treatment ever since, never reviewed; one
    declined with a note; one withdrawn with a reason; one changed before it was accepted."""
    long_open = make_referral(
        by=partner_a,
        to=treatment_service,
        referral_date=datetime.date(2023, 5, 1),
        notes=f"Lives with {NAME}",
        **person(),
    )
    move_to(long_open, Status.IN_TREATMENT, by=treatment_worker, on=datetime.date(2023, 6, 1))
    declined = make_referral(
        by=partner_b, to=treatment_service, referral_date=datetime.date(2023, 7, 1), **person()
    )
    services.referral_transition(
        referral=declined,
        user=treatment_worker,
        to_status=Status.DECLINED,
        effective_on=datetime.date(2023, 7, 2),
        note=f"Already seen with {NAME}",
    )
    withdrawn = make_referral(
        by=partner_a, to=treatment_service, referral_date=datetime.date(2023, 8, 1), **person()
    )
    services.referral_transition(
        referral=withdrawn,
        user=partner_a,
        to_status=Status.WITHDRAWN,
        effective_on=datetime.date(2023, 8, 1),
        note=f"{NAME} asked us to",
    )
    changed = make_referral(
        by=partner_a, to=treatment_service, referral_date=datetime.date(2023, 9, 1), **person()
    )
    services.referral_update(referral=changed, user=partner_a, notes=f"Sister {NAME} came too")
    services.referral_transition(
        referral=changed, user=treatment_worker, to_status=Status.NOT_ELIGIBLE,
        effective_on=datetime.date(2023, 9, 5), note="Lives outside the area",
    )  # fmt: skip
    return [long_open, declined, withdrawn, changed]


def test_after_the_period_nothing_identifying_is_left_in_any_table(
    monkeypatch, history_of_one_person, partner_a_client, treatment_service
):
    key = Referral.objects.get(pk=history_of_one_person[0].pk).subject_key
    # An abandoned draft: answers checked, never sent.
    draft = start(partner_a_client)
    partner_a_client.post(
        reverse("partners:referral_new"),
        {**form_data(treatment_service, notes=f"Friend {NAME}"), "draft": draft},
    )
    assert Session.objects.count() == 1
    assert every_text_cell_holding(NAME) and every_text_cell_holding(key)
    assert every_text_cell_holding(BORN.isoformat())

    # The nightly jobs run the next night (the draft's session has expired) and at least 24
    # months after the last of the referrals closed (the long-open one has not changed for longer).
    night = max(timezone.localdate() + datetime.timedelta(days=1), datetime.date(2025, 9, 6))
    travel_to(monkeypatch, night)
    clear_expired_sessions.delay()
    assert clear_expired_identifiers.delay().get() == 4

    assert Session.objects.count() == 0  # the draft expired with its session, and is gone
    assert every_text_cell_holding(NAME) == []
    assert every_text_cell_holding(key) == []
    assert every_text_cell_holding(BORN.isoformat()) == []
    for referral in Referral.objects.all():
        assert (referral.subject_first_initial, referral.subject_surname_initial) == ("", "")
        assert referral.identifiers_cleared
    for version in Referral.history.all():
        assert (version.subject_first_initial, version.subject_surname_initial) == ("", "")
        assert (
            version.subject_date_of_birth is None and version.notes == "" and version.withdrawal_reason == ""
        )
    # What the figures need is kept: the long-open referral is still in treatment, counted once.
    long_open = Referral.objects.get(pk=history_of_one_person[0].pk)
    assert long_open.status == Status.IN_TREATMENT and long_open.counted_entry


def test_a_day_before_the_period_ends_the_long_open_referral_keeps_its_identifiers(
    monkeypatch, history_of_one_person
):
    travel_to(monkeypatch, datetime.date(2025, 6, 1))  # last change 1 June 2023: exactly 24 months
    clear_expired_identifiers.delay()
    assert Referral.objects.get(pk=history_of_one_person[0].pk).subject_date_of_birth == BORN


# --- the review list --------------------------------------------------------------------------


def test_a_long_open_referral_is_on_the_receiving_agencys_review_list(
    monkeypatch, history_of_one_person, client, treatment_worker, partner_a
):
    long_open = history_of_one_person[0]
    travel_to(monkeypatch, datetime.date(2024, 6, 1))  # twelve months without a change: not yet
    client.force_login(treatment_worker)
    assert long_open.reference not in client.get(reverse("partners:referral_review")).content.decode()
    travel_to(monkeypatch, datetime.date(2024, 6, 2))
    client.force_login(treatment_worker)  # signed in again: a year later the session has expired
    page = client.get(reverse("partners:referral_review")).content.decode()
    assert long_open.reference in page and "2 June 2025" in page  # the day it would be cleared
    assert (
        "1 open referral sent to you has not changed"
        in client.get(reverse("partners:referral_list")).content.decode()
    )

    response = client.post(reverse("partners:referral_confirm_open", args=[long_open.pk]))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert f"Referral {long_open.reference} is confirmed as still open" in page
    assert "There are no open referrals to review" in page
    # Confirmed still open on 2 June 2024: kept past the day it would have been cleared.
    travel_to(monkeypatch, datetime.date(2025, 6, 3))
    clear_expired_identifiers.delay()
    assert Referral.objects.get(pk=long_open.pk).subject_date_of_birth == BORN
    client.force_login(treatment_worker)
    assert (
        "Confirmed still open by the receiving agency"
        in client.get(long_open.get_absolute_url()).content.decode()
    )


def test_only_the_receiving_agency_confirms_a_referral_still_open(
    monkeypatch, history_of_one_person, client, partner_a, analyst
):
    long_open = history_of_one_person[0]
    travel_to(monkeypatch, datetime.date(2024, 7, 1))
    client.force_login(partner_a)  # the agency that referred: not theirs to confirm
    assert client.post(reverse("partners:referral_confirm_open", args=[long_open.pk])).status_code == 403
    assert long_open.reference not in client.get(reverse("partners:referral_review")).content.decode()
    client.force_login(analyst)  # no agency, no change permission
    assert client.get(reverse("partners:referral_review")).status_code == 403
    assert Referral.objects.get(pk=long_open.pk).reviewed_on is None


def test_a_closed_referral_cannot_be_confirmed_open(treatment_worker, history_of_one_person):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.referral_review(referral=history_of_one_person[1], user=treatment_worker)


def test_the_review_list_is_what_the_retention_rule_will_clear(history_of_one_person):
    due = list(retention.referrals_to_review(today=datetime.date(2025, 1, 1)))
    assert [r.pk for r in due] == [history_of_one_person[0].pk]


# --- abandoned drafts and caches ------------------------------------------------------------------


def test_expired_sessions_are_cleared_every_night(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert schedule["task"] == "core.tasks.clear_expired_sessions"
    Session.objects.create(
        session_key="old", session_data="x", expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    Session.objects.create(
        session_key="live", session_data="x", expire_date=timezone.now() + datetime.timedelta(hours=1)
    )
    clear_expired_sessions.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_no_referral_page_or_api_answer_is_kept_by_a_cache(partner_a_client, referral_a, treatment_service):
    draft = start(partner_a_client)
    partner_a_client.post(reverse("partners:referral_new"), {**form_data(treatment_service), "draft": draft})
    urls = [
        reverse("partners:referral_list"),
        reverse("partners:referral_new"),
        reverse("partners:referral_check", args=[draft]),
        reverse("partners:referral_detail", args=[referral_a.pk]),
        reverse("partners:referral_edit", args=[referral_a.pk]),
        reverse("partners:referral_submitted", args=[referral_a.pk]),
        reverse("partners:referral_list") + "?export=csv",
        "/api/v1/referrals/",
        f"/api/v1/referrals/{referral_a.pk}/",
    ]
    for url in urls:
        response = partner_a_client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    created = partner_a_client.post(
        "/api/v1/referrals/",
        {**form_data(treatment_service)},
    )
    assert "no-store" in created["Cache-Control"]

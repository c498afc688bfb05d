"""A list whose records the dashboard figures count says how many of the records it shows were
recorded or changed since the figures were last built (the start of the latest successful
run), and when the nightly run builds them next — from the beat schedule, not a fixed time."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.utils import timezone

from core import freshness
from offences.models import Offence
from partners import services as referral_services
from partners.choices import Status
from seizures import services as seizure_services
from strategy.models import AggregationRun
from strategy.rebuilds import next_nightly_run
from strategy.rollups import rollup_run
from tests.factories.offences import OffenceFactory
from tests.factories.partners import make_referral
from tests.factories.seizures import SeizureFactory, WarrantFactory, item
from tests.lists import figures_lag

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def inset(client, url):
    found = re.search(r'<div class="govuk-inset-text">(.*?)</div>', client.get(url).content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else None


@pytest.fixture
def built(analyst):
    """Two seizures, a warrant and two offences, all in the figures."""
    seizures = [
        SeizureFactory(seized_on=datetime.date(2025, 5, 3), items=[item("cocaine", 5, "g")], user=analyst),
        SeizureFactory(seized_on=datetime.date(2025, 6, 3), items=[item("heroin", 2, "g")], user=analyst),
    ]
    WarrantFactory(user=analyst)
    OffenceFactory(grown=True)
    OffenceFactory()
    run = rollup_run()
    assert run.outcome == AggregationRun.Outcome.SUCCEEDED
    return seizures


def test_nothing_is_said_while_the_figures_include_every_record(analyst_client, built):
    for url in ("/seizures/", "/warrants/", "/offences/", "/referrals/"):
        assert figures_lag(analyst_client, url) is None, url
        assert "since the dashboard figures were last built" not in analyst_client.get(url).content.decode()


def test_records_recorded_or_changed_since_the_run_are_counted(analyst_client, analyst, built):
    may, june = built
    SeizureFactory(seized_on=datetime.date(2025, 6, 9), items=[item("cocaine", 1, "g")], user=analyst)
    cocaine = may.items.get()
    more = {"id": cocaine.pk, "drug": cocaine.drug, "quantity": 9, "unit": "g"}
    seizure_services.seizure_update(seizure=may, user=analyst, items=[more])

    assert figures_lag(analyst_client, "/seizures/")["count"] == 2
    assert figures_lag(analyst_client, "/seizures/?date_from=2025-06-01")["count"] == 1  # the new one only
    assert figures_lag(analyst_client, "/seizures/?drug=heroin") is None  # June's seizure is as it was built
    assert figures_lag(analyst_client, "/warrants/") is None


def test_the_page_says_when_the_figures_were_built_and_are_next_built(analyst_client, analyst, built):
    SeizureFactory(items=[item("cocaine", 1, "g")], user=analyst)
    run = AggregationRun.objects.get()
    started, upcoming = timezone.localtime(run.started_at), timezone.localtime(next_nightly_run())

    said = inset(analyst_client, "/seizures/")

    assert said == (
        f"1 of these seizures was recorded or changed since the dashboard figures were last built, at "
        f"{started:%H:%M} on {started.day} {started:%B %Y}, so the figures do not show it as it is now. "
        f"The figures are next built at 02:00 on {upcoming:%A} {upcoming.day} {upcoming:%B %Y}."
    )


def test_the_next_build_is_read_from_the_beat_schedule(analyst_client, analyst, built, settings):
    settings.CELERY_BEAT_SCHEDULE = {
        **settings.CELERY_BEAT_SCHEDULE,
        "nightly-rollup": {
            **settings.CELERY_BEAT_SCHEDULE["nightly-rollup"],
            "schedule": crontab(hour=4, minute=45, day_of_week=0),
        },
    }
    SeizureFactory(items=[item("cocaine", 1, "g")], user=analyst)

    upcoming = figures_lag(analyst_client, "/seizures/")["next_build"]

    assert timezone.localtime(upcoming).strftime("%A %H:%M") == "Sunday 04:45"
    assert "The figures are next built at 04:45 on Sunday" in inset(analyst_client, "/seizures/")


def test_withdrawing_leaves_the_list_and_a_failed_run_keeps_the_last_good_one(analyst_client, analyst, built):
    may, june = built
    seizure_services.seizure_withdraw(seizure=may, user=analyst, reason="Recorded twice")
    seizure_services.seizure_update(seizure=june, user=analyst, place="Garage")
    AggregationRun.objects.create(
        kind=AggregationRun.Kind.NIGHTLY,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        outcome=AggregationRun.Outcome.FAILED,
    )

    assert figures_lag(analyst_client, "/seizures/")["count"] == 1

    rollup_run()
    assert figures_lag(analyst_client, "/seizures/") is None


def test_warrants_and_offences_count_their_own_changes(analyst_client, analyst, built):
    WarrantFactory(user=analyst)
    offence = Offence.objects.filter(cultivation=True).get()
    offence.plants = 30
    offence.save()

    assert figures_lag(analyst_client, "/warrants/")["count"] == 1
    assert figures_lag(analyst_client, "/offences/")["count"] == 1
    assert figures_lag(analyst_client, "/offences/?cultivation=false") is None


def test_before_the_first_build_every_record_is_said_to_be_outside_the_figures(analyst_client, analyst):
    SeizureFactory(items=[item("cocaine", 1, "g")], user=analyst)
    SeizureFactory(items=[item("heroin", 1, "g")], user=analyst)

    assert figures_lag(analyst_client, "/seizures/")["count"] == 2
    assert inset(analyst_client, "/seizures/").startswith(
        "The dashboard figures have not been built yet, so they include none of these seizures."
    )
    assert figures_lag(analyst_client, "/warrants/") is None  # an empty list has nothing to say


def test_a_partner_is_told_of_its_own_agencys_referrals_only(
    client, partner_a, partner_b, analyst, agency_a, agency_b
):
    from tests.factories import AgencyFactory

    service = AgencyFactory(name="Warwickshire Drug and Alcohol Treatment Service")
    make_referral(by=partner_a, to=service)
    theirs = make_referral(by=partner_b, to=service, subject_first_initial="K", subject_surname_initial="L")
    rollup_run()
    mine = make_referral(by=partner_a, to=service, subject_first_initial="P", subject_surname_initial="Q")
    referral_services.referral_transition(
        referral=theirs, user=partner_b, to_status=Status.WITHDRAWN, note="Moved away"
    )
    make_referral(by=partner_b, to=service, subject_first_initial="M", subject_surname_initial="N")

    client.force_login(partner_a)
    assert figures_lag(client, "/referrals/")["count"] == 1
    assert "1 of these referrals was recorded or changed" in inset(client, "/referrals/")
    client.force_login(partner_b)
    assert figures_lag(client, "/referrals/")["count"] == 1  # its withdrawn one has left the list
    client.force_login(analyst)
    assert figures_lag(client, "/referrals/")["count"] == 2
    assert mine.pk in client.get("/referrals/").context["table"].data.data.values_list("pk", flat=True)


def test_a_referral_moved_on_since_the_run_is_counted(client, partner_a, agency_b):
    from tests.factories import UserFactory

    receiver = UserFactory(username="receiver", role="Partner", agency=agency_b)
    referral = make_referral(by=partner_a, to=agency_b, pathway="treatment")
    rollup_run()

    client.force_login(partner_a)
    assert figures_lag(client, "/referrals/") is None
    referral_services.referral_transition(referral=referral, user=receiver, to_status=Status.ACCEPTED)
    assert figures_lag(client, "/referrals/")["count"] == 1


def test_a_download_carries_no_totals_or_notes(analyst_client, analyst, built):
    SeizureFactory(items=[item("cocaine", 1, "g")], user=analyst)
    response = analyst_client.get("/seizures/?_export=xlsx")
    assert response.status_code == 200
    assert response.context is None or "figures_lag" not in response.context


# --- the next run, from a crontab ----------------------------------------------------------------


def at(*parts):
    return datetime.datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (at(2026, 11, 30, 1, 59), at(2026, 11, 30, 2, 0)),
        (at(2026, 11, 30, 2, 0), at(2026, 12, 1, 2, 0)),
        (at(2026, 12, 31, 23, 0), at(2027, 1, 1, 2, 0)),
        # The clocks go forward at 01:00 on 29 March 2026 and back at 02:00 on 25 October 2026:
        # 02:00 is a time of day that night too.
        (at(2026, 3, 28, 12, 0), at(2026, 3, 29, 2, 0)),
        (at(2026, 10, 25, 0, 30), at(2026, 10, 25, 2, 0)),
    ],
)
def test_the_next_run_of_a_nightly_crontab_is_its_next_time_of_day_in_london(after, expected):
    found = freshness.next_run(crontab(hour=2, minute=0), after=after, zone=LONDON)

    assert found == expected
    assert found.utcoffset() == expected.utcoffset()


def test_the_next_run_follows_every_field_of_the_crontab():
    weekly = crontab(hour="6,18", minute=30, day_of_week="mon")
    yearly = crontab(hour=0, minute=0, day_of_month=29, month_of_year=2)

    assert freshness.next_run(weekly, after=at(2026, 11, 30, 7, 0), zone=LONDON) == at(2026, 11, 30, 18, 30)
    assert freshness.next_run(weekly, after=at(2026, 11, 30, 19, 0), zone=LONDON) == at(2026, 12, 7, 6, 30)
    assert freshness.next_run(yearly, after=at(2026, 3, 1, 0, 0), zone=LONDON) == at(2028, 2, 29, 0, 0)


def test_the_list_reads_the_figures_clock_the_strategy_registers(analyst_client, analyst, monkeypatch):
    SeizureFactory(items=[item("cocaine", 1, "g")], user=analyst)
    monkeypatch.setattr(freshness, "_clock", None)
    assert figures_lag(analyst_client, "/seizures/") is None

    quarter_past = datetime.datetime(2031, 1, 6, 2, 15, tzinfo=datetime.UTC)
    monkeypatch.setattr(
        freshness, "_clock", lambda: freshness.FiguresClock(built_from=None, next_build=quarter_past)
    )
    said = figures_lag(analyst_client, "/seizures/")

    assert said == {"count": 1, "built_from": None, "next_build": quarter_past}

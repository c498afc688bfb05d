"""Faults: the broker (Redis) unreachable while people record things, and a worker killed in the
middle of the nightly job.

Broker down: the referral and seizure forms still save and the user sees success, not an error
page. The referral's acknowledgement email cannot be queued, but it is not lost: a referral not
yet acknowledged is itself the record of the pending email, and the periodic sweep
(partners.tasks.send_pending_acknowledgements) sends it once the broker is back. Saving a
seizure queues no task at all: the months it changed are recorded in the database
(core.ChangedMonth) and the nightly job recomputes them.
"""

import contextlib
import datetime
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse

from core.models import ChangedMonth
from partners.models import Referral
from seizures.models import Seizure
from seizures.services import seizure_update
from strategy import rollups
from strategy.models import AggregationRun, Fact
from strategy.rollups import rollup_run
from tests.factories import AgencyFactory, area
from tests.factories.seizures import SeizureFactory, item

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_PORT_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


@contextlib.contextmanager
def broker(url):
    """Point the Celery app (not eager: tasks really go to the broker) at `url`."""
    from strategy_portal.celery import app

    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    app._after_fork()  # forget the connection pools built for the previous broker
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        app._after_fork()


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    with broker(CLOSED_PORT_BROKER) as app:
        yield app


@pytest.fixture
def treatment_service(db):
    return AgencyFactory(name="Warwickshire Drug Service")


def submit_referral(client, agency):
    """The partner's three steps: the question page, check your answers, send."""
    page = client.get(reverse("partners:referral_new")).content.decode()
    draft = re.search(r'name="draft" value="([^"]+)"', page).group(1)
    answers = {
        "draft": draft,
        "pathway": "treatment",
        "referral_date_0": "2",
        "referral_date_1": "3",
        "referral_date_2": "2026",
        "receiving_agency": str(agency.pk),
        "area": str(area("Rugby").pk),
        "subject_first_initial": "J",
        "subject_surname_initial": "S",
        "subject_date_of_birth_0": "17",
        "subject_date_of_birth_1": "5",
        "subject_date_of_birth_2": "1990",
        "subject_sex": "M",
        "substances": ["crack"],
        "notes": "Asked for help at the hub.",
        "consent_recorded": "on",
    }
    checked = client.post(reverse("partners:referral_new"), answers)
    assert checked.status_code == 302, checked.content.decode()[:2000]
    return client.post(checked.url, follow=True)


def assert_referral_saved_and_user_told(response):
    assert response.status_code == 200
    page = response.content.decode()
    assert "Referral sent" in page and "govuk-panel--confirmation" in page
    referral = Referral.objects.get()
    assert referral.reference in page
    return referral


# --- the broker is down -------------------------------------------------------------------------


def test_with_the_broker_down_a_referral_saves_and_its_email_waits(
    broker_down, client, partner_a, treatment_service
):
    client.force_login(partner_a)

    started = time.monotonic()
    response = submit_referral(client, treatment_service)

    referral = assert_referral_saved_and_user_told(response)
    assert time.monotonic() - started < 15  # no long hang on the dead broker either
    assert referral.acknowledged_at is None  # pending, kept on the referral itself
    assert mail.outbox == []


def test_with_the_broker_down_a_seizure_saves_and_its_figures_wait_for_the_nightly_job(
    broker_down, client, analyst
):
    client.force_login(analyst)
    rugby = area("Rugby")
    response = client.post(
        reverse("seizures:seizure_create"),
        {
            "reference": "WK-S-0500",
            "seized_on_0": "14",
            "seized_on_1": "5",
            "seized_on_2": "2025",
            "force": str(rugby.force.pk),
            "area": str(rugby.pk),
            "place": "Vehicle stop",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-drug": str(item("cocaine", 1, "g")["drug"].pk),
            "items-0-quantity": "5",
            "items-0-unit": "g",
        },
        follow=True,
    )

    assert response.status_code == 200
    seizure = Seizure.objects.get(reference="WK-S-0500")
    assert "Seizure WK-S-0500 saved" in response.content.decode()
    assert ChangedMonth.objects.filter(source="seizures", month=datetime.date(2025, 5, 1)).exists()
    rollup_run()  # the nightly job, whenever it next runs, counts it
    assert Fact.objects.filter(metric="seizures.count", month=datetime.date(2025, 5, 1)).exists()
    assert seizure.items.get().value_pence == 30000


def test_the_sweep_sends_the_waiting_email_once_tasks_run_again(
    broker_down, client, partner_a, treatment_service
):
    from partners.tasks import send_pending_acknowledgements
    from strategy_portal.celery import app

    client.force_login(partner_a)
    referral = assert_referral_saved_and_user_told(submit_referral(client, treatment_service))
    app.conf.task_always_eager = True  # tasks run again (in-process here; with Redis below)

    assert send_pending_acknowledgements.delay(older_than_minutes=0).get() == 1
    assert send_pending_acknowledgements.delay(older_than_minutes=0).get() == 0  # sent once only

    assert len(mail.outbox) == 1
    assert referral.reference in mail.outbox[0].subject
    referral.refresh_from_db()
    assert referral.acknowledged_at is not None


@pytest.mark.redis
def test_redis_down_then_back_the_waiting_email_is_sent_by_a_real_worker(
    redis_url, settings, client, partner_a, treatment_service
):
    """Against real Redis: submit while the broker is unreachable, then bring the broker back
    and let a real worker (consuming from Redis) run the sweep."""
    from celery.contrib.testing.worker import start_worker

    from partners.tasks import send_pending_acknowledgements

    client.force_login(partner_a)
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    with broker(CLOSED_PORT_BROKER):
        referral = assert_referral_saved_and_user_told(submit_referral(client, treatment_service))
    assert mail.outbox == []

    settings.CELERY_BROKER_URL = redis_url
    with broker(redis_url) as app:
        queue = f"faults-{os.getpid()}"
        previous_queue = app.conf.task_default_queue
        app.conf.task_default_queue = queue
        try:
            with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", queues=[queue]):
                send_pending_acknowledgements.delay(older_than_minutes=0)
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline and not mail.outbox:
                    time.sleep(0.1)
        finally:
            app.conf.task_default_queue = previous_queue

    assert len(mail.outbox) == 1 and referral.reference in mail.outbox[0].subject
    referral.refresh_from_db()
    assert referral.acknowledged_at is not None


def test_the_sweep_leaves_recent_old_and_sent_referrals_alone(partner_a, treatment_service):
    """Recent ones still have their own queued task; ones from before the sweep's window (or
    already acknowledged) are not emailed again."""
    from django.utils import timezone

    from partners import services
    from tests.factories.partners import make_referral

    recent, old, sent = (make_referral(by=partner_a, to=treatment_service) for _ in range(3))
    Referral.objects.filter(pk__in=[recent.pk, old.pk, sent.pk]).update(acknowledged_at=None)
    Referral.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    Referral.objects.filter(pk=sent.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    Referral.objects.filter(pk=sent.pk).update(acknowledged_at=timezone.now())
    mail.outbox.clear()

    assert services.referral_acknowledge_pending() == 0  # recent: within its own task's time
    assert services.referral_acknowledge_pending(older_than=datetime.timedelta(0)) == 1
    assert [message.subject for message in mail.outbox] == [f"Referral {recent.reference} received"]


# --- a worker killed during the nightly job -----------------------------------------------------


def facts():
    return {
        (f.metric, f.dimension, f.dimension_value, f.month, f.force_id, f.area_id): f.value
        for f in Fact.objects.all()
    }


@pytest.fixture
def figures_then_a_change(analyst):
    """Figures rolled up, then a record changed: the next nightly job has work to do."""
    rugby = area("Rugby")
    seizures = [
        SeizureFactory(
            seized_on=datetime.date(2025, month, 3),
            force=rugby.force,
            area=rugby,
            items=[item("cocaine", 4, "g")],
            user=analyst,
        )
        for month in (5, 6)
    ]
    rollup_run(full=True)
    before = facts()
    seizure_update(seizure=seizures[0], user=analyst, items=[{**item("cocaine", 40, "g"), "id": None}])
    return before


class WorkerLost(BaseException):
    """What the process sees when it is killed: nothing in it handles this (not an Exception)."""


def time_passes_beyond_the_task_limit(run):
    AggregationRun.objects.filter(pk=run.pk).update(
        started_at=run.started_at - rollups.stale_after() - datetime.timedelta(minutes=1)
    )


def assert_the_next_run_completes_the_work(before):
    run = rollup_run()
    assert run.outcome == AggregationRun.Outcome.SUCCEEDED and run.months > 0
    after = facts()
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert changed and {key[3] for key in changed} == {datetime.date(2025, 5, 1)}
    assert not ChangedMonth.objects.exists()


def test_a_rollup_that_dies_midway_leaves_the_figures_and_the_next_run_completes_them(
    figures_then_a_change, monkeypatch
):
    """Simulated: the rollup stops dead after writing some facts (as when its process is
    killed): its transaction is rolled back and its run row is left "running"."""
    before = figures_then_a_change

    def die(step, total, metric):
        raise WorkerLost

    with pytest.raises(WorkerLost):
        rollup_run(progress=die)

    dead = AggregationRun.objects.get(outcome=AggregationRun.Outcome.RUNNING)
    assert facts() == before  # the previous figures, untouched
    assert ChangedMonth.objects.filter(source="seizures").exists()  # the work is still marked
    with pytest.raises(rollups.RollupAlreadyRunning):
        rollup_run()  # until the dead run is old enough to be given up on

    time_passes_beyond_the_task_limit(dead)
    assert_the_next_run_completes_the_work(before)
    dead.refresh_from_db()
    assert dead.outcome == AggregationRun.Outcome.ABANDONED


@pytest.mark.redis
def test_a_worker_killed_during_the_nightly_job_leaves_the_figures_and_the_next_run_completes_them(
    redis_url, figures_then_a_change, tmp_path
):
    """Really: a Celery worker process (consuming from Redis, writing to this test's
    PostgreSQL database) is killed with SIGKILL in the middle of the rollup's transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: PostgreSQL (DATABASE_URL)")
    from strategy.tasks import nightly_rollup

    before = figures_then_a_change
    database = connection.settings_dict
    marker, queue = tmp_path / "rollup-stalled", f"rollup-kill-{os.getpid()}"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": redis_url,
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or 'localhost'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "ROLLUP_MARKER": str(marker),
        "ROLLUP_QUEUE": queue,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.security.rollup_worker"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        with broker(redis_url):
            nightly_rollup.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), worker.stderr.read().decode() if worker.poll() is not None else "timed out"
        dead = AggregationRun.objects.get(outcome=AggregationRun.Outcome.RUNNING)
        worker.send_signal(signal.SIGKILL)  # mid-transaction: some facts deleted and rewritten
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)

    # PostgreSQL rolls back the dead connection's transaction and releases its locks.
    deadline = time.monotonic() + 10
    while facts() != before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert facts() == before  # the previous figures
    assert ChangedMonth.objects.filter(source="seizures").exists()  # the work is still marked
    assert AggregationRun.objects.get(pk=dead.pk).outcome == AggregationRun.Outcome.RUNNING

    time_passes_beyond_the_task_limit(dead)
    assert_the_next_run_completes_the_work(before)
    assert AggregationRun.objects.get(pk=dead.pk).outcome == AggregationRun.Outcome.ABANDONED

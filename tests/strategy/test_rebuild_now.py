"""Managers (and administrators) may have the figures rebuilt now: the nightly task, changed
months only, queued after commit and only once — not while a run holds the lock, nor while a
rebuild waits to start. Analysts and partners are refused."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from core.models import JobRequest
from strategy import tasks
from strategy.models import AggregationRun
from strategy.rollups import stale_after
from tests.factories.seizures import SeizureFactory, item

pytestmark = pytest.mark.django_db

REBUILD = "/dashboard/figures/rebuild/"
RUNS = "/dashboard/figures/runs/"


@pytest.fixture
def queued(monkeypatch):
    """The calls that would put the nightly task on the queue."""
    calls = []
    monkeypatch.setattr(tasks.nightly_rollup, "apply_async", lambda **options: calls.append(options))
    return calls


def ask(client, django_capture_on_commit_callbacks, **data):
    """POST the button; the queueing runs once the request's transaction has committed."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(REBUILD, data)
    return response, callbacks


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def messages_after(response, client):
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    return page


def test_managers_and_administrators_may_ask_and_no_one_else(manager, administrator, analyst, partner_a):
    assert manager.has_perm("strategy.rebuild_figures")
    assert administrator.has_perm("strategy.rebuild_figures")
    assert not analyst.has_perm("strategy.rebuild_figures")
    assert not partner_a.has_perm("strategy.rebuild_figures")


@pytest.mark.parametrize("who", ["analyst_client", "partner_a_client"])
def test_analysts_and_partners_are_refused_and_nothing_is_queued(
    request, who, queued, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(who)

    response, callbacks = ask(client, django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert (callbacks, queued) == ([], [])
    assert not JobRequest.objects.exclude(requested_at=None).exists()


def test_a_manager_queues_the_nightly_task_once_after_commit(
    manager_client, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = manager_client.post(REBUILD, {"next": "/dashboard/"})
    assert queued == []  # nothing reaches the queue before the request's transaction commits
    for callback in callbacks:
        callback()

    assert queued == [{"kwargs": {"full": False}, "expires": 3600.0}]
    assert response["Location"] == "/dashboard/"
    page = manager_client.get("/dashboard/").content.decode()
    assert "A rebuild of the figures has been queued" in page
    assert "Rebuild queued" in page
    assert "is waiting to start" in page


def test_asking_again_while_a_rebuild_waits_queues_nothing_more(
    manager, administrator, queued, django_capture_on_commit_callbacks
):
    ask(signed_in(manager), django_capture_on_commit_callbacks)

    administrator_client = signed_in(administrator)
    response, callbacks = ask(administrator_client, django_capture_on_commit_callbacks)

    assert len(queued) == 1
    assert callbacks == []
    page = messages_after(response, administrator_client)
    assert "already waiting to start" in page
    assert "nothing more was queued" in page


def test_while_a_run_holds_the_lock_nothing_is_queued_and_the_button_says_so(
    manager_client, queued, django_capture_on_commit_callbacks
):
    AggregationRun.objects.create(kind=AggregationRun.Kind.NIGHTLY, started_at=timezone.now())

    runs_page = manager_client.get(RUNS).content.decode()
    response, callbacks = ask(manager_client, django_capture_on_commit_callbacks)

    assert "Rebuild running" in runs_page
    assert "Rebuild the figures now" not in runs_page
    assert (callbacks, queued) == ([], [])
    assert "The figures are being rebuilt now: nothing more was queued." in messages_after(
        response, manager_client
    )


def test_a_run_whose_worker_was_lost_does_not_hold_the_button(
    manager_client, queued, django_capture_on_commit_callbacks
):
    AggregationRun.objects.create(
        kind=AggregationRun.Kind.NIGHTLY,
        started_at=timezone.now() - stale_after() - datetime.timedelta(minutes=1),
    )

    ask(manager_client, django_capture_on_commit_callbacks)

    assert len(queued) == 1


def test_a_request_not_taken_within_the_hour_lapses_as_its_task_expires(
    manager_client, queued, django_capture_on_commit_callbacks
):
    ask(manager_client, django_capture_on_commit_callbacks)
    JobRequest.objects.update(requested_at=timezone.now() - datetime.timedelta(hours=1, seconds=1))

    assert "Rebuild the figures now" in manager_client.get(RUNS).content.decode()
    ask(manager_client, django_capture_on_commit_callbacks)

    assert len(queued) == 2


def test_the_rebuild_rolls_up_what_changed_and_the_lists_catch_up(
    manager, analyst, django_capture_on_commit_callbacks
):
    from strategy.rollups import rollup_run

    manager_client, analyst_client = signed_in(manager), signed_in(analyst)
    rollup_run()
    SeizureFactory(items=[item("cocaine", 4, "g")], user=analyst)
    assert analyst_client.get("/seizures/").context["figures_lag"]["count"] == 1

    ask(manager_client, django_capture_on_commit_callbacks)  # tasks run in-process here

    latest = AggregationRun.objects.first()
    assert (latest.kind, latest.outcome) == ("nightly", "succeeded")
    assert latest.months  # the changed month, of every metric
    assert analyst_client.get("/seizures/").context["figures_lag"] is None
    assert "Rebuild the figures now" in manager_client.get(RUNS).content.decode()  # taken, not waiting


def test_the_button_is_on_the_freshness_line_for_managers_only(manager, analyst):
    manager_client, analyst_client = signed_in(manager), signed_in(analyst)
    for url in ("/dashboard/", RUNS):
        assert "Rebuild the figures now" in manager_client.get(url).content.decode(), url
        assert "Rebuild the figures now" not in analyst_client.get(url).content.decode(), url


def test_the_runs_page_says_when_the_next_nightly_run_starts(manager_client):
    from strategy.rebuilds import next_nightly_run

    upcoming = timezone.localtime(next_nightly_run())

    assert f"the next run starts at 02:00 on {upcoming:%A} {upcoming.day} {upcoming:%B %Y}" in (
        manager_client.get(RUNS).content.decode()
    )


def test_only_post_is_answered(manager, analyst):
    assert signed_in(manager).get(REBUILD).status_code == 405
    assert signed_in(analyst).get(REBUILD).status_code == 403


def test_a_post_without_the_csrf_token_is_refused(manager, queued):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    page = client.get(RUNS).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    assert client.post(REBUILD).status_code == 403
    assert queued == []
    assert client.post(REBUILD, {"csrfmiddlewaretoken": token}).status_code == 302


def test_the_page_goes_back_only_to_this_site(manager_client, queued, django_capture_on_commit_callbacks):
    response, _ = ask(manager_client, django_capture_on_commit_callbacks, next="https://elsewhere.example/")

    assert response["Location"] == RUNS


@pytest.mark.django_db(transaction=True)
def test_when_the_queue_cannot_take_it_the_page_says_so_and_the_button_stays(manager, monkeypatch):
    def broker_down(**options):
        raise BrokerUnavailable("Connection refused")

    monkeypatch.setattr(tasks.nightly_rollup, "apply_async", broker_down)
    client = signed_in(manager)

    response = client.post(REBUILD)

    page = messages_after(response, client)
    assert "The rebuild could not be queued" in page
    assert "Rebuild the figures now" in page

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from core.models import ChangedMonth
from seizures.services import seizure_update, seizure_withdraw
from strategy import rollups
from strategy.models import AggregationRun, Fact
from strategy.rollups import RollupAlreadyRunning, rollup_run
from strategy.tasks import nightly_rollup
from tests.factories.geography import area
from tests.factories.seizures import SeizureFactory, item

pytestmark = pytest.mark.django_db


def facts():
    return {
        (f.metric, f.dimension, f.dimension_value, f.month, f.force_id, f.area_id): f.value
        for f in Fact.objects.all()
    }


def changed_keys(before, after):
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


@pytest.fixture
def two_months_of_seizures(analyst):
    rugby, worcester = area("Rugby"), area("Worcester")
    seizures = [
        SeizureFactory(
            seized_on=datetime.date(2025, 5, 3),
            force=rugby.force,
            area=rugby,
            items=[item("cocaine", 4, "g")],
            user=analyst,
        ),
        SeizureFactory(
            seized_on=datetime.date(2025, 5, 20),
            force=rugby.force,
            area=rugby,
            items=[item("herbal-cannabis", 30, "g")],
            user=analyst,
        ),
        SeizureFactory(
            seized_on=datetime.date(2025, 8, 9),
            force=worcester.force,
            area=worcester,
            items=[item("heroin", 2, "g")],
            user=analyst,
        ),
    ]
    rollup_run(full=True)
    return seizures


def test_running_the_job_twice_changes_nothing(two_months_of_seizures):
    before = facts()

    run = rollup_run()

    assert facts() == before
    assert run.outcome == "succeeded"
    assert run.months == 0


def test_editing_a_record_changes_exactly_the_affected_figures(two_months_of_seizures, analyst):
    cocaine_seizure = two_months_of_seizures[0]
    before = facts()

    seizure_update(
        seizure=cocaine_seizure,
        user=analyst,
        items=[{"drug": item("cocaine", 4, "g")["drug"], "quantity": 40, "unit": "g"}],
    )
    rollup_run()
    after = facts()

    changed = changed_keys(before, after)
    assert changed, "the street value and quantity of May 2025 in Rugby must change"
    for metric, _dimension, _value, month, _force, area_id in changed:
        assert month == datetime.date(2025, 5, 1)
        assert area_id == cocaine_seizure.area_id
        assert metric.startswith("seizures.")
    # The count of seizures did not change: still two in May.
    assert (
        after[
            (
                "seizures.count",
                "",
                "",
                datetime.date(2025, 5, 1),
                cocaine_seizure.force_id,
                cocaine_seizure.area_id,
            )
        ]
        == 2
    )


def test_moving_a_record_to_another_month_rebuilds_both_months(two_months_of_seizures, analyst):
    moved = two_months_of_seizures[1]

    seizure_update(seizure=moved, user=analyst, seized_on=datetime.date(2025, 6, 2))
    rollup_run()
    after = facts()

    may = ("seizures.count", "", "", datetime.date(2025, 5, 1), moved.force_id, moved.area_id)
    june = ("seizures.count", "", "", datetime.date(2025, 6, 1), moved.force_id, moved.area_id)
    assert after[may] == 1
    assert after[june] == 1


def test_withdrawing_a_record_removes_it_from_the_figures(two_months_of_seizures, analyst):
    heroin = two_months_of_seizures[2]
    before = facts()

    seizure_withdraw(seizure=heroin, user=analyst, reason="Duplicate of an earlier entry")
    rollup_run()
    after = facts()

    assert all(key[3] == datetime.date(2025, 8, 1) for key in changed_keys(before, after))
    assert ("seizures.count", "", "", datetime.date(2025, 8, 1), heroin.force_id, heroin.area_id) not in after


def test_a_job_that_fails_halfway_keeps_the_previous_figures_and_says_so(
    two_months_of_seizures, analyst, monkeypatch
):
    before = facts()
    seizure_withdraw(seizure=two_months_of_seizures[0], user=analyst, reason="Wrong force")
    real_write = rollups._write_facts
    calls = []

    def fail_on_second_metric(metric, *args, **kwargs):
        calls.append(metric.name)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_write(metric, *args, **kwargs)

    monkeypatch.setattr(rollups, "_write_facts", fail_on_second_metric)

    run = rollup_run()

    assert run.outcome == AggregationRun.Outcome.FAILED
    assert "database went away" in run.error
    assert facts() == before
    # The change is still waiting for the next run, which completes it.
    assert ChangedMonth.objects.filter(source="seizures").exists()
    monkeypatch.setattr(rollups, "_write_facts", real_write)
    assert rollup_run().outcome == AggregationRun.Outcome.SUCCEEDED
    assert facts() != before


def test_a_second_job_does_not_run_while_one_is_running():
    AggregationRun.objects.create(kind=AggregationRun.Kind.NIGHTLY, started_at=timezone.now())

    with pytest.raises(RollupAlreadyRunning):
        rollup_run()
    assert nightly_rollup() == {"outcome": "skipped"}
    assert AggregationRun.objects.filter(outcome=AggregationRun.Outcome.RUNNING).count() == 1


def test_a_run_whose_worker_died_is_abandoned_and_the_next_run_completes_its_work(
    two_months_of_seizures, analyst
):
    seizure_withdraw(seizure=two_months_of_seizures[2], user=analyst, reason="Test record")
    long_ago = timezone.now() - rollups.stale_after() - datetime.timedelta(minutes=1)
    dead = AggregationRun.objects.create(kind=AggregationRun.Kind.NIGHTLY, started_at=long_ago)

    run = rollup_run()

    dead.refresh_from_db()
    assert dead.outcome == AggregationRun.Outcome.ABANDONED
    assert run.outcome == AggregationRun.Outcome.SUCCEEDED
    assert run.months > 0


def test_the_command_rebuilds_everything_with_full(two_months_of_seizures, capsys):
    Fact.objects.all().delete()

    call_command("rebuild_rollups", "--full")

    assert Fact.objects.filter(metric="seizures.count").exists()
    assert "Full rebuild" in capsys.readouterr().out


def test_the_beat_schedule_runs_the_nightly_rollup_at_two_in_the_morning_london_time():
    entry = settings.CELERY_BEAT_SCHEDULE["nightly-rollup"]
    schedule = entry["schedule"]

    assert entry["task"] == "strategy.tasks.nightly_rollup"
    assert schedule.hour == {2} and schedule.minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/London"
    assert entry["options"]["expires"] > 0


@pytest.mark.redis
def test_the_nightly_task_runs_through_a_real_worker(real_celery_worker, analyst):
    rugby = area("Rugby")
    SeizureFactory(seized_on=datetime.date(2025, 7, 1), force=rugby.force, area=rugby, user=analyst)

    result = nightly_rollup.delay()

    outcome = result.get(timeout=60)
    assert outcome["outcome"] == "succeeded"
    total = Fact.objects.get(metric="seizures.count", dimension="", month=datetime.date(2025, 7, 1))
    assert total.value == 1


def seizures_counted(month):
    fact = Fact.objects.filter(metric="seizures.count", dimension="", month=month).values_list(
        "value", flat=True
    )
    return sum(fact)


def test_the_figures_count_records_up_to_the_day_before_the_run_and_the_next_run_counts_the_rest(analyst):
    rugby = area("Rugby")
    for day in (datetime.date(2025, 3, 9), datetime.date(2025, 3, 10)):
        SeizureFactory(
            seized_on=day, force=rugby.force, area=rugby, items=[item("cocaine", 1, "g")], user=analyst
        )

    run = rollup_run(full=True, today=datetime.date(2025, 3, 10))

    # The day of the run is still being recorded: its seizure waits for the next run.
    assert run.through == datetime.date(2025, 3, 9)
    assert seizures_counted(datetime.date(2025, 3, 1)) == 1

    rollup_run(today=datetime.date(2025, 3, 11))

    assert seizures_counted(datetime.date(2025, 3, 1)) == 2


def test_a_night_after_weeks_without_a_run_counts_every_month_the_figures_moved_over(analyst):
    """Records dated after one run's last day and not changed since are counted by the next
    run, in every month between the two (here the whole of February, untouched)."""
    rugby = area("Rugby")
    for day in (datetime.date(2025, 1, 20), datetime.date(2025, 2, 14), datetime.date(2025, 3, 3)):
        SeizureFactory(
            seized_on=day, force=rugby.force, area=rugby, items=[item("cocaine", 1, "g")], user=analyst
        )
    rollup_run(full=True, today=datetime.date(2025, 1, 15))
    assert facts() == {}

    rollup_run(today=datetime.date(2025, 3, 15))
    nightly = facts()
    rollup_run(full=True, today=datetime.date(2025, 3, 15))

    assert nightly == facts()
    assert [seizures_counted(datetime.date(2025, month, 1)) for month in (1, 2, 3)] == [1, 1, 1]


def test_the_first_run_of_all_builds_every_figure_even_when_nightly(analyst):
    rugby = area("Rugby")
    SeizureFactory(
        seized_on=datetime.date(2025, 2, 14),
        force=rugby.force,
        area=rugby,
        items=[item("cocaine", 1, "g")],
        user=analyst,
    )
    ChangedMonth.objects.all().delete()  # as if marked long ago and lost

    rollup_run(today=datetime.date(2025, 3, 15))

    assert seizures_counted(datetime.date(2025, 2, 1)) == 1

"""Bulk re-pricing: a new or corrected price row offers to re-price every item it affects, as a
background job (in-process here) with progress; each change is audited and the months it
touches are rebuilt by the nightly run, which then equals a full rebuild."""

import datetime

import pytest
from django.db.models import Sum

from core.models import ChangeAfterLock, ChangedMonth, PeriodLock
from seizures import repricing, services
from seizures.models import RepriceJob, SeizureItem, StreetPrice
from strategy.models import Fact
from strategy.rollups import rollup_run
from tests.factories.seizures import SeizureFactory, drug, item

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 2, 15)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def street_value_facts(**filters):
    facts = Fact.objects.filter(metric="seizures.street_value_pence", dimension="", **filters)
    return facts.aggregate(total=Sum("value"))["total"]


@pytest.fixture
def cannabis_seizures(analyst):
    """Herbal cannabis and plants (counted and weighed) either side of 1 October 2025, and a
    seizure of cocaine the herbal price never touches."""
    return {
        "herbal_before": SeizureFactory(
            seized_on=datetime.date(2025, 9, 30), items=[item("herbal-cannabis", 10, "g")]
        ),
        "herbal_after": SeizureFactory(
            seized_on=datetime.date(2025, 10, 1), items=[item("herbal-cannabis", 10, "g")]
        ),
        "plants_counted": SeizureFactory(
            seized_on=datetime.date(2025, 11, 5), items=[item("cannabis-plants", 20, "plants")]
        ),
        "farm": SeizureFactory(
            seized_on=datetime.date(2025, 12, 2), items=[item("cannabis-plants", 544, "kg")]
        ),
        "cocaine": SeizureFactory(seized_on=datetime.date(2025, 11, 5), items=[item("cocaine", 2, "g")]),
    }


def test_a_herbal_price_change_re_priced_in_bulk_moves_the_items_and_the_facts(
    manager_client, manager, cannabis_seizures, django_capture_on_commit_callbacks
):
    rollup_run(full=True)
    assert street_value_facts(month=datetime.date(2025, 12, 1)) == 544_000 * 1000
    ChangedMonth.objects.all().delete()

    response = manager_client.post(
        "/street-prices/new/",
        {
            "force": "",
            "drug": str(drug("herbal-cannabis").pk),
            "unit": "g",
            "price_pounds": "12.00",
            "valid_from_0": "1",
            "valid_from_1": "10",
            "valid_from_2": "2025",
            "source": "Alliance default, October 2025",
        },
    )
    assert response.status_code == 302
    price = StreetPrice.objects.get(source="Alliance default, October 2025")
    offer = manager_client.get(price.get_absolute_url()).content.decode()
    assert "Re-price 3 items" in offer  # herbal after, plants counted, the farm
    # Nothing moves until someone re-prices.
    assert cannabis_seizures["farm"].items.get().value_pence == 544_000 * 1000

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/street-prices/{price.pk}/reprice/")
    job = RepriceJob.objects.get()
    assert response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.changed, job.requested_by) == ("done", 3, 3, 3, manager)

    values = {name: seizure.items.get().value_pence for name, seizure in cannabis_seizures.items()}
    assert values == {
        "herbal_before": 10 * 1000,  # before the new row: unchanged
        "herbal_after": 10 * 1200,
        "plants_counted": 20 * 40 * 1200,
        "farm": 544_000 * 1200,
        "cocaine": 2 * 6000,
    }
    farm = cannabis_seizures["farm"].items.get()
    record = farm.history.latest()
    assert record.history_user == manager
    assert record.history_change_reason == (
        f"Re-priced by job {job.pk}: £5,440,000.00 → £6,528,000.00 (street price {price.pk})"
    )
    assert record.price_id == price.pk
    page = manager_client.get(cannabis_seizures["farm"].get_absolute_url()).content.decode()
    assert "Street value (pence): 544000000 → 652800000" in page
    # The months touched are marked, and the nightly run brings the facts to the new values.
    assert set(ChangedMonth.objects.values_list("month", flat=True)) == {
        datetime.date(2025, 10, 1),
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
    }
    rollup_run()
    assert street_value_facts(month=datetime.date(2025, 12, 1)) == 544_000 * 1200
    assert street_value_facts(month=datetime.date(2025, 11, 1)) == 20 * 40 * 1200 + 2 * 6000
    assert street_value_facts(month=datetime.date(2025, 9, 1)) == 10 * 1000
    nightly = set(
        Fact.objects.values_list(
            "metric", "month", "force_id", "area_id", "dimension", "dimension_value", "value"
        )
    )
    rollup_run(full=True)
    full = set(
        Fact.objects.values_list(
            "metric", "month", "force_id", "area_id", "dimension", "dimension_value", "value"
        )
    )
    assert nightly == full

    status = manager_client.get(f"/street-prices/repricing/{job.pk}/status/").json()
    assert status == {
        "status": "done",
        "status_label": "Done",
        "done": 3,
        "total": 3,
        "percent": 100,
        "finished": True,
        "message": "3 items checked: 3 changed value",
    }


def test_a_corrected_row_re_prices_the_items_valued_with_it_even_outside_its_new_dates(manager):
    seizure = SeizureFactory(seized_on=datetime.date(2025, 11, 5), items=[item("cocaine", 2, "g")])
    new = services.street_price_introduce(
        user=manager, drug=drug("cocaine"), unit="g", price_per_unit_pence=7000,
        valid_from=datetime.date(2025, 11, 1), source="November 2025",
    )  # fmt: skip
    services.seizure_reprice(seizure=seizure, user=manager)
    assert seizure.items.get().value_pence == 14000
    # The row was meant from December: corrected, and the row before extended to meet it.
    services.street_price_update(price=new, user=manager, valid_from=datetime.date(2025, 12, 1))
    old = StreetPrice.objects.get(
        drug__code="cocaine", force__isnull=True, valid_from=datetime.date(2023, 4, 1)
    )
    services.street_price_update(price=old, user=manager, valid_to=datetime.date(2025, 11, 30))
    assert list(repricing.affected_items(new)) == [seizure.items.get()]
    job = RepriceJob.objects.create(price=new, requested_by=manager)
    repricing.reprice_job_run(job.pk)
    assert seizure.items.get().value_pence == 12000 and seizure.items.get().price == old


def test_a_job_is_run_once_and_a_withdrawn_seizure_is_left_alone(manager, analyst):
    kept = SeizureFactory(seized_on=datetime.date(2025, 11, 5), items=[item("heroin", 1, "g")])
    withdrawn = SeizureFactory(seized_on=datetime.date(2025, 11, 6), items=[item("heroin", 1, "g")])
    services.seizure_withdraw(seizure=withdrawn, user=analyst, reason="Entered twice")
    price = services.street_price_introduce(
        user=manager, drug=drug("heroin"), unit="g", price_per_unit_pence=5500,
        valid_from=datetime.date(2025, 11, 1), source="November 2025",
    )  # fmt: skip
    job = RepriceJob.objects.create(price=price, requested_by=manager)
    repricing.reprice_job_run(job.pk)
    repricing.reprice_job_run(job.pk)  # a second delivery of the task: the job is taken already
    assert kept.items.get().value_pence == 5500
    assert withdrawn.items.get().value_pence == 5000
    assert kept.items.get().history.filter(history_change_reason__startswith="Re-priced").count() == 1


def test_a_failing_job_says_so_and_keeps_what_it_did(manager, monkeypatch):
    SeizureFactory(seized_on=datetime.date(2025, 11, 5), items=[item("heroin", 1, "g")])
    price = services.street_price_introduce(
        user=manager, drug=drug("heroin"), unit="g", price_per_unit_pence=5500,
        valid_from=datetime.date(2025, 11, 1), source="November 2025",
    )  # fmt: skip
    job = RepriceJob.objects.create(price=price, requested_by=manager)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(repricing, "_reprice_chunk", broken)
    repricing.reprice_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "database went away" in job.error
    assert repricing.reprice_job_progress(job)["finished"] is True
    assert SeizureItem.objects.get().value_pence == 5000


def _lock_over(seizure, mode):
    return PeriodLock.objects.create(
        force_id=seizure.force_id,
        start=datetime.date(2025, 10, 1),
        end=datetime.date(2025, 12, 31),
        mode=mode,
        label="Warwickshire 2025-26 Q3, signed off",
    )


def _heroin_price_from_november(manager):
    return services.street_price_introduce(
        user=manager, drug=drug("heroin"), unit="g", price_per_unit_pence=5500,
        valid_from=datetime.date(2025, 11, 1), source="November 2025",
    )  # fmt: skip


def test_items_in_a_published_quarter_that_refuses_changes_keep_their_published_value(manager):
    published = SeizureFactory(seized_on=datetime.date(2025, 12, 31), items=[item("heroin", 1, "g")])
    after = SeizureFactory(seized_on=datetime.date(2026, 1, 1), items=[item("heroin", 1, "g")])
    _lock_over(published, PeriodLock.Mode.REFUSE)
    job = RepriceJob.objects.create(price=_heroin_price_from_november(manager), requested_by=manager)

    repricing.reprice_job_run(job.pk)

    job.refresh_from_db()
    assert published.items.get().value_pence == 5000  # as published
    assert after.items.get().value_pence == 5500  # the day after the quarter: re-priced
    assert (job.status, job.total, job.changed, job.held) == ("done", 2, 1, 1)
    message = repricing.reprice_job_progress(job)["message"]
    assert message.startswith("2 items checked: 1 changed value; 1 dated in published figures kept")
    assert not ChangeAfterLock.objects.exists()


def test_items_in_a_published_quarter_that_lists_changes_are_re_priced_and_listed(manager, manager_client):
    published = SeizureFactory(seized_on=datetime.date(2025, 11, 5), items=[item("heroin", 1, "g")])
    lock = _lock_over(published, PeriodLock.Mode.FLAG)
    job = RepriceJob.objects.create(price=_heroin_price_from_november(manager), requested_by=manager)

    repricing.reprice_job_run(job.pk)

    job.refresh_from_db()
    assert published.items.get().value_pence == 5500
    assert (job.changed, job.held) == (1, 0)
    listed = ChangeAfterLock.objects.get(lock=lock)
    assert listed.action == f"Re-priced by job {job.pk}" and listed.by == manager
    assert listed.object_id == published.pk
    page = manager_client.get(job.get_absolute_url())
    assert "1 item checked: 1 changed value" in page.content.decode()

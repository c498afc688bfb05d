"""Many new records written at once (imports): stored as a save() would store them, each with
its "created" history entry naming who wrote it — on PostgreSQL (COPY) and SQLite alike."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from core.bulk import create_with_history
from geography.models import Area, Force
from seizures.models import Drug, Seizure, SeizureItem


def new_seizures(count):
    force = Force.objects.get(name="Warwickshire")
    area = Area.objects.get(name="Rugby")
    return [
        Seizure(
            reference=f"BULK-{number}",
            seized_on=datetime.date(2025, 6, 1),
            force=force,
            area=area,
            place="House",
            postcode="CV21 2DP" if number % 2 else "",
            notes='Found in a "safe"\tbox\\drawer\nsecond line' if number == 0 else "",
        )
        for number in range(count)
    ]


def test_records_are_stored_with_their_ids_and_one_created_entry_each(analyst):
    seizures = create_with_history(Seizure, new_seizures(3), user=analyst)

    assert all(seizure.pk for seizure in seizures)
    stored = Seizure.objects.get(pk=seizures[0].pk)
    assert (stored.reference, stored.notes) == ("BULK-0", 'Found in a "safe"\tbox\\drawer\nsecond line')
    assert Seizure.objects.get(pk=seizures[1].pk).postcode == "CV21 2DP"
    history = list(Seizure.history.order_by("id").values("id", "reference", "history_type", "history_user"))
    assert history == [
        {"id": seizure.pk, "reference": seizure.reference, "history_type": "+", "history_user": analyst.pk}
        for seizure in seizures
    ]


def test_values_that_need_preparing_arrive_as_given(analyst):
    (seizure,) = create_with_history(Seizure, new_seizures(1), user=analyst)
    priced_at = timezone.now()
    item = SeizureItem(
        seizure=seizure,
        drug=Drug.objects.get(code="cocaine"),
        quantity=Decimal("12.345"),
        unit="g",
        drug_class="A",
        price_per_unit_pence=4000,
        value_pence=49380,
        priced_at=priced_at,
    )

    create_with_history(SeizureItem, [item], user=analyst)

    stored = SeizureItem.objects.get(pk=item.pk)
    assert (stored.quantity, stored.value_pence, stored.priced_at) == (Decimal("12.345"), 49380, priced_at)
    assert SeizureItem.history.get().quantity == Decimal("12.345")


def test_the_detail_page_shows_who_created_a_bulk_written_record(analyst, analyst_client):
    (seizure,) = create_with_history(Seizure, new_seizures(1), user=analyst)
    SeizureItem.objects.create(seizure=seizure, drug=Drug.objects.get(code="cocaine"), quantity=1, unit="g")

    page = analyst_client.get(reverse("seizures:seizure_detail", args=[seizure.pk])).content.decode()

    assert "Created</h3>" in page and f"by {analyst.get_full_name()}" in page


def test_nothing_to_write_writes_nothing(analyst):
    assert create_with_history(Seizure, [], user=analyst) == []
    assert not Seizure.history.exists()

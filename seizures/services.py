"""Everything that writes seizures, warrants and street prices: keyword-only, in a transaction,
validated with full_clean, and marking the months the nightly rollup must recompute."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.metrics import counted_on, mark_counted
from core.services import audited, model_update

from .models import MAX_ITEMS_PER_SEIZURE, TOO_MANY_ITEMS, Seizure, SeizureItem, StreetPrice, Warrant
from .pricing import PriceBook, value_in_pence

SEIZURE_FIELDS = ("reference", "seized_on", "force", "area", "place", "postcode", "warrant", "notes")
WARRANT_FIELDS = (
    "reference",
    "force",
    "area",
    "applied_on",
    "issued_on",
    "executed_on",
    "result",
    "arrests",
    "notes",
)


def price_item(item, book, day, *, priced_at=None):
    """Value the item at the price in force on `day`, storing the price it used (and when:
    `priced_at`, else now)."""
    item.drug_class = book.class_of(item.drug_id, day)
    price = book.price_for(item.drug_id, item.unit, day)
    item.price = price
    item.price_per_unit_pence = price.price_per_unit_pence if price else None
    item.value_pence = value_in_pence(item.quantity, item.unit, price) if price else None
    item.priced_at = priced_at or timezone.now()


def _validated_items(seizure, items):
    """SeizureItem instances for the item specs, or a ValidationError naming each bad item."""
    if not items:
        raise ValidationError({"items": "Add at least one drug seized"})
    if len(items) > MAX_ITEMS_PER_SEIZURE:
        raise ValidationError({"items": TOO_MANY_ITEMS})
    existing = {item.pk: item for item in seizure.items.all()} if seizure.pk else {}
    built, problems = [], []
    for number, spec in enumerate(items, start=1):
        item_id = spec.get("id")
        if item_id is not None and item_id not in existing:
            problems.append(f"Item {number}: not an item of this seizure")
            continue
        item = existing.get(item_id) or SeizureItem(seizure=seizure)
        before = (item.drug_id, item.quantity, item.unit)
        item.drug, item.quantity, item.unit = spec["drug"], spec["quantity"], spec["unit"]
        try:
            item.full_clean(exclude=["seizure"])
        except ValidationError as invalid:
            problems.extend(f"Item {number}: {m}" for m in invalid.messages)
        built.append((item, before))
    if problems:
        raise ValidationError({"items": problems})
    removed = [item for pk, item in existing.items() if pk not in {i.pk for i, _ in built}]
    return built, removed


@transaction.atomic
def seizure_create(*, user, items, **fields):
    """Record a seizure with its items, each valued at the street price on the date seized."""
    seizure = Seizure(**{name: fields[name] for name in SEIZURE_FIELDS if name in fields})
    seizure.full_clean()
    built, _ = _validated_items(seizure, items)
    audited(seizure, user).save()
    book = PriceBook.load({item.drug_id for item, _ in built})
    for item, _ in built:
        item.seizure = seizure
        price_item(item, book, seizure.seized_on)
        audited(item, user).save()
    mark_counted(counted_on(seizure))
    return seizure


@transaction.atomic
def seizure_update(*, seizure, user, items=None, **fields):
    """Change a seizure and (when `items` is given) replace its items with these specs
    ({"id"?, "drug", "quantity", "unit"}); items left out are removed.

    A changed quantity keeps the price the item was valued at; a changed drug, unit or date
    is priced afresh. Other stored values never move: re-pricing is `seizure_reprice`."""
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    if seizure.is_withdrawn:
        raise ValidationError("A withdrawn seizure cannot be changed")
    before = counted_on(seizure)
    old_date = seizure.seized_on
    model_update(instance=seizure, fields=SEIZURE_FIELDS, data=fields, user=user)
    if items is None:
        items = [
            {"id": i.pk, "drug": i.drug, "quantity": i.quantity, "unit": i.unit} for i in seizure.items.all()
        ]
    built, removed = _validated_items(seizure, items)
    date_moved = seizure.seized_on != old_date
    book = PriceBook.load({item.drug_id for item, _ in built})
    for item, (drug_id, quantity, unit) in built:
        if item.pk is None or date_moved or (drug_id, unit) != (item.drug_id, item.unit):
            price_item(item, book, seizure.seized_on)
        elif quantity != item.quantity:
            if item.price_id:
                item.value_pence = value_in_pence(
                    item.quantity, item.unit, item.price, item.price_per_unit_pence
                )
        else:
            continue
        audited(item, user).save()
    for item in removed:
        audited(item, user, "Removed from the seizure").delete()
    mark_counted(before, counted_on(seizure))
    return seizure


@transaction.atomic
def seizure_withdraw(*, seizure, user, reason):
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    seizure.withdraw(by=user, reason=reason)
    audited(seizure, user, f"Withdrawn: {seizure.withdrawal_reason}").save()
    mark_counted(counted_on(seizure))
    return seizure


@transaction.atomic
def seizure_reprice(*, seizure, user):
    """Value and classify every item again at the prices and classes now recorded for the date
    seized (a class or price entered after the seizure was recorded). Returns the items whose
    class, value or price changed."""
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    if seizure.is_withdrawn:
        raise ValidationError("A withdrawn seizure cannot be re-priced")
    items = list(seizure.items.select_related("drug"))
    book = PriceBook.load({item.drug_id for item in items})
    changed = []
    for item in items:
        before = (item.drug_class, item.price_id, item.price_per_unit_pence, item.value_pence)
        price_item(item, book, seizure.seized_on)
        if (item.drug_class, item.price_id, item.price_per_unit_pence, item.value_pence) != before:
            reason = f"Re-priced: {item.price_text}" if item.price_id else "Re-priced: no price in force"
            audited(item, user, reason).save()
            changed.append(item)
    on = f"{seizure.seized_on.day} {seizure.seized_on:%B %Y}"
    note = f"Re-priced at the street prices in force on {on}: {len(changed)} item(s) changed"
    audited(seizure, user, note).save()
    mark_counted(counted_on(seizure))
    return changed


@transaction.atomic
def warrant_create(*, user, **fields):
    warrant = Warrant(**{name: fields[name] for name in WARRANT_FIELDS if name in fields})
    warrant.full_clean()
    audited(warrant, user).save()
    mark_counted(counted_on(warrant))
    return warrant


@transaction.atomic
def warrant_update(*, warrant, user, **fields):
    warrant = Warrant.objects.select_for_update().get(pk=warrant.pk)
    if warrant.is_withdrawn:
        raise ValidationError("A withdrawn warrant cannot be changed")
    before = counted_on(warrant)
    model_update(instance=warrant, fields=WARRANT_FIELDS, data=fields, user=user)
    mark_counted(before, counted_on(warrant))
    return warrant


@transaction.atomic
def warrant_withdraw(*, warrant, user, reason):
    warrant = Warrant.objects.select_for_update().get(pk=warrant.pk)
    warrant.withdraw(by=user, reason=reason)
    audited(warrant, user, f"Withdrawn: {warrant.withdrawal_reason}").save()
    mark_counted(counted_on(warrant))
    return warrant


STREET_PRICE_FIELDS = (
    "drug",
    "unit",
    "price_per_unit_pence",
    "valid_from",
    "valid_to",
    "source",
    "yield_grams_per_plant",
)


@transaction.atomic
def street_price_introduce(*, user, **fields):
    """A new price from `valid_from`: the price in force until then ends the day before.
    Stored valuations are untouched; analysts re-price a seizure explicitly."""
    price = StreetPrice(**{name: fields[name] for name in STREET_PRICE_FIELDS if name in fields})
    replaced = price.replaced_price()
    price.full_clean()
    if replaced is not None:
        replaced = StreetPrice.objects.select_for_update().get(pk=replaced.pk)
        replaced.valid_to = price.valid_from - datetime.timedelta(days=1)
        audited(replaced, user, f"Replaced from {price.valid_from:%d %B %Y}").save()
    audited(price, user).save()
    return price


@transaction.atomic
def street_price_update(*, price, user, **fields):
    """Correct a price row (its amount, dates, source or assumed yield). Stored valuations are
    untouched; analysts re-price a seizure explicitly."""
    price = StreetPrice.objects.select_for_update().get(pk=price.pk)
    model_update(instance=price, fields=STREET_PRICE_FIELDS, data=fields, user=user, reason="Corrected")
    return price

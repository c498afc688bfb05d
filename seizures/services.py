"""Everything that writes seizures, warrants and street prices: keyword-only, in a transaction,
validated with full_clean, and marking the months the nightly rollup must recompute."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.metrics import counted_on, mark_counted
from core.periodlocks import guard_change
from core.services import audited, model_update, record_changing, record_created, record_withdrawn

from .models import (
    MAX_ITEMS_PER_SEIZURE,
    TOO_MANY_ITEMS,
    Drug,
    Seizure,
    SeizureItem,
    Site,
    StreetPrice,
    Warrant,
)
from .pricing import PriceBook, stored_value

SEIZURE_FIELDS = ("reference", "seized_on", "force", "area", "place", "postcode", "warrant", "site", "notes")
WARRANT_FIELDS = (
    "reference",
    "force",
    "area",
    "applied_on",
    "issued_on",
    "executed_on",
    "result",
    "arrests",
    "cash_seized_pence",
    "other_property",
    "notes",
)
SITE_FIELDS = (
    "reference",
    "force",
    "area",
    "postcode_sector",
    "premises",
    "discovered_on",
    "closed_on",
    "plants",
    "size_band",
    "warrant",
    "notes",
)


def price_item(item, book, day, *, force_id, priced_at=None):
    """Value the item at the force's price in force on `day` (else the alliance default's),
    storing the rows it used (and when: `priced_at`, else now)."""
    item.drug_class = book.class_of(item.drug_id, day)
    valuation = book.valuation(item.drug_id, item.unit, item.quantity, day, force_id)
    item.price, item.plant_yield = valuation.price, valuation.plant_yield
    item.price_per_unit_pence = valuation.price_per_unit_pence
    item.value_pence = valuation.value_pence
    item.priced_at = priced_at or timezone.now()


def _refuse_uncontrolled(built, book, day):
    """A drug not controlled on the date seized is refused, naming the item."""
    problems = [
        f"Item {number}: {reason}"
        for number, (item, _) in enumerate(built, start=1)
        if (reason := book.not_controlled(item.drug, day))
    ]
    if problems:
        raise ValidationError({"items": problems})


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
        before = (item.drug_id, item.quantity, item.unit, item.plant_count)
        item.drug, item.quantity, item.unit = spec["drug"], spec["quantity"], spec["unit"]
        item.plant_count = spec.get("plant_count")
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
    book = PriceBook.load({item.drug_id for item, _ in built})
    _refuse_uncontrolled(built, book, seizure.seized_on)
    audited(seizure, user).save()
    for item, _ in built:
        item.seizure = seizure
        price_item(item, book, seizure.seized_on, force_id=seizure.force_id)
        audited(item, user).save()
    guard_change(seizure, user=user, action="Recorded")
    mark_counted(counted_on(seizure))
    return seizure


@transaction.atomic
def seizure_update(*, seizure, user, items=None, **fields):
    """Change a seizure and (when `items` is given) replace its items with these specs
    ({"id"?, "drug", "quantity", "unit", "plant_count"?}); items left out are removed.

    A changed quantity keeps the price the item was valued at; a changed drug, unit, date or
    force is priced afresh. Other stored values never move: re-pricing is `seizure_reprice`
    (one seizure) or `reprice_job_start` (every item a price row touches)."""
    with record_changing(Seizure, seizure, user=user, noun="seizure") as seizure:
        old_place = (seizure.seized_on, seizure.force_id)
        model_update(instance=seizure, fields=SEIZURE_FIELDS, data=fields, user=user)
        if items is None:
            items = [
                {
                    "id": i.pk,
                    "drug": i.drug,
                    "quantity": i.quantity,
                    "unit": i.unit,
                    "plant_count": i.plant_count,
                }
                for i in seizure.items.all()
            ]
        built, removed = _validated_items(seizure, items)
        date_moved = (seizure.seized_on, seizure.force_id) != old_place
        book = PriceBook.load({item.drug_id for item, _ in built})
        _refuse_uncontrolled(built, book, seizure.seized_on)
        for item, (drug_id, quantity, unit, plant_count) in built:
            if item.pk is None or date_moved or (drug_id, unit) != (item.drug_id, item.unit):
                price_item(item, book, seizure.seized_on, force_id=seizure.force_id)
            elif quantity != item.quantity:
                item.value_pence = stored_value(item)
            elif plant_count == item.plant_count:
                continue
            audited(item, user).save()
        for item in removed:
            audited(item, user, "Removed from the seizure").delete()
    return seizure


@transaction.atomic
def seizure_withdraw(*, seizure, user, reason):
    return record_withdrawn(Seizure, seizure, user=user, reason=reason)


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
        if reprice_item(item, book, seizure, user=user, reason="Re-priced"):
            changed.append(item)
    on = f"{seizure.seized_on.day} {seizure.seized_on:%B %Y}"
    note = f"Re-priced at the street prices in force on {on}: {len(changed)} item(s) changed"
    audited(seizure, user, note).save()
    if changed:
        guard_change(seizure, user=user, action=note)
    mark_counted(counted_on(seizure))
    return changed


def _valuation_of(item):
    return (item.drug_class, item.price_id, item.plant_yield_id, item.price_per_unit_pence, item.value_pence)


def reprice_item(item, book, seizure, *, user, reason):
    """Value one item again at the rows now in force on its seizure's date and force; saves and
    audits it (old → new value, the rows used, the user) only when something changed."""
    from core.templatetags.formatting import format_pence

    before = _valuation_of(item)
    old_value = item.value_pence
    price_item(item, book, seizure.seized_on, force_id=seizure.force_id)
    if _valuation_of(item) == before:
        return False

    def shown(pence):
        return "unpriced" if pence is None else format_pence(pence)

    rows = ", ".join(f"street price {pk}" for pk in (item.price_id, item.plant_yield_id) if pk)
    # The history keeps the rows themselves (price, plant_yield) and the user; the reason
    # (at most 100 characters) says what moved and why.
    audited(
        item, user, f"{reason}: {shown(old_value)} → {shown(item.value_pence)} ({rows or 'no price'})"
    ).save()
    return True


@transaction.atomic
def warrant_create(*, user, **fields):
    warrant = Warrant(**{name: fields[name] for name in WARRANT_FIELDS if name in fields})
    warrant.full_clean()
    return record_created(warrant, user=user)


@transaction.atomic
def warrant_update(*, warrant, user, **fields):
    with record_changing(Warrant, warrant, user=user, noun="warrant") as warrant:
        model_update(instance=warrant, fields=WARRANT_FIELDS, data=fields, user=user)
    return warrant


@transaction.atomic
def warrant_withdraw(*, warrant, user, reason):
    return record_withdrawn(Warrant, warrant, user=user, reason=reason)


@transaction.atomic
def site_create(*, user, **fields):
    """Record a cannabis factory; its size band is found from its plants where the guideline
    gives plant numbers, else it must be chosen."""
    site = Site(**{name: fields[name] for name in SITE_FIELDS if name in fields})
    site.full_clean()
    return record_created(site, user=user)


@transaction.atomic
def site_update(*, site, user, **fields):
    with record_changing(Site, site, user=user, noun="cannabis factory") as site:
        if "plants" in fields and "size_band" not in fields and fields["plants"] != site.plants:
            # New plants, no band given: the band follows the plants as on a new site.
            fields["size_band"] = None
        model_update(instance=site, fields=SITE_FIELDS, data=fields, user=user)
    return site


@transaction.atomic
def site_withdraw(*, site, user, reason):
    """Withdraw with a reason. Offences and seizures linked to it keep the link (their history
    says where they were found) but the site leaves lists and figures."""
    return record_withdrawn(Site, site, user=user, reason=reason)


STREET_PRICE_FIELDS = (
    "force",
    "drug",
    "unit",
    "price_per_unit_pence",
    "valid_from",
    "valid_to",
    "source",
    "yield_grams_per_plant",
)
# A correction changes a row's figures, dates or source; a price of another drug, unit or
# table is a new row.
STREET_PRICE_CORRECTABLE = (
    "price_per_unit_pence",
    "valid_from",
    "valid_to",
    "source",
    "yield_grams_per_plant",
)


@transaction.atomic
def street_price_introduce(*, user, **fields):
    """A new row of a force's table (or of the alliance default, force None) from `valid_from`:
    the row of the same table in force until then ends the day before. Stored valuations are
    untouched until re-priced (`repricing.reprice_job_start` offers it for every item the row
    affects)."""
    price = StreetPrice(**{name: fields[name] for name in STREET_PRICE_FIELDS if name in fields})
    if price.drug_id:
        # One writer of a drug's prices at a time: the overlap check below stays true until commit.
        Drug.objects.select_for_update().filter(pk=price.drug_id).first()
    replaced = price.replaced_price()
    price.full_clean()
    if replaced is not None:
        replaced = StreetPrice.objects.select_for_update().get(pk=replaced.pk)
        replaced.valid_to = price.valid_from - datetime.timedelta(days=1)
        audited(replaced, user, f"Replaced from {price.valid_from:%d %B %Y}").save()
    price.entered_by, price.entered_at = user, timezone.now()
    audited(price, user).save()
    return price


@transaction.atomic
def street_price_update(*, price, user, **fields):
    """Correct a row (its amount, dates, source or assumed yield). Stored valuations are
    untouched until re-priced (`repricing.reprice_job_start`)."""
    Drug.objects.select_for_update().filter(pk=price.drug_id).first()
    price = StreetPrice.objects.select_for_update().get(pk=price.pk)
    refused = sorted(set(fields) - set(STREET_PRICE_CORRECTABLE))
    if refused:
        raise ValidationError(
            dict.fromkeys(refused, "A price of another drug, unit or table is a new row: add it instead")
        )
    model_update(instance=price, fields=STREET_PRICE_CORRECTABLE, data=fields, user=user, reason="Corrected")
    return price

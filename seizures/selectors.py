"""Read queries shared by the pages, the API, the exports and the metrics."""

from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from core.history import changed_after, history_of

from .models import Seizure, SeizureItem, Unit, Warrant

WEIGHTS = [Unit.GRAMS, Unit.KILOGRAMS]


def in_kilograms(**options):
    """The sum of items' weights in kilograms, for items recorded in grams or kilograms
    (`options`: Sum's own, such as filter=)."""
    return Sum(
        Case(
            # A multiplication: SQLite divides whole-number decimals as integers.
            When(unit=Unit.GRAMS, then=F("quantity") * Value(Decimal("0.001"))),
            default=F("quantity"),
            output_field=DecimalField(max_digits=18, decimal_places=6),
        ),
        **options,
    )


def _total_value():
    per_seizure = (
        SeizureItem.objects.filter(seizure=OuterRef("pk"))
        .order_by()
        .values("seizure")
        .annotate(total=Sum("value_pence"))
        .values("total")
    )
    return Subquery(per_seizure)


def seizure_list():
    """Live seizures with what the list, the export and the API show of each."""
    return (
        Seizure.objects.live()
        .select_related("force", "area", "warrant")  # table columns and API fields
        # Items with their drug (table) and price (the API's price text).
        .prefetch_related(Prefetch("items", queryset=SeizureItem.objects.select_related("drug", "price")))
        .annotate(total_value_pence=_total_value())
    )


def seizure_for(user, pk):
    """A seizure for its detail page: administrators also open withdrawn ones."""
    return (
        Seizure.objects.openable_by(user)
        .select_related("force", "area__partnership", "warrant", "withdrawn_by")
        .prefetch_related(Prefetch("items", queryset=SeizureItem.objects.select_related("drug", "price")))
        .annotate(total_value_pence=Coalesce(_total_value(), None))
        .get(pk=pk)
    )


def item_totals(seizures, items):
    """What the dashboards add up over the items of `seizures` that match `items` (a Q), in one query:
    street value (pence) and how many items have none, weight in kilograms, and the plants,
    doses and millilitres recorded. A sum is None when no item is recorded in its unit."""
    return (
        SeizureItem.objects.filter(items, seizure__in=seizures.values("pk"))
        .order_by()
        .aggregate(
            # The names differ from the fields': an alias would shadow its field in the filters.
            street_value_pence=Sum("value_pence"),
            unpriced=Count("pk", filter=Q(value_pence__isnull=True)),
            kilograms=in_kilograms(filter=Q(unit__in=WEIGHTS)),
            plants=Sum("quantity", filter=Q(unit=Unit.PLANTS)),
            doses=Sum("quantity", filter=Q(unit=Unit.DOSES)),
            millilitres=Sum("quantity", filter=Q(unit=Unit.MILLILITRES)),
        )
    )


def seizures_changed_after(moment):
    """The ids of seizures recorded, changed or withdrawn after `moment`, or whose items were,
    from the change history (read by its date index: a day's changes, however many seizures)."""
    return changed_after(Seizure, moment).union(changed_after(SeizureItem, moment, key="seizure_id"))


def reprice_preview(seizure):
    """[(item, class now recorded for the date seized ('' if none), price now in force then or
    None, value at that price or None)]."""
    from .pricing import PriceBook, value_in_pence

    items = list(seizure.items.select_related("drug", "price"))
    book = PriceBook.load({item.drug_id for item in items})
    preview = []
    for item in items:
        price = book.price_for(item.drug_id, item.unit, seizure.seized_on)
        value = value_in_pence(item.quantity, item.unit, price) if price else None
        preview.append((item, book.class_of(item.drug_id, seizure.seized_on), price, value))
    return preview


def warrant_list():
    return Warrant.objects.live().select_related("force", "area")  # table columns and API fields


def warrants_changed_after(moment):
    return changed_after(Warrant, moment)


def warrant_for(user, pk):
    return Warrant.objects.openable_by(user).select_related("force", "area", "withdrawn_by").get(pk=pk)


def seizure_history(seizure):
    """The seizure's own changes and those of its items (including removed items), newest first."""
    entries = history_of(seizure)
    item_history = SeizureItem.history.filter(seizure_id=seizure.pk).select_related("history_user", "drug")
    by_item = {}
    for record in item_history.order_by("history_date", "history_id"):
        by_item.setdefault(record.id, []).append(record)
    for records in by_item.values():
        entries.extend(_item_entries(records))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


ITEM_FIELDS = {
    "drug": "Drug",  # the historical record's drug, a Drug (select_related)
    "quantity": "Quantity",
    "unit": "Unit",
    "drug_class": "Class",
    "value_pence": "Street value (pence)",
    "price_per_unit_pence": "Price per unit (pence)",
}


def _item_entries(records):
    from core.history import ACTIONS, Change, HistoryEntry

    entries, previous = [], None
    for record in records:
        described = f"{record.drug} {record.quantity.normalize():f} {record.unit}"
        changes = []
        if previous is not None:
            # By hand: diff_against() leaves out the fields users do not edit (class, value).
            for name, field_label in ITEM_FIELDS.items():
                old, new = getattr(previous, name), getattr(record, name)
                if old != new:
                    changes.append(Change(field_label, old, new))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                action=f"Item {ACTIONS.get(record.history_type, record.history_type).lower()}: {described}",
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    return entries

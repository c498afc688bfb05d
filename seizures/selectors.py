"""Read queries shared by the pages, the API, the exports and the metrics."""

import datetime
import functools
import operator
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, Count, DecimalField, F, OuterRef, Prefetch, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from core.history import changed_after, history_of
from core.models import month_versions

from .models import Seizure, SeizureItem, Site, Unit, Warrant

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


def priced_items():
    """Items with what their price text names: drug, the price and yield rows and their tables."""
    return SeizureItem.objects.select_related("drug", "price__drug", "price__force", "plant_yield__force")


def seizure_list():
    """Live seizures with what the list, the export and the API show of each."""
    return (
        Seizure.objects.live()
        .select_related("force", "area", "warrant")  # table columns and API fields
        # Items with their drug (table) and the rows they were valued with (the API's price text).
        .prefetch_related(Prefetch("items", queryset=priced_items()))
        .annotate(total_value_pence=_total_value())
    )


def seizure_list_page():
    """seizure_list() as the list page's table shows it: each item with its drug, the Drugs
    column's words, and none of the price rows the API describes."""
    return (
        seizure_list()
        .prefetch_related(None)
        .prefetch_related(Prefetch("items", queryset=SeizureItem.objects.select_related("drug")))
    )


def seizure_for(user, pk):
    """A seizure for its detail page: administrators also open withdrawn ones."""
    return (
        Seizure.objects.openable_by(user)
        .select_related("force", "area__partnership", "warrant", "withdrawn_by")
        .prefetch_related(Prefetch("items", queryset=priced_items()))
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
            **_item_sums()
        )
    )


def _item_sums():
    return {
        "street_value_pence": Sum("value_pence"),
        "unpriced": Count("pk", filter=Q(value_pence__isnull=True)),
        "kilograms": in_kilograms(filter=Q(unit__in=WEIGHTS)),
        "plants": plants_counted(),
        "doses": Sum("quantity", filter=Q(unit=Unit.DOSES)),
        "millilitres": Sum("quantity", filter=Q(unit=Unit.MILLILITRES)),
    }


def _next_month(month):
    return (month + datetime.timedelta(days=32)).replace(day=1)


MICRO = Decimal("0.000001")
TOTALS_BY_MONTH = "seizures.list-totals-by-month"
TOTALS_CACHE_SECONDS = 7 * 24 * 60 * 60


def _sums_by_month(months):
    """{month: {"seizures": live seizures dated in it, and item_totals' sums}} for `months` (a set
    of first days; None: every month), in two grouped queries."""
    seizures = Seizure.objects.live()
    if months is not None:
        seizures = seizures.filter(
            functools.reduce(
                operator.or_,
                (Q(seized_on__gte=month, seized_on__lt=_next_month(month)) for month in months),
                Q(pk__in=[]),
            )
        )
    sums = {}
    for row in (
        seizures.order_by()
        .annotate(month=TruncMonth("seized_on"))
        .values("month")
        .annotate(seizures=Count("pk"))
    ):
        sums[row["month"]] = {"seizures": row["seizures"]}
    items = (
        SeizureItem.objects.filter(seizure__in=seizures.values("pk"))
        .order_by()
        .annotate(month=TruncMonth("seizure__seized_on"))
        .values("month")
        .annotate(**_item_sums())
    )
    for row in items:
        sums[row.pop("month")].update(row)
    return sums


def list_item_totals(versions=None):
    """item_totals() of every live seizure, and how many there are: the unfiltered list's.

    The sums are kept in the cache month by month, each with the version its month had when it
    was read (core.models.MonthVersion, counted up by every service and import that writes a
    seizure or an item dated in it): a month read again only once something dated in it has
    changed, so the total stays exact and costs a day's changes rather than every item.
    `versions`: month_versions("seizures") where the caller has read them already."""
    if versions is None:
        versions = month_versions("seizures")
    cached = cache.get(TOTALS_BY_MONTH) or {}
    if not cached:
        fresh = _sums_by_month(None)
        cached = {month: (versions.get(month, 0), sums) for month, sums in fresh.items()}
    else:
        stale = {month for month, version in versions.items() if cached.get(month, (None,))[0] != version}
        if stale:
            fresh = _sums_by_month(stale)
            for month in stale:
                if month in fresh:
                    cached[month] = (versions[month], fresh[month])
                else:
                    cached.pop(month, None)  # nothing live is dated in it any more
    cache.set(TOTALS_BY_MONTH, cached, TOTALS_CACHE_SECONDS)
    totals = {"seizures": 0, "street_value_pence": None, "unpriced": 0}
    for _, sums in cached.values():
        for name, value in sums.items():
            if value is not None:
                totals[name] = value if totals.get(name) is None else totals[name] + value
    for name in ("kilograms", "plants", "doses", "millilitres"):
        # As exact as the live sum: SQLite adds decimals as floating point, month by month.
        totals[name] = None if totals.get(name) is None else Decimal(totals[name]).quantize(MICRO)
    return totals


def plants_counted(**options):
    """Cannabis plants: those recorded by the plant, and those counted beside their weight."""
    return Sum(
        Case(
            When(unit=Unit.PLANTS, then=F("quantity")),
            default=F("plant_count"),
            output_field=DecimalField(max_digits=14, decimal_places=3),
        ),
        filter=Q(unit=Unit.PLANTS) | Q(plant_count__isnull=False),
        **options,
    )


def seizures_changed_after(moment):
    """The ids of seizures recorded, changed or withdrawn after `moment`, or whose items were,
    from the change history (read by its date index: a day's changes, however many seizures)."""
    return changed_after(Seizure, moment).union(changed_after(SeizureItem, moment, key="seizure_id"))


def reprice_preview(seizure):
    """[(item, class now recorded for the date seized ('' if none), Valuation at the rows now in
    force then in the seizure's force)]."""
    from .pricing import PriceBook

    items = list(priced_items().filter(seizure=seizure))
    book = PriceBook.load({item.drug_id for item in items})
    day = seizure.seized_on
    return [
        (
            item,
            book.class_of(item.drug_id, day),
            book.valuation(item.drug_id, item.unit, item.quantity, day, seizure.force_id),
        )
        for item in items
    ]


def warrant_list():
    return Warrant.objects.live().select_related("force", "area")  # table columns and API fields


def warrants_changed_after(moment):
    return changed_after(Warrant, moment)


def warrant_for(user, pk):
    return Warrant.objects.openable_by(user).select_related("force", "area", "withdrawn_by").get(pk=pk)


def seizures_of(record):
    """The live seizures under a warrant or at a cannabis factory, oldest first, with their items
    (the drugs column) and street value."""
    return (
        record.seizures.live()
        .order_by("seized_on", "pk")
        .prefetch_related(Prefetch("items", queryset=SeizureItem.objects.select_related("drug")))
        .annotate(total_value_pence=_total_value())
    )


def linked_offences(record):
    """The live offences pointing at a warrant or a site (the offences app's model, reached
    through its foreign key), oldest first."""
    return record.offences.filter(withdrawn_at__isnull=True).order_by("recorded_date", "pk")


def site_list():
    """Live cannabis factories with what the list, the export and the API show of each."""
    return Site.objects.live().select_related("force", "area", "size_band", "warrant")  # table columns


def site_for(user, pk):
    return (
        Site.objects.openable_by(user)
        .select_related("force", "area__partnership", "size_band", "warrant", "withdrawn_by")
        .get(pk=pk)
    )


def sites_changed_after(moment):
    return changed_after(Site, moment)


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

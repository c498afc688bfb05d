"""Named metrics: what the recording apps count or sum for the nightly rollups.

Each recording app declares its metrics in `<app>/metrics.py` by calling `register(Metric(...))`
at import time. The strategy app discovers those modules (`discover()`), rolls each metric up
by month, force, area and dimension into facts, and links every figure back to the records
that make it up through the metric's list page and its FilterSet parameters.

A metric is a queryset of live records, the date it counts by, the value aggregated per group
and the dimensions it can be broken down by. Example (seizures):

    register(Metric(
        name="seizures.count",
        label="Drug seizures",
        unit=Unit.COUNT,
        queryset=lambda: Seizure.objects.live(),
        date_field="seized_on",
        value=Count("pk", distinct=True),
        dimensions={"drug": "items__drug__code", "drug_class": "items__drug_class"},
        list_url_name="seizures:seizure_list",
        filter_params={"date_from": "date_from", "date_to": "date_to", "force": "force",
                       "area": "area", "drug": "drug", "drug_class": "drug_class"},
    ))
"""

import functools
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.module_loading import autodiscover_modules

from .models import mark_changed


class Unit(TextChoices):
    COUNT = "count", "Number"
    PENCE = "pence", "Pounds (stored in pence)"
    GRAMS = "grams", "Grams"
    KILOGRAMS = "kilograms", "Kilograms"
    PLANTS = "plants", "Plants"
    DOSES = "doses", "Doses"
    DAYS = "days", "Days"
    PERCENT = "percent", "Per cent"


@dataclass(frozen=True)
class Metric:
    name: str  # "<app>.<what>", stable: facts and indicators refer to it
    label: str
    unit: str
    queryset: Callable  # () -> QuerySet of the live records (withdrawn excluded)
    date_field: str  # the date it counts by, a path from the queryset's model
    value: object  # an aggregate expression: Count("pk", distinct=True), Sum("value_pence")…
    force_field: str = "force"
    area_field: str = "area"
    # Dimension name -> a field path or expression giving the dimension's value per record.
    # Counting rule (Home Office): a seizure counts once in the total and once under each
    # dimension value it has; per-dimension figures need not sum to the total.
    dimensions: Mapping[str, object] = field(default_factory=dict)
    # Where the records behind a figure are listed, and the FilterSet parameter names for
    # the date range ("date_from", "date_to"), "force", "area" and each dimension.
    list_url_name: str = ""
    filter_params: Mapping[str, str] = field(default_factory=dict)
    # Extra fixed FilterSet parameters so the list shows exactly this metric's records
    # (e.g. {"result": "drugs_found"}).
    fixed_filters: Mapping[str, object] = field(default_factory=dict)  # a value or a list of values
    description: str = ""
    # Ratio metrics (e.g. positive warrant rate) are computed from two summed metrics at
    # display time rather than summed themselves: (numerator metric, denominator metric).
    ratio_of: tuple | None = None
    # A median or an average cannot be added up over months and districts: such a metric is
    # not rolled up into facts and cannot back a dashboard indicator; it is computed from the
    # records for the period asked (by the app's own selector).
    summable: bool = True
    # A sum that leaves records out for want of a value (street value: items with no price on
    # their date) names the count metric of those records, with the same dimensions: every
    # figure of it says "includes N unpriced items — a minimum", linked to them.
    unpriced_metric: str = ""
    # Records of forces outside the alliance are kept too (police.uk data of a neighbour, for
    # comparison): the alliance's figure and its list are then of the alliance's forces only.
    context_forces: bool = False

    def records_url(
        self,
        *,
        date_from=None,
        date_to=None,
        force=None,
        partnership=None,
        area=None,
        dimension=None,
        value=None,
    ):
        """The list page filtered to exactly the records behind one figure. `force` may be a list
        (the alliance's forces). Every list names its place filters force, partnership and area
        (geography.filters) unless filter_params says otherwise."""
        params = dict(self.fixed_filters)
        wanted = {
            "date_from": date_from,
            "date_to": date_to,
            "force": force,
            "partnership": partnership,
            "area": area,
        }
        if dimension:
            wanted[dimension] = value
        for key, given in wanted.items():
            if given is None or given == "" or given == []:
                continue
            if key not in self.filter_params and key not in PLACE_FILTERS:
                raise KeyError(f"metric {self.name} has no filter parameter for {key!r}")
            name = self.filter_params.get(key, key)
            params[name] = (
                [str(item) for item in given]
                if isinstance(given, list | tuple)
                else (given.isoformat() if hasattr(given, "isoformat") else given)
            )
        return f"{reverse(self.list_url_name)}?{urlencode(params, doseq=True)}"


PLACE_FILTERS = ("force", "partnership", "area")


_registry: dict[str, Metric] = {}


def register(metric):
    existing = _registry.get(metric.name)
    if existing is not None and existing != metric:
        raise ValueError(f"metric {metric.name} is registered twice with different definitions")
    _registry[metric.name] = metric
    _date_paths.cache_clear()
    return metric


_discovered = False


def discover():
    """Import every installed app's metrics module (once a process: the look-up for modules
    that are not there costs more than a page's figures), then return the registry."""
    global _discovered
    if not _discovered:
        autodiscover_modules("metrics")
        _discovered = True
    return dict(_registry)


def get(name):
    return discover()[name]


# --- which months a change touches ------------------------------------------------------------
# The nightly rollup rebuilds only the months marked changed, so a write that forgets one date a
# metric counts by leaves that month's figures stale until the next full rebuild. Services do not
# list dates themselves: they ask the registry for every date any metric counts a record by.


def source_of(metric):
    """The changed-month source of a metric: the app of the records it counts."""
    return metric.queryset().model._meta.app_label


def where_dates_reach(model):
    """(metric, position) for every registered metric whose date path reaches `model` records:
    from `position` on, `metric.date_field.split("__")` is read from a `model` record (0 when the
    metric counts `model` itself; an item's metric reaches its seizure at 1). The dated-in
    questions — which months a record's change touches, which published periods hold it — each
    read the rest of the path from here."""
    stops = []
    for metric in discover().values():
        parts = metric.date_field.split("__")
        current = metric.queryset().model
        for position, part in enumerate(parts):
            if current._meta.concrete_model is model:
                stops.append((metric, position))
            step = current._meta.get_field(part)
            if not step.is_relation:
                break
            if not (step.many_to_one or step.one_to_one):
                # One record could then carry many dates: no single month to mark from it.
                raise ValueError(f"metric {metric.name} counts by a date through a many-valued relation")
            current = step.related_model
    return stops


@functools.cache
def _date_paths(model):
    """(source, attribute path) for every registered metric's date as read from a `model`
    record: the metric's own date field when it counts `model`, or the rest of its date path
    when it counts records through a relation to `model` (an item by its seizure's date)."""
    return frozenset(
        (source_of(metric), tuple(metric.date_field.split("__")[position:]))
        for metric, position in where_dates_reach(model)
    )


def counted_on(record):
    """Every (source, day) a registered metric counts `record` by, as it stands now. A service
    takes this before and after a change and marks both (`mark_counted`): a moved date, a
    withdrawal or a changed dimension each touch the months of the old and the new values."""
    days = set()
    for source, path in _date_paths(type(record)._meta.concrete_model):
        value = record
        for name in path:
            value = getattr(value, name)
            if value is None:
                break
        if value is not None:
            days.add((source, value))
    return frozenset(days)


def mark_counted(*counted):
    """Mark changed the months of each collection of (source, day) pairs (from `counted_on`)."""
    by_source = defaultdict(set)
    for pairs in counted:
        for source, day in pairs:
            by_source[source].add(day)
    for source, days in by_source.items():
        mark_changed(source, *days)


def _relations_reading(metric, model):
    """The relations from a metric's records to `model` through which the metric reads one of
    `model`'s fields: its date, force, district or a dimension (expressions are not paths)."""
    paths = [metric.date_field, metric.force_field, metric.area_field]
    paths += [path for path in metric.dimensions.values() if isinstance(path, str)]
    for path in paths:
        parts = path.split("__")
        current = metric.queryset().model
        for position, part in enumerate(parts[:-1]):
            step = current._meta.get_field(part)
            if not step.is_relation:
                break
            current = step.related_model
            if current._meta.concrete_model is model:
                yield "__".join(parts[: position + 1])


def counted_through(instance):
    """Every (source, month) of the records whose figures read `instance` through a relation: a
    referral by its submitting agency's kind and its district's force, an item by its drug's
    code. Reference data corrected in place moves those records' cells without touching the
    records, so the change marks their months."""
    model = instance._meta.concrete_model
    # Many metrics count the same records by the same date: one query each.
    reads = {
        (source_of(metric), metric.queryset().model, relation, metric.date_field)
        for metric in discover().values()
        for relation in _relations_reading(metric, model)
    }
    found = set()
    for source, counted, relation, date_field in reads:
        months = (
            counted._base_manager.filter(**{relation: instance.pk})
            .annotate(counted_in=TruncMonth(date_field))
            .order_by()
            .values_list("counted_in", flat=True)
            .distinct()
        )
        found.update((source, month) for month in months if month is not None)
    return found

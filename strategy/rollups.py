"""The rollup: every registered metric summed by month, force, district and dimension into Facts.

One run is one transaction, so a run that fails part-way leaves the previous facts untouched.
A partial unique index on AggregationRun (one row may be "running") is the lock that keeps two
runs from overlapping, on PostgreSQL and SQLite alike; a run whose worker died is marked
abandoned once it is older than the task time limit, and the next run redoes its months
(the changed-month markers are only removed by the transaction that rebuilt them).
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Min, Q, TextField
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from core import generations
from core import metrics as metric_registry
from core.models import ChangedMonth
from core.requestmemo import forget

from .facts import daily_months, months_between
from .models import AggregationRun, DailyFact, Fact

logger = logging.getLogger(__name__)

FACT_TABLE = connection.ops.quote_name(Fact._meta.db_table)
DAILY_TABLE = connection.ops.quote_name(DailyFact._meta.db_table)


class RollupAlreadyRunning(Exception):
    pass


def stale_after():
    return datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 10 * 60)


def _statistics_renewed():
    """After every fact is written again, PostgreSQL's statistics of the fact tables describe the
    facts that were: the dashboard's queries would be planned for them (a sort and a nested loop
    over twelve thousand rows instead of a hash) until autovacuum next analyses the tables, or
    never where it is off. Analysing them now costs a fraction of a second."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Fact._meta.db_table}, {DailyFact._meta.db_table}")


def rollup_run(*, full=False, progress=None, today=None):
    """Rebuild the facts of the months that changed (or of everything, with full=True), and the
    daily facts of the earlier months a dashboard may cut part way (facts.daily_months). The
    figures count the records dated up to the day before `today` (default: today), the run's
    `through`: the day of the run is still being recorded, and is counted by the next run.

    Returns the AggregationRun; raises RollupAlreadyRunning if another run holds the lock.
    A failure is recorded on the run (outcome failed, error) and the previous facts stay.
    """
    started = timezone.now()
    through = (today or timezone.localdate()) - datetime.timedelta(days=1)
    AggregationRun.objects.filter(
        outcome=AggregationRun.Outcome.RUNNING, started_at__lt=started - stale_after()
    ).update(
        outcome=AggregationRun.Outcome.ABANDONED,
        finished_at=started,
        error="The run stopped without finishing (worker lost); its months are rebuilt by the next run.",
    )
    generations.advance(generations.rows_of(AggregationRun))  # an UPDATE sends no signal
    kind = AggregationRun.Kind.FULL if full else AggregationRun.Kind.NIGHTLY
    try:
        with transaction.atomic():
            run = AggregationRun.objects.create(kind=kind, started_at=started)
    except IntegrityError as clash:
        raise RollupAlreadyRunning("Another rollup is running; this one did not start.") from clash

    previous = (
        AggregationRun.objects.filter(outcome=AggregationRun.Outcome.SUCCEEDED, through__isnull=False)
        .exclude(pk=run.pk)
        .first()
    )
    # With no figures built yet, there is nothing for a nightly run to bring up to date.
    full = full or previous is None
    try:
        with transaction.atomic():
            months, rows, changed = _rebuild(
                full=full,
                marked_before=started,
                progress=progress,
                through=through,
                previous_through=previous.through if previous else None,
            )
            rows += _rebuild_daily(
                through, previous_through=None if full else previous.through, changed=changed
            )
    except Exception as error:
        logger.exception("Rollup %s failed; the previous figures stay in place", run.pk)
        run.outcome = AggregationRun.Outcome.FAILED
        run.error = f"{type(error).__name__}: {error}"
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "error", "finished_at"])
        forget()  # a request that ran the rollup itself reads the new run
        return run

    if full:
        _statistics_renewed()
    run.outcome = AggregationRun.Outcome.SUCCEEDED
    run.months, run.rows, run.finished_at, run.through = months, rows, timezone.now(), through
    run.save(update_fields=["outcome", "months", "rows", "finished_at", "through"])
    forget()
    logger.info("Rollup %s rebuilt %s metric-months into %s facts", run.pk, months, rows)
    return run


def rollup_metrics():
    """The metrics that are summed into facts (shares are computed from two of them; medians
    cannot be summed)."""
    return [
        metric
        for metric in metric_registry.discover().values()
        if metric.ratio_of is None and metric.summable
    ]


def _rebuild(*, full, marked_before, progress, through, previous_through):
    # Only the markers read here are removed below (by id, and only if not marked again since):
    # one committed by a writer in between is kept for the next run rather than removed unbuilt.
    read = list(ChangedMonth.objects.filter(marked_at__lte=marked_before).values_list("pk", flat=True))
    markers = ChangedMonth.objects.filter(pk__in=read, marked_at__lte=marked_before)
    metrics = rollup_metrics()
    changed = defaultdict(set)
    if full:
        work = [(metric, None) for metric in metrics]
        Fact.objects.all().delete()
    else:
        for source, month in markers.values_list("source", "month"):
            changed[source].add(month)
        # Facts count records dated up to `through`: when it has moved, the days it moved over
        # are counted now, in every metric (every month from the one it was in to the one it is in).
        moved = set()
        if previous_through != through:
            moved = set(months_between(min(previous_through, through), max(previous_through, through)))
        work = [(metric, changed[_source_of(metric)] | moved) for metric in metrics]
        work = [(metric, months) for metric, months in work if months]
        for metric, months in work:
            Fact.objects.filter(metric=metric.name, month__in=months).delete()
    markers.delete()

    month_count = rows = 0
    related_ids = {}  # the same seizures' id range serves every item metric of this run
    for step, (metric, months) in enumerate(work, start=1):
        written, touched = _write_facts(metric, months, related_ids, through=through)
        rows += written
        month_count += touched
        if progress:
            progress(step, len(work), metric.name)
    return month_count, rows, changed


def _source_of(metric):
    return metric.queryset().model._meta.app_label


def _in_months(date_field, months):
    condition = Q()
    for month in sorted(months):
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        condition |= Q(**{f"{date_field}__gte": month, f"{date_field}__lt": following})
    return condition


def _in_changed_months(records, date_field, months, related_ids):
    """The records dated in `months`. When the date is a related record's (an item counted by
    its seizure's date), the range of the related ids is given too: records are stored roughly
    in the order they happen, so a few recent months' seizures have ids close together, and
    PostgreSQL reads just their items through the foreign key's index (the nightly run needs
    it) rather than scanning every item to join it with a few months of seizures."""
    records = records.filter(_in_months(date_field, months))
    relation, _, field = date_field.rpartition("__")
    if not relation or "__" in relation:
        return records
    related = records.model._meta.get_field(relation).related_model
    key = (related, field, frozenset(months))
    if key not in related_ids:
        related_ids[key] = related._base_manager.filter(_in_months(field, months)).aggregate(
            first=Min("pk"), last=Max("pk")
        )
    ids = related_ids[key]
    if ids["first"] is None:
        return records.none()
    return records.filter(**{f"{relation}__gte": ids["first"], f"{relation}__lte": ids["last"]})


def _rebuild_daily(through, *, previous_through, changed):
    """The daily facts of the months a dashboard compares a month under way with (the same
    month one, two and three years before: facts.daily_months): on a full run
    (previous_through None) all of them; on a nightly run those that changed, and those newly
    needed when the figures' last day moved into another month — the cells a full rebuild
    would write."""
    needed = set(daily_months(through))
    kept = set(daily_months(previous_through)) & needed if previous_through else set()
    within = Q()
    for month in needed:
        within |= Q(day__gte=month, day__lt=_next_month(month))
    DailyFact.objects.exclude(within).delete()
    written = 0
    for metric in rollup_metrics():
        months = (needed - kept) | (changed.get(_source_of(metric), set()) & needed)
        if not months:
            continue
        days = Q()
        for month in months:
            days |= Q(day__gte=month, day__lt=_next_month(month))
        DailyFact.objects.filter(days, metric=metric.name).delete()
        written += _write_facts(metric, sorted(months), {}, daily=True, through=through)[0]
    return written


def _next_month(month):
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _write_facts(metric, months, related_ids, *, daily=False, through=None):
    """Aggregate one metric (its total and each dimension) for the given months (None: all),
    by month into Fact, or (daily) by day into DailyFact.

    Each slice is the metric's own grouped queryset, compiled by the ORM and wrapped in
    INSERT INTO strategy_fact … SELECT, so the rows are summed and written by the database in
    one statement: the metric declarations stay the single source of what is counted, and no
    row travels to Python and back."""
    records = metric.queryset()
    if through is not None:
        records = records.filter(**{f"{metric.date_field}__lte": through})
    if months is not None:
        records = _in_changed_months(
            records, metric.date_field, months, {} if related_ids is None else related_ids
        )
    grouping = {
        "fact_month": F(metric.date_field) if daily else TruncMonth(metric.date_field),
        "fact_force": F(metric.force_field),
        "fact_area": F(metric.area_field),
    }
    table, when = (DAILY_TABLE, "day") if daily else (FACT_TABLE, "month")
    slices = [("", None), *metric.dimensions.items()]
    written = 0
    with connection.cursor() as cursor:
        for dimension, expression in slices:
            extra = {}
            if expression is not None:
                value = F(expression) if isinstance(expression, str) else expression
                # Stored as text, as str() of the value would be.
                extra["fact_dimension"] = Cast(value, output_field=TextField())
            grouped = (
                records.order_by()
                .annotate(**grouping, **extra)
                .values(*grouping, *extra)
                .annotate(fact_value=metric.value)
            )
            try:
                sql, params = grouped.query.sql_with_params()
            except EmptyResultSet:
                continue  # no records in these months: nothing to write
            cursor.execute(
                f"INSERT INTO {table} "
                f"(metric, {when}, force_id, area_id, dimension, dimension_value, value) "
                f"SELECT %s, grouped.fact_month, grouped.fact_force, grouped.fact_area, %s, "
                f"{'grouped.fact_dimension' if dimension else '%s'}, grouped.fact_value "
                f"FROM ({sql}) grouped "
                "WHERE grouped.fact_value IS NOT NULL"
                + (" AND grouped.fact_dimension IS NOT NULL" if dimension else ""),
                [metric.name, dimension, *([] if dimension else [""]), *params],
            )
            written += cursor.rowcount
        if months is not None or daily:
            return written, len(months)
        cursor.execute(f"SELECT COUNT(DISTINCT month) FROM {FACT_TABLE} WHERE metric = %s", [metric.name])
        return written, cursor.fetchone()[0]

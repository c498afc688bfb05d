"""Figure 2: the full rollup against hand-written SQL, and the nightly run after a day's changes."""

import datetime
import time

from bench.harness import timed


def full_rollup_seconds():
    from strategy.models import AggregationRun
    from strategy.rollups import rollup_run

    seconds, run = timed(rollup_run, full=True)
    if run.outcome != AggregationRun.Outcome.SUCCEEDED:
        raise RuntimeError(f"rollup failed: {run.error}")
    return seconds, run.rows


def bare_rollup_seconds():
    from django.db import connection, transaction

    from bench import bare_rollup
    from strategy.facts import daily_months
    from strategy.models import AggregationRun

    with connection.cursor() as cursor:
        cursor.execute(bare_rollup.CREATE)
    through = AggregationRun.objects.latest().through  # the full rollup's, just run
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in bare_rollup.statements(through, daily_months(through)):
            cursor.execute(statement)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        counts = [
            f"(SELECT COUNT(*) FROM {table})" for table in (bare_rollup.SCRATCH, bare_rollup.SCRATCH_DAILY)
        ]
        cursor.execute(f"SELECT {' + '.join(counts)}")
        rows = cursor.fetchone()[0]
    return seconds, rows


def facts_match_bare():
    """The rollup's facts (by month and by day) and the hand-written SQL's rows, compared cell
    by cell for the metrics the reference writes. Returns a dict: `differing` cells, the
    metrics `compared`, those the rollup `stored` as facts and those `registered` (counts);
    `not_compared`, the stored metrics the reference leaves out, and `empty`, those compared with
    no cell on either side (the bench data holds none of their records: 0 differing cells says
    nothing of them)."""
    from django.db import connection

    from bench.bare_rollup import SCRATCH, SCRATCH_DAILY, SLICES
    from core import metrics
    from strategy.rollups import rollup_metrics

    covered = sorted({slice_[0] for slice_ in SLICES})
    stored = sorted(metric.name for metric in rollup_metrics())
    differing = 0
    filled = set()
    for facts, scratch, period in (
        ("strategy_fact", SCRATCH, "month"),
        ("strategy_dailyfact", SCRATCH_DAILY, "day"),
    ):
        columns = f"metric, {period}, force_id, area_id, dimension, dimension_value, value"
        # EXCEPT ALL, so that a cell written twice on one side differs too.
        query = (
            f"SELECT COUNT(*) FROM ((SELECT {columns} FROM {facts} WHERE metric = ANY(%s) "
            f"EXCEPT ALL SELECT * FROM {scratch}) "
            f"UNION ALL (SELECT * FROM {scratch} EXCEPT ALL SELECT {columns} FROM {facts})) d"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, [covered])
            differing += cursor.fetchone()[0]
            cursor.execute(
                f"SELECT metric FROM {facts} WHERE metric = ANY(%s) UNION SELECT metric FROM {scratch}",
                [covered],
            )
            filled.update(metric for (metric,) in cursor.fetchall())
    return {
        "differing": differing,
        "compared": len(covered),
        "stored": len(stored),
        "registered": len(metrics.discover()),
        "not_compared": sorted(set(stored) - set(covered)),
        "empty": sorted(set(covered) - filled),
    }


def change_records(count=1000):
    """`count` changes through the services, as a day's work would make them: new and corrected
    seizures, offences charged, referrals accepted, all dated in the last three months."""
    from django.utils import timezone

    from accounts.models import User
    from offences.models import Offence, Outcome
    from offences.services import offence_update
    from partners.choices import Pathway, Status
    from partners.models import Referral
    from partners.services import referral_transition
    from seizures.models import Seizure
    from seizures.services import seizure_update

    today = timezone.localdate()
    recent = today - datetime.timedelta(days=90)
    analyst = User.objects.get(username="bench.analyst")
    seizures = list(Seizure.objects.live().filter(seized_on__gte=recent).order_by("pk")[: count * 4 // 10])
    for seizure in seizures:
        seizure_update(seizure=seizure, user=analyst, place="Corrected: rear garden shed")
    offences = list(
        Offence.objects.live()
        .filter(recorded_date__gte=recent, outcome=Outcome.ONGOING)
        .order_by("pk")[: count * 3 // 10]
    )
    for offence in offences:
        offence_update(offence=offence, user=analyst, outcome=Outcome.CHARGED, outcome_date=today)
    # Accepted by the receiving agency: not a test on arrest, which leads to an assessment only
    # when positive (its own pathway's steps).
    referrals = list(
        Referral.objects.live()
        .filter(referral_date__gte=recent, status=Status.SUBMITTED)
        .exclude(pathway=Pathway.DIP_TEST_ON_ARREST)
        .select_related("receiving_agency")
        .order_by("pk")[: count * 3 // 10]
    )
    receivers = {}
    for referral in referrals:
        agency_id = referral.receiving_agency_id
        if agency_id not in receivers:
            receivers[agency_id] = User.objects.filter(
                agency_id=agency_id, username__startswith="bench."
            ).first()
        referral_transition(
            referral=referral, user=receivers[agency_id], to_status=Status.ACCEPTED, effective_on=today
        )
    # Whatever the other kinds fell short by, more seizure corrections make up.
    shortfall = count - len(seizures) - len(offences) - len(referrals)
    for seizure in Seizure.objects.live().filter(seized_on__gte=recent).order_by("-pk")[:shortfall]:
        seizure_update(seizure=seizure, user=analyst, place="Corrected: communal stairwell")
    return len(seizures) + len(offences) + len(referrals) + max(shortfall, 0)


def incremental_seconds():
    from strategy.rollups import rollup_run

    seconds, run = timed(rollup_run)
    return seconds, run.months, run.rows

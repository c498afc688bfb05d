"""Realistic volumes of records for the benchmarks:

    .venv/bin/python -m bench.generator --seizure-items N [--seed S] [--years Y]

Seizures with one to three items, warrants, offences and partner referrals with their status
history, spread over financial years, both forces, their districts and the drug catalogue in the
proportions the Home Office returns show for the alliance (see ../shared/data/README.md):
Warwickshire about 1,300 seizures a year and West Mercia about 3,000; for every seizure about
0.7 drug offences (police recorded crime 2017/18: 892 and 2,176), about 0.12 warrants and 0.2
referrals. Every record is valid under the models' constraints, items are priced from the street
price table exactly as the services price them, and the changed-month markers are left as the
services would leave them.

Rows are written with PostgreSQL's COPY (psycopg 3), or with plain INSERTs on SQLite, with ids
assigned here so that items can point at their seizures without a round trip. Running it again
adds more records after those already there (references never repeat). History tables are not
filled: the benchmarks read records and facts, not change history. Not for a live database.

    profile    what the history looks like (volumes, proportions, vocabularies)
    writing    weighted choice, ids assigned ahead, rows written by COPY or INSERT
    history    the Generator: shared state, people, agencies and the strategy
    supply     warrants, seizures and offences
    demand     referrals and their journeys
"""

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.periods import financial_year, financial_year_of
from offences.models import Offence
from partners.models import Referral, ReferralTransition
from seizures.models import Seizure, SeizureItem, Warrant

from .history import BENCH_PASSWORD, Generator, ensure_bench_strategy
from .profile import LOAD_USERS

__all__ = ["BENCH_PASSWORD", "LOAD_USERS", "default_period", "ensure_bench_strategy", "generate"]


def default_period(years=10, today=None):
    """The last `years` financial years up to today."""
    today = today or timezone.localdate()
    return financial_year(financial_year_of(today) - years + 1).start, today


def generate(*, seizure_items, seed=1, years=10, stdout=None):
    """Write about `seizure_items` seizure items and proportional other records. Returns counts."""
    first_day, last_day = default_period(years)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # As pg_restore --disable-triggers does: no per-row foreign key triggers while loading
            # rows whose references are valid by construction (ids assigned here). Superusers
            # only; others load with the checks on, about twice as slowly.
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            except DatabaseError:
                pass
        generator = Generator(seed=seed, first_day=first_day, last_day=last_day, stdout=stdout)
        generator.setup()
        counts = generator.generate(seizure_items)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum would have done to tables that grew over years: statistics for
            # the planner and visibility maps for index-only scans.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"  # VACUUM: outside one
            for model in (Seizure, SeizureItem, Warrant, Offence, Referral, ReferralTransition):
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    return counts

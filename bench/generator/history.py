"""The Generator: one run's shared state (random source, period, places, prices, counts) and
the people, agencies and strategy the records belong to."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import Agency, Role, User
from core.models import mark_changed
from core.periods import financial_year, financial_year_of
from geography.models import Area, Force
from offences.models import Offence
from partners.models import Referral, ReferralTransition
from seizures.models import Drug, Seizure, SeizureItem, Warrant
from seizures.pricing import PriceBook
from strategy.demo import GOALS, STRATEGY_END, STRATEGY_NAME, STRATEGY_START
from strategy.models import Goal, Indicator, Strategy

from .demand import ReferralRecords
from .profile import (
    AGENCY_KINDS,
    BACKDATED,
    DRUGS,
    FORCE_WEIGHTS,
    ITEMS_PER_SEIZURE,
    LOAD_USERS,
    OFFENCE_TYPES,
    OFFENCES_PER_SEIZURE,
    OUTCOMES,
    PATHWAYS,
    REFERRALS_PER_SEIZURE,
    WARRANTS_PER_SEIZURE,
)
from .supply import SupplyRecords
from .writing import Picker, RowWriter, aware

BENCH_PASSWORD = "Bench-Load-Test-2026"


class Generator(SupplyRecords, ReferralRecords):
    """One run: the shared random source, period, places and prices; SupplyRecords and
    ReferralRecords write the records."""

    def __init__(self, *, seed, first_day, last_day, stdout=None):
        self.rng = random.Random(seed)
        self.first_day, self.last_day = first_day, last_day
        self.span = (last_day - first_day).days
        self.stdout = stdout
        self.writer = RowWriter()
        self.now = timezone.now()
        self.forces = {force.name: force for force in Force.objects.filter(name__in=FORCE_WEIGHTS)}
        self.force_picker = Picker({name: weight for name, (_, weight) in FORCE_WEIGHTS.items()})
        self.areas = {
            name: list(Area.objects.filter(force=force).order_by("ons_code"))
            for name, force in self.forces.items()
        }
        self.force_ids = {name: force.pk for name, force in self.forces.items()}
        self.area_ids = {name: [area.pk for area in areas] for name, areas in self.areas.items()}
        self.days = [first_day + datetime.timedelta(days=n) for n in range(self.span + 1)]
        self.drugs = {drug.code: drug.pk for drug in Drug.objects.filter(code__in=DRUGS)}
        self.drug_picker = Picker({code: spec[0] for code, spec in DRUGS.items()})
        self.items_picker = Picker(ITEMS_PER_SEIZURE)
        self.offence_picker = Picker(OFFENCE_TYPES)
        self.outcome_picker = Picker(OUTCOMES)
        self.pathway_picker = Picker(PATHWAYS)
        self.book = PriceBook.load()
        self.pricing = {}
        self.months = {"seizures": set(), "offences": set(), "partners": set()}
        self.counts = dict.fromkeys(
            ["seizures", "items", "warrants", "offences", "referrals", "transitions"], 0
        )

    # --- people, agencies and the strategy -----------------------------------------------------

    def setup(self):
        groups = {role: Group.objects.get(name=role.value) for role in Role}
        self.password_hash = make_password(BENCH_PASSWORD)
        self.analyst = self._user("bench.analyst", groups[Role.ANALYST])
        self._user("bench.manager", groups[Role.MANAGER])
        self.agencies = {}
        for force_name in self.forces:
            for suffix, kind in AGENCY_KINDS:
                agency, _ = Agency.objects.update_or_create(
                    name=f"{force_name} {suffix}", defaults={"kind": kind, "active": True}
                )
                agency.areas.set(self.areas[force_name])
                self.agencies[(force_name, suffix)] = (
                    agency,
                    self._user(f"bench.{agency.pk}", groups[Role.PARTNER], agency=agency),
                )
        for number in range(1, LOAD_USERS + 1):
            force_name = list(self.forces)[number % len(self.forces)]
            agency, _ = self.agencies[(force_name, "Bench Arrest Referral Team")]
            self._user(f"bench.load.{number:02d}", groups[Role.PARTNER], agency=agency)
        ensure_bench_strategy()

    def _user(self, username, group, agency=None):
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "Bench", "last_name": username, "agency": agency}
        )
        if created:
            user.password = self.password_hash  # hashed once: PBKDF2 is slow on purpose
            user.save()
            user.groups.add(group)
        return user

    # --- records ---------------------------------------------------------------------------------

    def day(self):
        """Any day of the period (a backdated entry)."""
        return self.days[int(self.rng.random() * len(self.days))]

    def days_in_order(self, expected):
        """Days for `expected` records as they arrive: in date order over the period, as a
        service records them, with BACKDATED of them entered late (a random earlier day). The
        order matters: it is how the rows lie on disk, which decides what a month's query reads."""
        rng, days, count = self.rng, self.days, len(self.days)
        in_order = expected * (1 - BACKDATED)
        number = 0
        while True:
            if rng.random() < BACKDATED:
                yield self.day()
            else:
                yield days[min(count - 1, int((number + rng.random()) * count / in_order))]
                number += 1

    def place(self):
        """(force name, force id, district id)."""
        force_name = self.force_picker(self.rng)
        area_ids = self.area_ids[force_name]
        return force_name, self.force_ids[force_name], area_ids[int(self.rng.random() * len(area_ids))]

    def priced(self, drug_id, unit, day, force_id):
        """(class, Valuation of one unit) in force on the day in the force, as the services
        find them (the value of a quantity: seizures.pricing.value_at)."""
        key = (drug_id, unit, day, force_id)
        found = self.pricing.get(key)
        if found is None:
            found = self.pricing[key] = (
                self.book.class_of(drug_id, day),
                self.book.valuation(drug_id, unit, 1, day, force_id),
            )
        return found

    def generate(self, seizure_items):
        seizure_count = max(
            1, round(seizure_items / (sum(k * w for k, w in ITEMS_PER_SEIZURE.items()) / 100))
        )
        warrants = self.write_warrants(max(1, round(seizure_count * WARRANTS_PER_SEIZURE)))
        self.write_seizures(seizure_items, warrants)
        self.write_offences(max(1, round(seizure_count * OFFENCES_PER_SEIZURE)), warrants)
        self.write_referrals(max(1, round(seizure_count * REFERRALS_PER_SEIZURE)))
        for source, days in self.months.items():
            mark_changed(source, *days)
        self.writer.finish([Warrant, Seizure, SeizureItem, Offence, Referral, ReferralTransition])
        return self.counts

    def _withdrawal(self, withdrawn, day):
        if not withdrawn:
            return None, None, ""
        return aware(day, 16), self.analyst.pk, "Recorded twice in error"

    def _flush(self, model, columns, rows, name):
        self.writer.write(model, columns, rows)
        self.counts[name] += len(rows)
        rows.clear()


def ensure_bench_strategy():
    """The demo strategy's goals and indicators (no rollup, no targets yet)."""
    strategy, _ = Strategy.objects.get_or_create(
        name=STRATEGY_NAME, defaults={"start": STRATEGY_START, "end": STRATEGY_END}
    )
    for order, (strand, title, indicators) in enumerate(GOALS):
        goal, _ = Goal.objects.get_or_create(
            strategy=strategy, title=title, defaults={"strand": strand, "order": order}
        )
        for position, (slug, indicator_title, metric, options) in enumerate(indicators):
            Indicator.objects.get_or_create(
                slug=slug,
                defaults={
                    "goal": goal,
                    "title": indicator_title,
                    "metric": metric,
                    "order": position,
                    **options,
                },
            )
    return strategy


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

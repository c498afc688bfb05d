"""Realistic volumes of records for the benchmarks (`manage.py generate_bench_data`).

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
filled: the benchmarks read records and facts, not change history.
"""

import datetime
import functools
import hashlib
import hmac
import json
import math
import random
import uuid
from bisect import bisect
from decimal import Decimal
from itertools import accumulate

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.db.models import JSONField
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from accounts.models import Agency, Role, User
from core.models import mark_changed
from core.periods import financial_year, financial_year_of
from geography.models import Area, Force
from offences.models import GROUP_OF, MAX_PLANTS, Offence, OffenceType, Outcome, SiteType
from partners.choices import CLOSED_STATUSES, DipTestResult, Pathway, Sex, Status, Substance, age_band_for
from partners.demo import referral_journey
from partners.models import ReferenceSequence, Referral, ReferralTransition
from seizures.models import Drug, Seizure, SeizureItem, Warrant
from seizures.models.units import MAX_QUANTITY
from seizures.pricing import PriceBook, value_in_pence

from .models import Goal, Indicator, Strategy

BENCH_PASSWORD = "Bench-Load-Test-2026"
CHUNK = 20_000  # seizures per write

# Per seizure, from the Home Office returns for the two forces (see the module docstring).
OFFENCES_PER_SEIZURE = 0.72
WARRANTS_PER_SEIZURE = 0.12
REFERRALS_PER_SEIZURE = 0.2
WITHDRAWN_SHARE = 0.01  # records withdrawn with a reason, which lists and figures leave out
BACKDATED = 0.05  # records entered well after their date

# Seizures a year: (prefix, weight) — Warwickshire 1,300, West Mercia 3,000.
FORCE_WEIGHTS = {"Warwickshire": ("WK", 1300), "West Mercia": ("WM", 3000)}
ITEMS_PER_SEIZURE = {1: 75, 2: 18, 3: 7}  # mean 1.32

# Seizures containing each drug per 1,000 (Home Office returns 2018-19, both forces), with the
# unit, median quantity, spread (lognormal sigma) and decimal places of a typical seizure.
DRUGS = {
    "herbal-cannabis": (520, "g", 8, 1.6, 1),
    "cannabis-resin": (40, "g", 5, 1.3, 1),
    "cannabis-plants": (130, "plants", 12, 1.2, 0),
    "cocaine": (110, "g", 4, 1.5, 2),
    "crack": (60, "g", 2, 1.3, 2),
    "heroin": (50, "g", 3, 1.4, 2),
    "ecstasy": (10, "doses", 6, 1.2, 0),
    "methadone": (8, "ml", 60, 0.8, 0),
    "morphine": (5, "doses", 10, 0.9, 0),
    "amphetamines": (20, "g", 6, 1.2, 1),
    "synthetic-cannabinoids": (15, "g", 4, 1.2, 1),
    "ketamine": (8, "g", 3, 1.2, 1),
    "mephedrone": (3, "g", 3, 1.0, 1),
    "anabolic-steroids": (7, "g", 40, 1.0, 0),
    "benzodiazepines": (15, "doses", 20, 1.1, 0),
    "nitrous-oxide": (5, "g", 600, 1.2, 0),
    "ghb": (1, "ml", 30, 0.8, 0),
    "lsd": (1, "doses", 5, 0.8, 0),
    "temazepam": (1, "doses", 14, 0.8, 0),
}
PLACES = [
    "Stop and search, town centre",
    "Vehicle stop",
    "Residential address, bedroom",
    "Residential address, kitchen",
    "Commercial unit converted for cultivation",
    "Railway station",
    "Night-time economy venue",
    "Public park",
]
OFFENCE_TYPES = {
    OffenceType.POSSESSION_OF_CANNABIS: 44,
    OffenceType.POSSESSION_OTHER: 26,
    OffenceType.POSSESSION_WITH_INTENT: 9,
    OffenceType.SUPPLY: 6,
    OffenceType.CONCERNED_IN_SUPPLY: 4,
    OffenceType.PRODUCTION_OF_CANNABIS: 8,
    OffenceType.PERMITTING_PREMISES: 1,
    OffenceType.IMPORT_EXPORT: 1,
    OffenceType.OTHER: 1,
}
OUTCOMES = {
    Outcome.CHARGED: 28,
    Outcome.CAUTION: 8,
    Outcome.CANNABIS_KHAT_WARNING: 14,
    Outcome.COMMUNITY_RESOLUTION: 16,
    Outcome.PENALTY_NOTICE: 3,
    Outcome.EVIDENTIAL_DIFFICULTIES: 18,
    Outcome.NO_SUSPECT: 8,
    Outcome.NOT_IN_PUBLIC_INTEREST: 5,
}
PATHWAYS = {
    Pathway.DIP_TEST_ON_ARREST: 18,
    Pathway.DIP_ASSESSMENT_INITIAL: 10,
    Pathway.DIP_ASSESSMENT_FOLLOW_UP: 6,
    Pathway.ARREST_REFERRAL: 16,
    Pathway.EARLY_INTERVENTION: 14,
    Pathway.TREATMENT: 28,
    Pathway.OTHER: 4,
}
POLICE_PATHWAYS = {
    Pathway.DIP_TEST_ON_ARREST,
    Pathway.DIP_ASSESSMENT_INITIAL,
    Pathway.DIP_ASSESSMENT_FOLLOW_UP,
    Pathway.ARREST_REFERRAL,
}
LETTERS = "ABCDEFGHIJKLMNOPRSTW"
# (name suffix, kind): one of each per force; police teams refer, treatment services receive.
AGENCY_KINDS = [
    ("Bench Arrest Referral Team", Agency.Kind.POLICE),
    ("Bench Recovery Service", Agency.Kind.TREATMENT),
    ("Bench Young People's Service", Agency.Kind.TREATMENT),
    ("Bench Schools Service", Agency.Kind.SCHOOL),
    ("Bench Community Health", Agency.Kind.HEALTH),
]
SUBMISSIONS = uuid.UUID("6b0e0d4e-3c52-4d0e-9d55-2f1f6a1b2c3d")  # submission keys: uuid5 of the id
LOAD_USERS = 20  # partner users for the load run, one per concurrent client


class _Picker:
    """Weighted choice with a precomputed cumulative table (random.choices is slower per call)."""

    def __init__(self, weights):
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def __call__(self, rng):
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class _Ids:
    """Ids handed out here, continuing after the largest already stored."""

    def __init__(self, model):
        from django.db.models import Max

        self.model = model
        self.last = model.objects.aggregate(last=Max("pk"))["last"] or 0

    def next(self):
        self.last += 1
        return self.last


class _Writer:
    """COPY on PostgreSQL, executemany INSERT elsewhere; rows are tuples in `columns` order."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def write(self, model, columns, rows):
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                # Rows are formatted here while the server ingests the previous buffer.
                writer = QueuedLibpqWriter(cursor.cursor)
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN", writer=writer) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    [self._prepared(model, columns, row) for row in rows],
                )

    @staticmethod
    def _prepared(model, columns, row):
        """Values as the model's fields store them (UUIDs as text on SQLite); JSON arrives encoded."""
        fields = [model._meta.get_field(column.removesuffix("_id")) for column in columns]
        return [
            value
            if value is None or isinstance(field, JSONField)
            else field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row, strict=True)
        ]

    def finish(self, models):
        """Move each id sequence past the ids given out here, and refresh the planner's statistics."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f"GREATEST((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 1))",
                    [table],
                )


@functools.cache
def _aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _lognormal_quantity(rng, median, sigma, places, unit):
    value = median * math.exp(rng.gauss(0, sigma))
    smallest = Decimal(1).scaleb(-places)
    quantity = max(Decimal(str(round(value, places))), smallest)
    return min(quantity, MAX_QUANTITY[unit])


class Generator:
    def __init__(self, *, seed, first_day, last_day, stdout=None):
        self.rng = random.Random(seed)
        self.first_day, self.last_day = first_day, last_day
        self.span = (last_day - first_day).days
        self.stdout = stdout
        self.writer = _Writer()
        self.now = timezone.now()
        self.forces = {force.name: force for force in Force.objects.filter(name__in=FORCE_WEIGHTS)}
        self.force_picker = _Picker({name: weight for name, (_, weight) in FORCE_WEIGHTS.items()})
        self.areas = {
            name: list(Area.objects.filter(force=force).order_by("ons_code"))
            for name, force in self.forces.items()
        }
        self.force_ids = {name: force.pk for name, force in self.forces.items()}
        self.area_ids = {name: [area.pk for area in areas] for name, areas in self.areas.items()}
        self.days = [first_day + datetime.timedelta(days=n) for n in range(self.span + 1)]
        self.drugs = {drug.code: drug.pk for drug in Drug.objects.filter(code__in=DRUGS)}
        self.drug_picker = _Picker({code: spec[0] for code, spec in DRUGS.items()})
        self.items_picker = _Picker(ITEMS_PER_SEIZURE)
        self.offence_picker = _Picker(OFFENCE_TYPES)
        self.outcome_picker = _Picker(OUTCOMES)
        self.pathway_picker = _Picker(PATHWAYS)
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

    def priced(self, drug_id, unit, day):
        """(class, price id, price per unit, price) in force on the day, as the services find them."""
        key = (drug_id, unit, day)
        found = self.pricing.get(key)
        if found is None:
            price = self.book.price_for(drug_id, unit, day)
            found = self.pricing[key] = (
                self.book.class_of(drug_id, day),
                price.pk if price else None,
                price.price_per_unit_pence if price else None,
                price,
            )
        return found

    def generate(self, seizure_items):
        seizure_count = max(
            1, round(seizure_items / (sum(k * w for k, w in ITEMS_PER_SEIZURE.items()) / 100))
        )
        warrants = self._warrants(max(1, round(seizure_count * WARRANTS_PER_SEIZURE)))
        self._seizures(seizure_items, warrants)
        self._offences(max(1, round(seizure_count * OFFENCES_PER_SEIZURE)), warrants)
        self._referrals(max(1, round(seizure_count * REFERRALS_PER_SEIZURE)))
        for source, days in self.months.items():
            mark_changed(source, *days)
        self.writer.finish([Warrant, Seizure, SeizureItem, Offence, Referral, ReferralTransition])
        return self.counts

    def _warrants(self, count):
        ids = _Ids(Warrant)
        columns = [
            "id",
            "reference",
            "force_id",
            "area_id",
            "applied_on",
            "issued_on",
            "executed_on",
            "result",
            "arrests",
            "notes",
            "dated_on",
            "withdrawn_at",
            "withdrawn_by_id",
            "withdrawal_reason",
        ]
        rows, drugs_found = [], []
        rng, dates = self.rng, self.days_in_order(count)
        for _ in range(count):
            force_name, force_id, area_id = self.place()
            pk = ids.next()
            issued = next(dates)
            roll = rng.random()
            executed = min(issued + datetime.timedelta(days=rng.randint(0, 14)), self.last_day)
            if roll < 0.55:
                result, arrests = Warrant.Result.DRUGS_FOUND, rng.choice([0, 1, 1, 1, 2, 2, 3])
            elif roll < 0.9:
                result, arrests = Warrant.Result.NOTHING_FOUND, rng.choice([0, 0, 0, 1])
            else:
                result, arrests, executed = Warrant.Result.NOT_EXECUTED, 0, None
            withdrawn = rng.random() < WITHDRAWN_SHARE
            rows.append(
                (
                    pk, f"{FORCE_WEIGHTS[force_name][0]}-W-{pk:07d}", force_id, area_id,
                    issued - datetime.timedelta(days=rng.randint(0, 3)), issued, executed, result, arrests,
                    "", executed or issued, *self._withdrawal(withdrawn, executed or issued),
                )
            )  # fmt: skip
            self.months["seizures"].add(executed or issued)
            if result == Warrant.Result.DRUGS_FOUND and not withdrawn:
                drugs_found.append((force_name, force_id, area_id, executed, pk))
        self.writer.write(Warrant, columns, rows)
        self.counts["warrants"] += len(rows)
        return drugs_found

    def _withdrawal(self, withdrawn, day):
        if not withdrawn:
            return None, None, ""
        return _aware(day, 16), self.analyst.pk, "Recorded twice in error"

    def _seizures(self, item_total, warrants):
        seizure_ids, item_ids = _Ids(Seizure), _Ids(SeizureItem)
        seizure_columns = [
            "id",
            "reference",
            "seized_on",
            "force_id",
            "area_id",
            "place",
            "postcode",
            "warrant_id",
            "notes",
            "withdrawn_at",
            "withdrawn_by_id",
            "withdrawal_reason",
        ]
        item_columns = [
            "id",
            "seizure_id",
            "drug_id",
            "quantity",
            "unit",
            "drug_class",
            "price_id",
            "price_per_unit_pence",
            "value_pence",
            "priced_at",
        ]
        rng, made = self.rng, 0
        seizures, items = [], []
        mean_items = sum(k * w for k, w in ITEMS_PER_SEIZURE.items()) / sum(ITEMS_PER_SEIZURE.values())
        dates = self.days_in_order(item_total / mean_items)
        # Seizures made when executing a warrant that found drugs come in date order among the rest.
        pending = sorted(warrants, key=lambda warrant: warrant[3], reverse=True)
        while made < item_total:
            day = next(dates)
            if pending and pending[-1][3] <= day:
                force_name, force_id, area_id, day, warrant_id = pending.pop()
            else:
                force_name, force_id, area_id = self.place()
                warrant_id = None
            pk = seizure_ids.next()
            seizures.append(
                (
                    pk, f"{FORCE_WEIGHTS[force_name][0]}-S-{pk:08d}", day, force_id, area_id,
                    PLACES[int(rng.random() * len(PLACES))], "", warrant_id, "",
                    *self._withdrawal(rng.random() < WITHDRAWN_SHARE, day),
                )
            )  # fmt: skip
            self.months["seizures"].add(day)
            for _ in range(min(self.items_picker(rng), item_total - made)):
                code = self.drug_picker(rng)
                _, unit, median, sigma, places = DRUGS[code]
                drug_id = self.drugs[code]
                quantity = _lognormal_quantity(rng, median, sigma, places, unit)
                drug_class, price_id, per_unit, price = self.priced(drug_id, unit, day)
                items.append(
                    (
                        item_ids.next(), pk, drug_id, quantity, unit, drug_class, price_id, per_unit,
                        value_in_pence(quantity, unit, price, per_unit) if price else None, self.now,
                    )
                )  # fmt: skip
                made += 1
            if len(seizures) >= CHUNK:
                self._flush_seizures(seizure_columns, seizures, item_columns, items)
        self._flush_seizures(seizure_columns, seizures, item_columns, items)

    def _flush_seizures(self, seizure_columns, seizures, item_columns, items):
        self.writer.write(Seizure, seizure_columns, seizures)
        self.writer.write(SeizureItem, item_columns, items)
        self.counts["seizures"] += len(seizures)
        self.counts["items"] += len(items)
        seizures.clear()
        items.clear()
        if self.stdout:
            self.stdout.write(f"  {self.counts['seizures']:,} seizures, {self.counts['items']:,} items")

    def _offences(self, count, warrants):
        ids = _Ids(Offence)
        columns = [
            "id",
            "crime_reference",
            "recorded_date",
            "force_id",
            "area_id",
            "offence_type",
            "offence_group",
            "cultivation",
            "plants",
            "site_type",
            "factory",
            "outcome",
            "outcome_date",
            "warrant_id",
            "withdrawn_at",
            "withdrawn_by_id",
            "withdrawal_reason",
        ]
        rng, rows = self.rng, []
        by_force = {}
        for _, force_id, _, day, warrant_id in warrants:
            by_force.setdefault(force_id, []).append((day, warrant_id))
        site_types = list(SiteType.values)
        dates = self.days_in_order(count)
        for _ in range(count):
            force_name, force_id, area_id = self.place()
            pk = ids.next()
            recorded = next(dates)
            offence_type = self.offence_picker(rng)
            group = GROUP_OF[offence_type]
            cultivation = offence_type == OffenceType.PRODUCTION_OF_CANNABIS
            plants = site_type = None
            factory = False
            if cultivation:
                factory = rng.random() < 0.12
                site_type = "commercial" if factory else site_types[int(rng.random() * len(site_types))]
                plants = min(MAX_PLANTS, int(rng.lognormvariate(math.log(300 if factory else 12), 0.9)))
            outcome, outcome_date = "ongoing", None
            if (self.last_day - recorded).days > 30 or rng.random() < 0.3:
                outcome = self.outcome_picker(rng)
                if outcome == "drugs_warning" and group not in ("92D", "92E"):
                    outcome = "community_resolution"  # a warning is only for possession
                outcome_date = min(recorded + datetime.timedelta(days=rng.randint(0, 120)), self.last_day)
            warrant_id = None
            if group == "92A" and by_force.get(force_id) and rng.random() < 0.2:
                warrant_day, warrant_id = rng.choice(by_force[force_id])
                recorded = max(recorded, warrant_day)
                if outcome_date and outcome_date < recorded:
                    outcome_date = recorded
            rows.append(
                (
                    pk, f"{FORCE_WEIGHTS[force_name][0]}/{pk:08d}/{recorded:%y}", recorded, force_id, area_id,
                    offence_type, group, cultivation, plants, site_type or "", factory, outcome, outcome_date,
                    warrant_id, *self._withdrawal(rng.random() < WITHDRAWN_SHARE, recorded),
                )
            )  # fmt: skip
            self.months["offences"].update({recorded, outcome_date})
            if len(rows) >= CHUNK:
                self._flush(Offence, columns, rows, "offences")
        self._flush(Offence, columns, rows, "offences")

    def _flush(self, model, columns, rows, name):
        self.writer.write(model, columns, rows)
        self.counts[name] += len(rows)
        rows.clear()

    def _referrals(self, count):
        ids, transition_ids = _Ids(Referral), _Ids(ReferralTransition)
        columns = [
            "id",
            "reference",
            "submission_key",
            "submission_fingerprint",
            "pathway",
            "referral_date",
            "area_id",
            "submitting_agency_id",
            "submitted_by_id",
            "receiving_agency_id",
            "substances",
            "dip_test_result",
            "notes",
            "consent_recorded",
            "subject_first_initial",
            "subject_surname_initial",
            "subject_date_of_birth",
            "subject_sex",
            "subject_key",
            "age_band",
            "possible_repeat",
            "identifiers_cleared_at",
            "status",
            "status_changed_at",
            "entered_treatment_on",
            "days_to_treatment",
            "closed_on",
            "created_at",
            "acknowledged_at",
            "withdrawn_at",
            "withdrawn_by_id",
            "withdrawal_reason",
        ]
        transition_columns = [
            "id",
            "referral_id",
            "from_status",
            "to_status",
            "by_id",
            "by_agency_id",
            "at",
            "effective_on",
            "note",
        ]
        numbers = dict(ReferenceSequence.objects.values_list("year", "last_number"))
        key = settings.PSEUDONYMISATION_KEY.encode()
        rng, rows, transitions = self.rng, [], []
        substance_values, dip_results = list(Substance.values), list(DipTestResult.values)
        dates = self.days_in_order(count)
        for _ in range(count):
            force_name, _, area_id = self.place()
            pk = ids.next()
            day = next(dates)
            pathway = self.pathway_picker(rng)
            if pathway in POLICE_PATHWAYS:
                submitting, submitter = self.agencies[(force_name, "Bench Arrest Referral Team")]
            elif pathway == Pathway.EARLY_INTERVENTION:
                submitting, submitter = self.agencies[(force_name, "Bench Schools Service")]
            else:
                submitting, submitter = self.agencies[(force_name, "Bench Community Health")]
            young = pathway == Pathway.EARLY_INTERVENTION
            receiving, receiver = self.agencies[
                (force_name, "Bench Young People's Service" if young else "Bench Recovery Service")
            ]
            age = rng.randint(12, 17) if young else int(rng.triangular(18, 70, 32))
            born = day - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
            first, surname = rng.choice(LETTERS), rng.choice(LETTERS)
            sex = rng.choice([Sex.MALE, Sex.MALE, Sex.FEMALE])
            message = f"{first}|{surname}|{born.isoformat()}|{sex}".encode()
            substances = sorted({rng.choice(substance_values) for _ in range(rng.randint(1, 3))})
            numbers[day.year] = numbers.get(day.year, 0) + 1
            status, changed, treatment_on, days, closed_on = Status.SUBMITTED, day, None, None, None
            withdrawn = (None, None, "")
            previous = Status.SUBMITTED
            for to_status, on in referral_journey(rng, day, self.last_day):
                actor, actor_agency = (
                    (submitter, submitting) if to_status == Status.WITHDRAWN else (receiver, receiving)
                )
                transition = (transition_ids.next(), pk, previous, to_status, actor.pk, actor_agency.pk)
                transitions.append((*transition, _aware(on), on, ""))
                previous = status = to_status
                changed = on
                if to_status == Status.IN_TREATMENT:
                    treatment_on, days = on, (on - day).days
                if to_status in CLOSED_STATUSES:
                    closed_on = on
                if to_status == Status.WITHDRAWN:
                    withdrawn = (_aware(on), submitter.pk, "Referred in error")
                self.months["partners"].add(on)
            rows.append(
                (
                    pk, f"REF-{day.year}-{numbers[day.year]:06d}", uuid.uuid5(SUBMISSIONS, str(pk)), "",
                    pathway, day, area_id, submitting.pk, submitter.pk, receiving.pk, json.dumps(substances),
                    rng.choice(dip_results) if pathway == Pathway.DIP_TEST_ON_ARREST else "", "", True,
                    first, surname, born, sex, hmac.new(key, message, hashlib.sha256).hexdigest(),
                    age_band_for(born, day), False, None, status, _aware(changed), treatment_on, days,
                    closed_on, _aware(day, 9), None, *withdrawn,
                )
            )  # fmt: skip
            self.months["partners"].add(day)
            if len(rows) >= CHUNK:
                self._flush(Referral, columns, rows, "referrals")
                self._flush(ReferralTransition, transition_columns, transitions, "transitions")
        self._flush(Referral, columns, rows, "referrals")
        self._flush(ReferralTransition, transition_columns, transitions, "transitions")
        for year, last in numbers.items():
            ReferenceSequence.objects.update_or_create(year=year, defaults={"last_number": last})


def ensure_bench_strategy():
    """The demo strategy's goals and indicators (no rollup, no targets yet)."""
    from .demo import GOALS, STRATEGY_END, STRATEGY_NAME, STRATEGY_START

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

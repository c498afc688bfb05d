"""The nightly run rebuilds only the months marked changed; after any sequence of ordinary
changes, made through the services and the imports as users make them, its facts equal a full
rebuild's in every cell. A write path that forgets a month some metric counts by fails here."""

import contextlib
import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from geography.models import Area
from offences import services as offence_services
from offences.models import Offence, OffenceType, Outcome, SiteType
from partners import services as referral_services
from partners.choices import DipTestResult, Pathway, Status, TriggerOffence
from partners.models import Referral
from partners.retention import identifiers_clear_expired
from partners.workflow import AFTER_A_TEST_NOT_POSITIVE, MOVES, RECEIVING, ends_at_the_test
from seizures import repricing
from seizures import services as seizure_services
from seizures.models import Drug, RepriceJob, Seizure, Site, SizeBand, StreetPrice, Warrant
from strategy.models import DailyFact, Fact
from strategy.rollups import rollup_run
from tests.factories.imports import csv_bytes, import_bytes
from tests.factories.partners import referral_fields

FIRST_DAY = datetime.date(2024, 4, 1)
LAST_DAY = datetime.date(2026, 3, 31)
DAYS = (LAST_DAY - FIRST_DAY).days

# (drug code, quantity, unit): weights in grams and kilograms, plants and doses, so that every
# seizure metric (counts, value, kilograms, plants, doses, cocaine, herbal cannabis) has cells.
ITEMS = [
    ("cocaine", "3", "g"),
    ("cocaine", "1.5", "kg"),
    ("crack", "2", "g"),
    ("heroin", "1", "g"),
    ("herbal-cannabis", "25", "g"),
    ("cannabis-plants", "12", "plants"),
    ("ecstasy", "10", "doses"),
    ("cannabis-plants", "3.5", "kg"),  # a crop weighed: valued at the herbal price
    ("unknown", "2", "g"),  # no price: counted as unpriced
]
# Prices introduced during a run; each drug and unit is priced by the seeded table until then.
NEW_PRICES = [("cocaine", "g"), ("crack", "g"), ("herbal-cannabis", "g"), ("ecstasy", "doses")]
# What an offence is, as one consistent set of fields (the cultivation rules tie them together).
OFFENCE_KINDS = [
    {"offence_type": OffenceType.POSSESSION_OF_CANNABIS},
    {"offence_type": OffenceType.POSSESSION_OTHER},
    {"offence_type": OffenceType.SUPPLY},
    {
        "offence_type": OffenceType.PRODUCTION_OF_CANNABIS,
        "cultivation": True,
        "plants": 30,
        "site_type": SiteType.RESIDENTIAL,
    },
    {
        "offence_type": OffenceType.PRODUCTION_OF_CANNABIS,
        "cultivation": True,
        "plants": 400,
        "site_type": SiteType.COMMERCIAL,
        "at_site": True,
    },
    {"offence_type": OffenceType.POSSESSION_WITH_INTENT, "drug": "cocaine"},
    {"offence_type": OffenceType.SUPPLY, "drug": "herbal-cannabis"},
]
NOT_CULTIVATION = {"cultivation": False, "plants": None, "site_type": "", "site": None, "drug": None}
OUTCOMES = [Outcome.ONGOING, Outcome.CHARGED, Outcome.CHARGED, Outcome.CAUTION_ADULT, Outcome.DIVERSION]
TEST_RESULTS = [DipTestResult.OPIATES, DipTestResult.BOTH, DipTestResult.NEGATIVE, DipTestResult.REFUSED]
PATHWAYS = [
    Pathway.TREATMENT,
    Pathway.DIP_TEST_ON_ARREST,
    Pathway.DIP_ASSESSMENT_INITIAL,
    Pathway.ARREST_REFERRAL,
    Pathway.EARLY_INTERVENTION,
]
RESULTS = [Warrant.Result.DRUGS_FOUND, Warrant.Result.NOTHING_FOUND, Warrant.Result.NOT_EXECUTED]

CREATES = ["seizure_create", "warrant_create", "site_create", "offence_create", "referral_submit"]
CHANGES = [
    *CREATES,
    "site_update",
    "site_withdraw",
    "seizure_update",
    "seizure_withdraw",
    "price_then_reprice",
    "warrant_update",
    "warrant_withdraw",
    "offence_update",
    "offence_withdraw",
    "referral_update",
    "referral_move",
    "referral_move",  # a journey takes several moves
    "retention",
    "import_seizures",
    "import_warrants",
    "import_offences",
]


@st.composite
def steps(draw, names, *, extra):
    """Every one of `names` in some order, then up to `extra` more: each step what to do and
    three numbers that choose its record and its values."""
    number = st.integers(min_value=0, max_value=10_000)
    chosen = draw(st.permutations(names)) + draw(st.lists(st.sampled_from(names), max_size=extra))
    return [(name, draw(number), draw(number), draw(number)) for name in chosen]


def day(number):
    return FIRST_DAY + datetime.timedelta(days=number % DAYS)


def pick(records, number):
    return records[number % len(records)] if records else None


def cells():
    """Every monthly and daily fact (the daily ones of the months a dashboard cuts part way)."""
    monthly = {
        (f.metric, f.month, f.force_id, f.area_id, f.dimension, f.dimension_value): f.value
        for f in Fact.objects.all()
    }
    daily = {
        ("daily", f.metric, f.day, f.force_id, f.area_id, f.dimension, f.dimension_value): f.value
        for f in DailyFact.objects.all()
    }
    return {**monthly, **daily}


class Records:
    """Makes each step's change through the services (or an import), as users make it."""

    def __init__(self, *, analyst, referrer, receiver):
        self.analyst, self.referrer, self.receiver = analyst, referrer, receiver
        self.areas = list(Area.objects.in_alliance().select_related("force").order_by("ons_code"))
        self.drugs = {code: Drug.objects.get(code=code) for code in {code for code, _, _ in ITEMS}}
        self.bands = {band.category: band for band in SizeBand.objects.all()}
        self.numbered = 0

    def reference(self, prefix):
        self.numbered += 1
        return f"{prefix}-{self.numbered:05d}"

    def do(self, name, a, b, c):
        # A change refused, as a user's would be (a warrant's issue moved after its seizures), is
        # no change.
        with contextlib.suppress(ValidationError):
            getattr(self, name)(a, b, c)

    # --- seizures ------------------------------------------------------------------------------

    def live_seizures(self):
        return list(Seizure.objects.live().order_by("pk"))

    def items(self, number):
        chosen = {number % len(ITEMS), (number // 7) % len(ITEMS)}
        return [
            {"drug": self.drugs[code], "quantity": Decimal(quantity), "unit": unit}
            for code, quantity, unit in (ITEMS[index] for index in sorted(chosen))
        ]

    def warrant_of(self, force, number, on=None):
        """A live warrant of the force (issued by `on`), or None (about half the time)."""
        if number % 2:
            return None
        warrants = Warrant.objects.live().filter(force=force).order_by("pk")
        if on is not None:
            warrants = warrants.filter(issued_on__lte=on)
        return pick(list(warrants), number // 2)

    def seizure_create(self, a, b, c):
        area = pick(self.areas, b)
        seizure_services.seizure_create(
            user=self.analyst,
            reference=self.reference("S"),
            seized_on=day(a),
            force=area.force,
            area=area,
            place="Vehicle stop",
            warrant=self.warrant_of(area.force, c, on=day(a)),
            items=self.items(c),
        )

    def seizure_update(self, a, b, c):
        seizure = pick(self.live_seizures(), a)
        if seizure is None:
            return
        changes = {}
        if b % 2 == 0:
            changes["seized_on"] = day(c)
        on = changes.get("seized_on", seizure.seized_on)
        if b % 3 == 0:
            area = pick(self.areas, c)  # to another force's district too
            changes.update(force=area.force, area=area, warrant=self.warrant_of(area.force, b, on=on))
            changes["site"] = None
        if b % 5 == 0 and "force" not in changes:
            changes["warrant"] = self.warrant_of(seizure.force, c, on=on)
        if seizure.warrant_id and "warrant" not in changes and on < seizure.warrant.issued_on:
            changes["warrant"] = None
        items = None
        if b % 4 in (1, 3):
            kept = [
                {"id": item.pk, "drug": item.drug, "quantity": item.quantity * (1 + c % 3), "unit": item.unit}
                for item in seizure.items.order_by("pk")
            ]
            items = (kept[1:] if len(kept) > 1 and c % 2 else kept) + (
                self.items(c)[:1] if b % 4 == 3 else []
            )
        seizure_services.seizure_update(seizure=seizure, user=self.analyst, items=items, **changes)

    def seizure_withdraw(self, a, b, c):
        seizure = pick(self.live_seizures(), a)
        if seizure is not None:
            seizure_services.seizure_withdraw(seizure=seizure, user=self.analyst, reason="Recorded twice")

    def price_then_reprice(self, a, b, c):
        code, unit = pick(NEW_PRICES, a)
        drug = self.drugs[code]
        # The alliance default, or a force's own table (which wins for its seizures).
        force = None if b % 2 else pick(self.areas, c).force
        table = StreetPrice.objects.filter(drug=drug, unit=unit).of_table(force)
        latest = table.aggregate(latest=Max("valid_from"))["latest"]
        price = seizure_services.street_price_introduce(
            user=self.analyst,
            force=force,
            drug=drug,
            unit=unit,
            price_per_unit_pence=1000 + b % 9000,
            valid_from=max(day(b), latest + datetime.timedelta(days=1)) if latest else day(b),
            source="Force price table, revised",
        )
        if c % 2:
            # Every item the row affects, re-priced by the background job (run here at once).
            job = RepriceJob.objects.create(price=price, requested_by=self.analyst)
            repricing.reprice_job_run(job.pk)
            return
        with_the_drug = [s for s in self.live_seizures() if s.items.filter(drug=drug).exists()]
        seizure = pick(with_the_drug, c) or pick(self.live_seizures(), c)
        if seizure is not None:
            seizure_services.seizure_reprice(seizure=seizure, user=self.analyst)

    # --- warrants ------------------------------------------------------------------------------

    def live_warrants(self):
        return list(Warrant.objects.live().order_by("pk"))

    @staticmethod
    def warrant_dates(issued, number):
        """Issue, execution (within the three months PACE allows) and result fields."""
        result = pick(RESULTS, number)
        executed = None
        if result != Warrant.Result.NOT_EXECUTED:
            executed = min(issued + datetime.timedelta(days=number % 85), LAST_DAY)
        return {
            "applied_on": issued - datetime.timedelta(days=1),
            "issued_on": issued,
            "executed_on": executed,
            "result": result,
            "arrests": number % 3 if executed else 0,
            "cash_seized_pence": (number % 5) * 12_345 if executed else 0,
        }

    def warrant_create(self, a, b, c):
        area = pick(self.areas, b)
        seizure_services.warrant_create(
            user=self.analyst,
            reference=self.reference("W"),
            force=area.force,
            area=area,
            **self.warrant_dates(day(a), c),
        )

    def warrant_update(self, a, b, c):
        warrant = pick(self.live_warrants(), a)
        if warrant is None:
            return
        if b % 3 == 0:  # issued (and so executed) on other days
            changes = self.warrant_dates(day(c), b // 3)
        elif b % 3 == 1:  # the result corrected, executed on another day or not at all
            changes = self.warrant_dates(warrant.issued_on, c)
        else:  # another district
            area = pick([area for area in self.areas if area.force_id == warrant.force_id], c)
            changes = {"area": area}
        seizure_services.warrant_update(warrant=warrant, user=self.analyst, **changes)

    def warrant_withdraw(self, a, b, c):
        warrant = pick(self.live_warrants(), a)
        if warrant is not None:
            seizure_services.warrant_withdraw(warrant=warrant, user=self.analyst, reason="Entered in error")

    # --- cannabis factories ----------------------------------------------------------------------

    def live_sites(self):
        return list(Site.objects.live().order_by("pk"))

    def site_dates(self, found, number):
        closed = None if number % 4 == 0 else min(found + datetime.timedelta(days=number % 40), LAST_DAY)
        return {"discovered_on": found, "closed_on": closed}

    def site_create(self, a, b, c):
        area = pick(self.areas, b)
        plants = [6, 20, 300, 1500][c % 4]
        seizure_services.site_create(
            user=self.analyst,
            reference=self.reference("F"),
            force=area.force,
            area=area,
            premises="residential",
            plants=plants,
            size_band=self.bands[1 + c % 2] if plants > 28 else None,
            **self.site_dates(day(a), c),
        )

    def site_update(self, a, b, c):
        site = pick(self.live_sites(), a)
        if site is None:
            return
        if b % 3 == 0:  # discovered and closed on other days
            changes = self.site_dates(day(c), b)
        elif b % 3 == 1:  # closed now, or reopened
            changes = {"closed_on": None if site.closed_on else site.discovered_on}
        else:  # another district and band
            changes = {
                "area": pick([area for area in self.areas if area.force_id == site.force_id], c),
                "plants": 500,
                "size_band": self.bands[1 + c % 2],
            }
        seizure_services.site_update(site=site, user=self.analyst, **changes)

    def site_withdraw(self, a, b, c):
        site = pick(self.live_sites(), a)
        if site is not None:
            seizure_services.site_withdraw(site=site, user=self.analyst, reason="Recorded twice")

    # --- offences ------------------------------------------------------------------------------

    def live_offences(self):
        return list(Offence.objects.live().order_by("pk"))

    def offence_kind(self, number, force=None):
        kind = {**NOT_CULTIVATION, **pick(OFFENCE_KINDS, number)}
        if kind.pop("at_site", False):
            sites = [site for site in self.live_sites() if force is None or site.force_id == force.pk]
            kind["site"] = pick(sites, number // 7)
        if kind["drug"]:
            kind["drug"] = self.drugs.get(kind["drug"]) or Drug.objects.get(code=kind["drug"])
        return kind

    @staticmethod
    def outcome(recorded, number):
        outcome = pick(OUTCOMES, number)
        if outcome == Outcome.ONGOING:
            return {"outcome": outcome, "outcome_date": None}
        return {
            "outcome": outcome,
            "outcome_date": min(recorded + datetime.timedelta(days=number % 120), LAST_DAY),
        }

    def offence_create(self, a, b, c):
        area = pick(self.areas, b)
        recorded = day(a)
        offence_services.offence_create(
            user=self.analyst,
            crime_reference=self.reference("23/O"),
            recorded_date=recorded,
            force=area.force,
            area=area,
            **self.offence_kind(c, area.force),
            **self.outcome(recorded, c // 5),
        )

    def offence_update(self, a, b, c):
        offence = pick(self.live_offences(), a)
        if offence is None:
            return
        recorded = offence.recorded_date
        changes = {}
        if b % 3 == 0:
            recorded = changes["recorded_date"] = day(c)
        if b % 3 != 2:  # an outcome recorded or corrected (its date too)
            changes.update(self.outcome(recorded, c // 3))
        if b % 4 == 0:
            changes.update(self.offence_kind(c, offence.force))
        if b % 5 == 0:
            changes["area"] = pick([area for area in self.areas if area.force_id == offence.force_id], c)
        offence_services.offence_update(offence=offence, user=self.analyst, **changes)

    def offence_withdraw(self, a, b, c):
        offence = pick(self.live_offences(), a)
        if offence is not None:
            offence_services.offence_withdraw(offence=offence, user=self.analyst, reason="Not a drug offence")

    # --- referrals -----------------------------------------------------------------------------

    @staticmethod
    def pathway(number):
        """A pathway and what goes with it. Every referral here is of one of two people (an adult,
        and a young person in early intervention), so journeys, entries counted once per person
        and re-presentations change with every step."""
        pathway = pick(PATHWAYS, number)
        test = pathway == Pathway.DIP_TEST_ON_ARREST
        return {
            "pathway": pathway,
            "dip_test_result": pick(TEST_RESULTS, number // 5) if test else "",
            "trigger_offence": TriggerOffence.THEFT if test else "",
            "subject_date_of_birth": datetime.date(2010, 5, 17)
            if pathway == Pathway.EARLY_INTERVENTION
            else datetime.date(1990, 5, 17),
        }

    def referral_submit(self, a, b, c):
        referral_services.referral_submit(
            user=self.referrer,
            submission_key=uuid.uuid5(uuid.NAMESPACE_URL, self.reference("R")),
            **referral_fields(
                receiving_agency=self.receiver.agency,
                referral_date=day(a),
                area=pick(self.areas, b),
                **self.pathway(c),
            ),
        )

    def referrals(self, **conditions):
        return list(Referral.objects.filter(withdrawn_at__isnull=True, **conditions).order_by("pk"))

    def referral_update(self, a, b, c):
        # Cleared by the retention rule (open and untouched for years): nobody can change it.
        referral = pick(self.referrals(status=Status.SUBMITTED, identifiers_cleared_at__isnull=True), a)
        if referral is None:
            return
        changes = {}
        if b % 2 == 0:
            changes["referral_date"] = day(c)
        if b % 3 == 0:
            changes["area"] = pick(self.areas, c)
        if b % 5 == 0:
            changes.update(self.pathway(c))
        referral_services.referral_update(referral=referral, user=self.referrer, **changes)

    def referral_move(self, a, b, c):
        """A few steps of a journey: mostly along the main path to treatment and its completion,
        sometimes declined, found not eligible, disengaged or withdrawn by the referrer."""
        closed = [Status.COMPLETED, Status.DECLINED, Status.NOT_ELIGIBLE, Status.DISENGAGED]
        referral = pick(self.referrals(status__in=[s for s in Status if s not in closed]), a)
        for step in range(1 + b % 4 if referral else 0):
            moves = [move for move in MOVES if move.source == referral.status]
            if ends_at_the_test(referral):  # a negative or refused test goes no further
                moves = [move for move in moves if move.target in AFTER_A_TEST_NOT_POSITIVE]
            if referral.is_withdrawn or not moves:
                return
            move = pick(moves, c // 7) if (b // 4 + step) % 4 == 0 else moves[0]
            latest = referral.transitions.aggregate(latest=Max("effective_on"))["latest"]
            referral = referral_services.referral_transition(
                referral=referral,
                user=self.receiver if move.by == RECEIVING else self.referrer,
                to_status=move.target,
                note="Recorded by the service",
                effective_on=min(
                    (latest or referral.referral_date) + datetime.timedelta(days=c % 60), LAST_DAY
                ),
            )

    def retention(self, a, b, c):
        # Far enough ahead that every closed referral's identifiers are cleared.
        identifiers_clear_expired(today=LAST_DAY + datetime.timedelta(days=3650))

    # --- imports -------------------------------------------------------------------------------

    def imported(self, header, rows, record_type):
        batch = import_bytes(f"{record_type}.csv", csv_bytes(header, rows), record_type, user=self.analyst)
        assert batch.status == "done", batch.row_errors

    def import_seizures(self, a, b, c):
        """A new seizure of two drugs, and an existing one moved to another day with other drugs."""
        header = ["Reference", "Date seized", "Force", "District", "Place", "Drug", "Quantity", "Unit"]
        rows = []
        area = pick(self.areas, b)
        new = [self.reference("IS"), day(a).isoformat(), area.force.name, area.ons_code, "A garage"]
        rows += [[*new, code, quantity, unit] for code, quantity, unit in (ITEMS[c % 7], ITEMS[(c + 3) % 7])]
        seizure = pick(self.live_seizures(), c)
        if seizure is not None:
            moved = [
                seizure.reference,
                day(b).isoformat(),
                seizure.force.name,
                seizure.area.ons_code,
                "A garage",
            ]
            rows.append([*moved, *ITEMS[(a + c) % 7]])
        self.imported(header, rows, "seizures")

    def import_warrants(self, a, b, c):
        """A new warrant, and an existing one issued and executed on other days."""
        header = ["Reference", "Force", "District", "Date applied for", "Date issued", "Date executed",
                  "Result", "Arrests", "Cash seized (£)"]  # fmt: skip

        def row(reference, area, issued, number):
            dates = self.warrant_dates(issued, number)
            return [
                reference,
                area.force.name,
                area.ons_code,
                dates["applied_on"].isoformat(),
                issued.isoformat(),
                dates["executed_on"].isoformat() if dates["executed_on"] else "",
                dates["result"],
                str(dates["arrests"]),
                f"{dates['cash_seized_pence'] / 100:.2f}",
            ]

        rows = [row(self.reference("IW"), pick(self.areas, b), day(a), c)]
        warrant = pick(self.live_warrants(), c)
        if warrant is not None:
            # Issued no later than its first seizure (a file saying otherwise is refused).
            first_seized = (
                warrant.seizures.live().order_by("seized_on").values_list("seized_on", flat=True).first()
            )
            issued = min(day(b), first_seized) if first_seized else day(b)
            rows.append(row(warrant.reference, warrant.area, issued, a))
        self.imported(header, rows, "warrants")

    def import_offences(self, a, b, c):
        """A new offence, and an existing one with its outcome recorded or corrected."""
        header = ["Crime reference", "Date recorded", "Force", "District", "Offence type", "Cultivation",
                  "Plants", "Site type", "Drug", "Cannabis factory reference", "Outcome",
                  "Outcome date"]  # fmt: skip

        def row(reference, area, recorded, number):
            kind, outcome = self.offence_kind(number, area.force), self.outcome(recorded, number // 5)
            return [
                reference,
                recorded.isoformat(),
                area.force.name,
                area.ons_code,
                kind["offence_type"],
                "yes" if kind["cultivation"] else "no",
                "" if kind["plants"] is None else str(kind["plants"]),
                kind["site_type"],
                kind["drug"].code if kind["drug"] else "",
                kind["site"].reference if kind["site"] else "",
                outcome["outcome"],
                outcome["outcome_date"].isoformat() if outcome["outcome_date"] else "",
            ]

        rows = [row(self.reference("23/IO"), pick(self.areas, b), day(a), c)]
        offence = pick(self.live_offences(), c)
        if offence is not None:
            rows.append(row(offence.crime_reference, offence.area, day(b), a))
        self.imported(header, rows, "offences")


def differing(nightly, full):
    return "\n".join(
        f"{key}: nightly {nightly.get(key)}, full {full.get(key)}"
        for key in sorted(nightly.keys() | full.keys())
        if nightly.get(key) != full.get(key)
    )


# Deterministic in CI; no shrinking (each example builds records through the services, so
# shrinking a failure would take minutes — the failing example is printed as it is).
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=steps(CREATES, extra=8),
    changes=steps(CHANGES, extra=15),
    # The runs' days: within the records' years (so some records are dated after the figures'
    # last day), and the night's run up to ten weeks after the first (so across months).
    first_run=st.sampled_from([45, 200, 380, 560, 700, DAYS + 20]),
    days_later=st.sampled_from([0, 1, 3, 30, 70]),
)
def test_the_nightly_run_equals_a_full_rebuild_in_every_cell(
    first, changes, first_run, days_later, analyst, partner_a, partner_b
):
    first_today = FIRST_DAY + datetime.timedelta(days=first_run)
    night_today = first_today + datetime.timedelta(days=days_later)
    with transaction.atomic():
        records = Records(analyst=analyst, referrer=partner_a, receiver=partner_b)
        for step in first:
            records.do(*step)
        assert rollup_run(full=True, today=first_today).outcome == "succeeded"
        night = changes
        for step in night:
            records.do(*step)

        assert rollup_run(today=night_today).outcome == "succeeded"
        nightly = cells()
        assert rollup_run(full=True, today=night_today).outcome == "succeeded"
        full = cells()

        assert nightly == full, (
            f"After {first}, a full run on {first_today} and then {night} and the night's run on "
            f"{night_today}, cells (metric, month, force, district, dimension, value) differ:\n"
            f"{differing(nightly, full)}"
        )
        transaction.set_rollback(True)  # the next example starts from no records


@pytest.mark.django_db
def test_a_night_that_changed_only_a_warrant_in_a_month_without_seizures_succeeds(analyst):
    rollup_run(full=True)
    seizure_services.warrant_create(
        user=analyst,
        reference="W-ALONE",
        force=Area.objects.get(name="Rugby").force,
        area=Area.objects.get(name="Rugby"),
        issued_on=datetime.date(2025, 5, 2),
        executed_on=datetime.date(2025, 5, 6),
        result=Warrant.Result.DRUGS_FOUND,
    )

    assert rollup_run().outcome == "succeeded"

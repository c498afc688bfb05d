"""Demo seizures and warrants for both forces from April 2023 to today: deterministic (seeded),
bulk-created with their history, and safe to load twice (existing references are skipped)."""

import bisect
import datetime
import math
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.metrics import counted_on, mark_counted
from geography.models import Area, Force

from .models import Drug, Seizure, SeizureItem, Warrant
from .pricing import PriceBook, value_in_pence

START = datetime.date(2023, 4, 1)
SEED = 20230401
BATCH = 2000

# Seizures a year, about those the forces report to the Home Office.
FORCES = {"Warwickshire": ("WK", 1300, 160), "West Mercia": ("WM", 3000, 360)}  # prefix, seizures, warrants

# Drug mix from the Home Office seizures-by-force returns (2018-19, Warwickshire and West
# Mercia together): seizures containing each drug per 1,000; cannabis split as forces report it.
DRUG_MIX = {
    "herbal-cannabis": 520,
    "cannabis-resin": 40,
    "cannabis-plants": 130,
    "cocaine": 110,
    "crack": 60,
    "heroin": 50,
    "ecstasy": 10,
    "methadone": 8,
    "morphine": 5,
    "amphetamines": 20,
    "synthetic-cannabinoids": 15,
    "ketamine": 8,
    "mephedrone": 3,
    "anabolic-steroids": 7,
    "benzodiazepines": 15,
    "nitrous-oxide": 5,
    "ghb": 1,
    "lsd": 1,
    "temazepam": 1,
}
# unit, median quantity, spread (lognormal sigma), decimal places
QUANTITIES = {
    "herbal-cannabis": ("g", 8, 1.6, 1),
    "cannabis-resin": ("g", 5, 1.3, 1),
    "cannabis-plants": ("plants", 12, 1.2, 0),
    "cocaine": ("g", 4, 1.5, 2),
    "crack": ("g", 2, 1.3, 2),
    "heroin": ("g", 3, 1.4, 2),
    "ecstasy": ("doses", 6, 1.2, 0),
    "methadone": ("ml", 60, 0.8, 0),
    "morphine": ("doses", 10, 0.9, 0),
    "amphetamines": ("g", 6, 1.2, 1),
    "synthetic-cannabinoids": ("g", 4, 1.2, 1),
    "ketamine": ("g", 3, 1.2, 1),
    "mephedrone": ("g", 3, 1.0, 1),
    "anabolic-steroids": ("g", 40, 1.0, 0),
    "benzodiazepines": ("doses", 20, 1.1, 0),
    "nitrous-oxide": ("g", 600, 1.2, 0),
    "ghb": ("ml", 30, 0.8, 0),
    "lsd": ("doses", 5, 0.8, 0),
    "temazepam": ("doses", 14, 0.8, 0),
}
PLACES = [
    "Stop and search, town centre",
    "Vehicle stop",
    "Residential address, bedroom",
    "Residential address, kitchen",
    "Commercial unit converted for cultivation",
    "Loft of a terraced house",
    "Railway station",
    "Night-time economy venue",
    "Custody search",
    "Public park",
    "Postal intercept",
]
OUTWARD_CODES = {
    "North Warwickshire": ["B78", "CV9", "B46"],
    "Nuneaton and Bedworth": ["CV10", "CV11", "CV12"],
    "Rugby": ["CV21", "CV22", "CV23"],
    "Stratford-on-Avon": ["CV37", "CV35", "B50"],
    "Warwick": ["CV31", "CV32", "CV34"],
    "Bromsgrove": ["B60", "B61"],
    "Herefordshire, County of": ["HR1", "HR2", "HR4"],
    "Malvern Hills": ["WR13", "WR14"],
    "Redditch": ["B97", "B98"],
    "Shropshire": ["SY1", "SY3", "SY11"],
    "Telford and Wrekin": ["TF1", "TF3", "TF7"],
    "Worcester": ["WR1", "WR4", "WR5"],
    "Wychavon": ["WR10", "WR11", "WR9"],
    "Wyre Forest": ["DY10", "DY11", "DY13"],
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def load_demo_seizures(stdout):
    today = timezone.localdate()
    drugs = {drug.code: drug for drug in Drug.objects.all()}
    book = PriceBook.load()
    created_seizures = created_warrants = 0
    with transaction.atomic():
        for force in Force.objects.filter(name__in=FORCES).order_by("name"):
            prefix, per_year, warrants_per_year = FORCES[force.name]
            areas = list(Area.objects.filter(force=force).order_by("name"))
            # One generator per force and purpose, so what one step draws never shifts another
            # (a second load skips existing records and draws less).
            warrants = _load_warrants(
                _rng(prefix, "warrants"), force, areas, prefix, warrants_per_year, today
            )
            created_warrants += len(warrants)
            created_seizures += _load_seizures(
                _rng(prefix, "seizures"),
                _rng(prefix, "items"),
                force,
                areas,
                prefix,
                per_year,
                today,
                drugs,
                book,
            )
    stdout.write(f"Demo seizures: {created_seizures} seizures and {created_warrants} warrants added.")


def _rng(prefix, purpose):
    return random.Random(f"{SEED}:{prefix}:{purpose}")


def _days(rng, count, today):
    span = (today - START).days
    return sorted(START + datetime.timedelta(days=rng.randrange(span + 1)) for _ in range(count))


def _count(per_year, today):
    return round(per_year * ((today - START).days + 1) / 365.25)


def _postcode(rng, area):
    outward = rng.choice(OUTWARD_CODES.get(area.name, ["CV1"]))
    return f"{outward} {rng.randrange(1, 10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def _load_warrants(rng, force, areas, prefix, per_year, today):
    existing = set(Warrant.objects.filter(force=force).values_list("reference", flat=True))
    new = []
    for number, issued in enumerate(_days(rng, _count(per_year, today), today), start=1):
        roll = rng.random()
        result = "drugs_found" if roll < 0.62 else "nothing_found" if roll < 0.9 else "not_executed"
        executed = (
            None
            if result == "not_executed"
            else min(issued + datetime.timedelta(days=rng.randrange(0, 10)), today)
        )
        warrant = Warrant(
            reference=f"{prefix}-W-{issued:%y}-{number:04d}",
            force=force,
            area=rng.choice(areas),
            applied_on=issued - datetime.timedelta(days=rng.randrange(0, 4)),
            issued_on=issued,
            executed_on=executed,
            result=result,
            arrests=rng.choice([0, 1, 1, 2, 3])
            if result == "drugs_found"
            else rng.choice([0, 0, 1])
            if executed
            else 0,
            dated_on=executed or issued,  # bulk_create skips save()
        )
        if warrant.reference not in existing:
            new.append(warrant)
    _bulk_with_history(Warrant, new)
    mark_counted(*(counted_on(warrant) for warrant in new))
    return new


def _load_seizures(rng, item_rng, force, areas, prefix, per_year, today, drugs, book):
    existing = set(Seizure.objects.filter(force=force).values_list("reference", flat=True))
    positive_by_area = defaultdict(list)  # executed warrants that found drugs, by date
    for warrant in Warrant.objects.filter(
        force=force, result="drugs_found", withdrawn_at__isnull=True
    ).order_by("executed_on"):
        positive_by_area[warrant.area_id].append(warrant)
    executed_dates = {area_id: [w.executed_on for w in found] for area_id, found in positive_by_area.items()}
    executed_dates = defaultdict(list, executed_dates)
    codes, weights = zip(*DRUG_MIX.items(), strict=True)
    seizures, items_for = [], []
    for number, day in enumerate(_days(rng, _count(per_year, today), today), start=1):
        reference = f"{prefix}-S-{day:%y}-{number:05d}"
        area = rng.choice(areas)
        first = rng.choices(codes, weights)[0]
        chosen = [first] + ([rng.choices(codes, weights)[0]] if rng.random() < 0.18 else [])
        chosen = list(dict.fromkeys(chosen))
        warrant = None
        if rng.random() < 0.12:
            executed = positive_by_area[area.pk]
            latest = bisect.bisect_right(executed_dates[area.pk], day)
            warrant = executed[latest - 1] if latest else None
            day = warrant.executed_on if warrant else day
        seizure = Seizure(
            reference=reference,
            seized_on=day,
            force=force,
            area=area,
            place="Address searched under warrant" if warrant else rng.choice(PLACES),
            postcode=_postcode(rng, area) if rng.random() < 0.6 else "",
            warrant=warrant,
        )
        if reference not in existing:
            seizures.append(seizure)
            items_for.append(chosen)
    _bulk_with_history(Seizure, seizures)
    priced_at = timezone.now()
    items = []
    for seizure, chosen in zip(seizures, items_for, strict=True):
        for code in chosen:
            unit, median, spread, places = QUANTITIES[code]
            quantity = Decimal(
                str(round(max(median * math.exp(item_rng.gauss(0, spread)), 10**-places), places))
            )
            drug = drugs[code]
            price = book.price_for(drug.pk, unit, seizure.seized_on)
            items.append(
                SeizureItem(
                    seizure=seizure,
                    drug=drug,
                    quantity=quantity,
                    unit=unit,
                    drug_class=book.class_of(drug.pk, seizure.seized_on),
                    price=price,
                    price_per_unit_pence=price.price_per_unit_pence if price else None,
                    value_pence=value_in_pence(quantity, unit, price) if price else None,
                    priced_at=priced_at,
                )
            )
    _bulk_with_history(SeizureItem, items)
    mark_counted(*(counted_on(seizure) for seizure in seizures))
    return len(seizures)


def _bulk_with_history(model, objects):
    if not objects:
        return
    model.objects.bulk_create(objects, batch_size=BATCH)
    model.history.bulk_history_create(objects, batch_size=BATCH, default_change_reason="Demo data")

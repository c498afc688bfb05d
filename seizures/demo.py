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

from accounts.models import User
from core.metrics import counted_on, mark_counted
from geography.models import Area, Force

from . import services
from .models import Drug, Premises, Seizure, SeizureItem, Site, SizeBand, StreetPrice, Warrant
from .pricing import PriceBook

START = datetime.date(2023, 4, 1)
SEED = 20230401
BATCH = 2000

# Seizures a year, about those the forces report to the Home Office.
FORCES = {"Warwickshire": ("WK", 1300, 160), "West Mercia": ("WM", 3000, 360)}  # prefix, seizures, warrants
# Cannabis factories found a year (sites, however many people were arrested at each).
FACTORIES = {"Warwickshire": 22, "West Mercia": 48}
# Type of premises: share, and the median and spread (lognormal sigma) of plants found there.
PREMISES = {
    Premises.RESIDENTIAL: (62, 90, 0.8),
    Premises.COMMERCIAL: (18, 600, 0.7),
    Premises.OUTDOOR: (8, 40, 0.9),
    Premises.OTHER: (12, 60, 0.9),
}

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
    # Not priced by any table: counted, and every £ figure says how many it leaves out.
    "other-class-a": 2,
    "unknown": 3,
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
    "other-class-a": ("g", 2, 1.0, 2),
    "unknown": ("g", 5, 1.2, 1),
}
# Some drugs come weighed instead: (share of items, unit, median, spread, decimal places).
WEIGHED = {
    "ecstasy": (0.3, "g", 4, 1.0, 2),  # MDMA powder and crystal
    "cannabis-plants": (0.15, "kg", 15, 1.2, 1),  # a crop weighed whole; half of those counted too
}

# Price tables beside the alliance default: a force's own rows win over the default's.
DEMO_PRICES = [
    # force (None: alliance default), drug, unit, pence, yield g, valid from, source
    (None, "ecstasy", "g", 4000, None, START,
     "Alliance default: MDMA powder and crystal, April 2023 (illustrative)"),
    ("West Mercia", "herbal-cannabis", "g", 1100, None, datetime.date(2024, 4, 1),
     "West Mercia Police drugs expert's table, April 2024 (illustrative)"),
    ("West Mercia", "cocaine", "g", 7000, None, datetime.date(2024, 4, 1),
     "West Mercia Police drugs expert's table, April 2024 (illustrative)"),
    ("West Mercia", "cannabis-plants", "plants", None, Decimal(28), datetime.date(2024, 4, 1),
     "West Mercia Police: 28 g a plant, the lower yield courts have used (R v Auton 2011) (illustrative)"),
]  # fmt: skip
# A commercial cannabis farm whose crop was weighed, not counted: the Home Office's own returns
# record plants so ("544 kg of cannabis plants").
FARM = ("West Mercia", "WM-S-FARM-0544", datetime.date(2024, 9, 18), "Telford and Wrekin", Decimal(544))
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


def load_demo_prices():
    """The demo's price rows, entered through the service as a manager would (once)."""
    manager = User.objects.filter(username="manager").first()
    added = 0
    for force_name, code, unit, pence, plant_yield, valid_from, source in DEMO_PRICES:
        if StreetPrice.objects.filter(source=source, drug__code=code, unit=unit).exists():
            continue
        services.street_price_introduce(
            user=manager,
            force=Force.objects.get(name=force_name) if force_name else None,
            drug=Drug.objects.get(code=code),
            unit=unit,
            price_per_unit_pence=pence,
            yield_grams_per_plant=plant_yield,
            valid_from=valid_from,
            source=source,
        )
        added += 1
    return added


def load_demo_seizures(stdout):
    today = timezone.localdate()
    drugs = {drug.code: drug for drug in Drug.objects.all()}
    load_demo_prices()
    book = PriceBook.load()
    created_seizures = created_warrants = created_sites = 0
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
            created_seizures += _load_farm(force, today, drugs, book)
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
            created_sites += _load_sites(
                _rng(prefix, "sites"), force, areas, prefix, FACTORIES[force.name], today
            )
    stdout.write(
        f"Demo seizures: {created_seizures} seizures, {created_warrants} warrants and "
        f"{created_sites} cannabis factories added."
    )


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
    cash_rng = _rng(prefix, "cash")  # its own generator: the warrants drawn are the same as before
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
        # Proceeds of Crime Act cash: found on about half the searches that found drugs.
        if result == "drugs_found" and cash_rng.random() < 0.45:
            warrant.cash_seized_pence = round(800 * math.exp(cash_rng.gauss(0, 1.3))) * 100
            if cash_rng.random() < 0.3:
                warrant.other_property = cash_rng.choice(
                    ["Two mobile phones and digital scales", "A vehicle (Proceeds of Crime Act)",
                     "Designer watches and jewellery", "Phones, scales and deal bags"]
                )  # fmt: skip
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
            plant_count = None
            if code in WEIGHED and item_rng.random() < WEIGHED[code][0]:
                unit, median, spread, places = WEIGHED[code][1:]
                if code == "cannabis-plants" and item_rng.random() < 0.5:
                    plant_count = item_rng.randrange(10, 200)
            quantity = Decimal(
                str(round(max(median * math.exp(item_rng.gauss(0, spread)), 10**-places), places))
            )
            items.append(
                _priced(seizure, drugs[code], quantity, unit, book, priced_at, plant_count=plant_count)
            )
    _bulk_with_history(SeizureItem, items)
    mark_counted(*(counted_on(seizure) for seizure in seizures))
    return len(seizures)


def _priced(seizure, drug, quantity, unit, book, priced_at, plant_count=None):
    valued = book.valuation(drug.pk, unit, quantity, seizure.seized_on, seizure.force_id)
    return SeizureItem(
        seizure=seizure,
        drug=drug,
        quantity=quantity,
        unit=unit,
        plant_count=plant_count,
        drug_class=book.class_of(drug.pk, seizure.seized_on),
        price=valued.price,
        plant_yield=valued.plant_yield,
        price_per_unit_pence=valued.price_per_unit_pence,
        value_pence=valued.value_pence,
        priced_at=priced_at,
    )


def _load_farm(force, today, drugs, book):
    force_name, reference, day, district, kilograms = FARM
    if (
        force.name != force_name
        or day > today
        or Seizure.objects.filter(force=force, reference=reference).exists()
    ):
        return 0
    seizure = Seizure(
        reference=reference,
        seized_on=day,
        force=force,
        area=Area.objects.get(force=force, name=district),
        place="Commercial unit converted for cultivation",
        notes="Crop weighed whole at the scene; plants not counted.",
    )
    _bulk_with_history(Seizure, [seizure])
    item = _priced(seizure, drugs["cannabis-plants"], kilograms, "kg", book, timezone.now())
    _bulk_with_history(SeizureItem, [item])
    mark_counted(counted_on(seizure))
    return 1


def _bulk_with_history(model, objects):
    if not objects:
        return
    model.objects.bulk_create(objects, batch_size=BATCH)
    model.history.bulk_history_create(objects, batch_size=BATCH, default_change_reason="Demo data")


def _load_sites(rng, force, areas, prefix, per_year, today):
    """Cannabis factories, each with its seizure of plants; about half found under a drugs
    warrant executed at the site. Written through the services (a few hundred), so each is
    validated, banded and priced as one an analyst records."""
    from .services import seizure_create, site_create

    existing = set(Site.objects.filter(force=force).values_list("reference", flat=True))
    warrants = list(
        Warrant.objects.filter(force=force, result="drugs_found", withdrawn_at__isnull=True).order_by(
            "executed_on", "pk"
        )
    )
    executed = [warrant.executed_on for warrant in warrants]
    plants_drug = Drug.objects.get(code="cannabis-plants")
    commercial = {band.category: band for band in SizeBand.objects.filter(indicative_plants__isnull=True)}
    kinds, weights = zip(*((kind, share) for kind, (share, _, _) in PREMISES.items()), strict=True)
    created = 0
    for number, found in enumerate(_days(rng, _count(per_year, today), today), start=1):
        premises = rng.choices(kinds, weights)[0]
        _, median, spread = PREMISES[premises]
        plants = max(1, min(round(median * math.exp(rng.gauss(0, spread))), 5000))
        area, warrant = rng.choice(areas), None
        if rng.random() < 0.5 and warrants:
            # The latest positive warrant executed on or before the day found.
            latest = bisect.bisect_right(executed, found)
            if latest:
                warrant = warrants[latest - 1]
                found, area = warrant.executed_on, warrant.area
        band = None
        if plants > 28:
            # Above the guideline's plant numbers: industrial for the largest commercial sites.
            band = commercial.get(1 if plants > 1000 and premises == Premises.COMMERCIAL else 2)
        # Most are dismantled within days; some recent ones are still under observation.
        closed = found + datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2, 5]))
        if closed > today or ((today - found).days < 45 and rng.random() < 0.3):
            closed = None
        reference = f"{prefix}-F-{found:%y}-{number:03d}"
        postcode = _postcode(rng, area)
        if reference in existing:
            continue
        site = site_create(
            user=None,
            reference=reference,
            force=force,
            area=area,
            postcode_sector=postcode[:-2],
            premises=premises,
            discovered_on=found,
            closed_on=closed,
            plants=plants,
            size_band=band,
            warrant=warrant,
            notes="",
        )
        seizure_create(
            user=None,
            reference=f"{reference}-S",
            seized_on=found,
            force=force,
            area=area,
            place="Cannabis factory dismantled",
            postcode=postcode,
            warrant=warrant,
            site=site,
            items=[{"drug": plants_drug, "quantity": Decimal(plants), "unit": "plants"}],
        )
        created += 1
    return created

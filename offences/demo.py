"""Demo offences for both forces from April 2023 to today: deterministic (seeded per force and
month), bulk-created with their history, and safe to load twice (existing references are kept).

Volumes and mix follow the Home Office police recorded crime figures for 2017/18 by quarter
(../shared/data/home-office/prc-pfa-201718_new.csv) at about a quarter of their size."""

import bisect
import datetime
import math
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.metrics import counted_on, mark_counted
from geography.models import Area, Force

from .models import (
    MAX_PLANTS,
    Offence,
    OffenceGroup,
    OffenceType,
    Outcome,
    SiteType,
    class_on,
    classifications,
    group_of,
)
from .selectors import drug_model, live_sites, live_warrants

START = datetime.date(2023, 4, 1)
SEED = "offences-demo-2023"
SCALE = 0.25
BATCH = 2000

# Home Office codes 92A, 92C, 92D, 92E: offences per financial quarter (Q1 April–June), 2017/18.
HOME_OFFICE_2017_18 = {
    "Warwickshire": {
        "92A": (61, 53, 51, 58),
        "92C": (0, 0, 0, 1),
        "92D": (85, 68, 59, 41),
        "92E": (128, 116, 85, 86),
    },
    "West Mercia": {
        "92A": (134, 135, 117, 145),
        "92C": (2, 0, 2, 3),
        "92D": (122, 142, 111, 101),
        "92E": (388, 302, 235, 237),
    },
}
PREFIX = {"Warwickshire": "WK", "West Mercia": "WM"}
# Proactive policing grew over the strategy: each financial year a little busier than the last.
TREND = {2023: 1.0, 2024: 1.05, 2025: 1.1, 2026: 1.14}
# Mid-2019 population estimates (thousands), ONS: where offences are recorded.
POPULATION = {
    "E07000218": 65, "E07000219": 129, "E07000220": 109, "E07000221": 130, "E07000222": 143,
    "E06000019": 193, "E06000020": 180, "E06000051": 323, "E07000234": 99, "E07000235": 79,
    "E07000236": 85, "E07000237": 103, "E07000238": 130, "E07000239": 101,
}  # fmt: skip
TRAFFICKING_MIX = {
    OffenceType.PRODUCTION_OF_CANNABIS: 30,
    OffenceType.POSSESSION_WITH_INTENT: 34,
    OffenceType.SUPPLY: 20,
    OffenceType.CONCERNED_IN_SUPPLY: 8,
    OffenceType.PRODUCTION_OTHER: 3,
    OffenceType.PERMITTING_PREMISES: 3,
    OffenceType.IMPORT_EXPORT: 2,
}
TYPE_OF_GROUP = {
    "92C": OffenceType.OTHER,
    "92D": OffenceType.POSSESSION_OTHER,
    "92E": OffenceType.POSSESSION_OF_CANNABIS,
}
# Outcome shares (Home Office outcome types) and (shortest, longest) days to reach one, by group.
OUTCOMES = {
    "92A": (
        {
            "charged": 48,
            "evidential_difficulties": 28,
            "caution_adult": 3,
            "caution_youth": 1,
            "community_resolution": 3,
            "police_not_in_public_interest": 4,
            "tic": 3,
            "another_body": 4,
            "time_limit_expired": 1,
            "no_suspect": 5,
        },
        (14, 240),
    ),
    "92C": ({"charged": 40, "caution_adult": 20, "evidential_difficulties": 30, "diversion": 10}, (7, 90)),
    "92D": (
        {
            "charged": 30,
            "caution_adult": 14,
            "caution_youth": 4,
            "community_resolution": 17,
            "diversion": 5,
            "penalty_notice": 7,
            "evidential_difficulties": 18,
            "tic": 5,
        },
        (0, 60),
    ),
    "92E": (
        {
            "drugs_warning": 30,
            "community_resolution": 25,
            "diversion": 8,
            "penalty_notice": 7,
            "caution_adult": 6,
            "caution_youth": 2,
            "charged": 10,
            "evidential_difficulties": 12,
        },
        (0, 45),
    ),
}
# The drug concerned, by offence type (catalogue codes and weights); types not listed name none.
DRUGS = {
    OffenceType.PRODUCTION_OF_CANNABIS: {"cannabis-plants": 1},
    OffenceType.POSSESSION_OF_CANNABIS: {"herbal-cannabis": 9, "cannabis-resin": 1},
    OffenceType.POSSESSION_OTHER: {"cocaine": 40, "ketamine": 12, "heroin": 10, "ecstasy": 10,
                                   "amphetamines": 8, "crack": 8, "benzodiazepines": 7, "nitrous-oxide": 5},
    OffenceType.POSSESSION_WITH_INTENT: {"herbal-cannabis": 40, "cocaine": 30, "crack": 12, "heroin": 12,
                                         "ketamine": 3, "ecstasy": 3},
    OffenceType.SUPPLY: {"cocaine": 35, "herbal-cannabis": 30, "crack": 15, "heroin": 15, "ecstasy": 5},
    OffenceType.CONCERNED_IN_SUPPLY: {"crack": 35, "heroin": 35, "cocaine": 25, "herbal-cannabis": 5},
    OffenceType.PRODUCTION_OTHER: {"amphetamines": 1},
}  # fmt: skip
SITES = {SiteType.RESIDENTIAL: 65, SiteType.COMMERCIAL: 10, SiteType.OUTDOOR: 10, SiteType.OTHER: 15}


def load_demo_offences(stdout):
    today = timezone.localdate()
    created = 0
    with transaction.atomic():
        for force in Force.objects.filter(name__in=HOME_OFFICE_2017_18).order_by("name"):
            created += _load_force(force, today)
    stdout.write(f"Demo offences: {created} offences added.")


def _load_force(force, today):
    areas = list(Area.objects.filter(force=force).order_by("ons_code"))
    area_weights = [POPULATION.get(area.ons_code, 100) for area in areas]
    warrants = sorted(
        live_warrants(force=force).filter(result="drugs_found", executed_on__isnull=False),
        key=lambda warrant: (warrant.executed_on, warrant.pk),
    )
    sites = sorted(live_sites(force=force), key=lambda site: (site.discovered_on, site.pk))
    drugs = {drug.code: drug for drug in drug_model().objects.all()}
    classes = classifications()
    existing = set(Offence.objects.filter(force=force).values_list("crime_reference", flat=True))
    new = []
    for month in _months(START, today):
        for offence in _month_of_offences(force, month, today, areas, area_weights):
            if offence.crime_reference in existing:
                continue
            _name_drug(offence, drugs, classes)
            if not _link_to_site(offence, sites):
                _link_to_warrant(offence, warrants)
            new.append(offence)
    bulk_create_with_history(new, Offence, batch_size=BATCH, default_change_reason="Demo data")
    mark_counted(*(counted_on(offence) for offence in new))
    return len(new)


def _months(first, last):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _quarter_index(month):
    """0 for April–June (financial Q1) … 3 for January–March."""
    return ((month.month - 4) % 12) // 3


def _month_of_offences(force, month, today, areas, area_weights):
    # One generator per force and month: a month's offences do not depend on the day loaded.
    rng = random.Random(f"{SEED}:{force.name}:{month:%Y-%m}")
    financial_year = month.year if month.month >= 4 else month.year - 1
    days_in_month = ((month + datetime.timedelta(days=32)).replace(day=1) - month).days
    number = 0
    for group, quarters in HOME_OFFICE_2017_18[force.name].items():
        mean = quarters[_quarter_index(month)] / 3 * SCALE * TREND.get(financial_year, 1.14)
        for _ in range(_poisson(rng, mean)):
            number += 1
            day = month + datetime.timedelta(days=rng.randrange(days_in_month))
            offence = _offence(rng, force, group, day, today, rng.choices(areas, area_weights)[0])
            offence.crime_reference = f"{PREFIX[force.name]}/{month:%y%m}/{number:04d}"
            if day <= today:
                yield offence


def _poisson(rng, mean):
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _offence(rng, force, group, day, today, area):
    if group == OffenceGroup.TRAFFICKING:
        offence_type = rng.choices(list(TRAFFICKING_MIX), list(TRAFFICKING_MIX.values()))[0]
    else:
        offence_type = TYPE_OF_GROUP[group]
    offence = Offence(
        recorded_date=day,
        force=force,
        area=area,
        offence_type=offence_type,
        offence_group=group_of(offence_type),  # bulk_create skips save()
    )
    if offence_type == OffenceType.PRODUCTION_OF_CANNABIS:
        _cultivation(rng, offence)
    outcomes, (shortest, longest) = OUTCOMES[group]
    outcome = rng.choices(list(outcomes), list(outcomes.values()))[0]
    decided = day + datetime.timedelta(days=rng.randint(shortest, longest))
    if decided > today or rng.random() < 0.04:
        offence.outcome, offence.outcome_date = Outcome.ONGOING, None
    else:
        offence.outcome, offence.outcome_date = outcome, decided
    return offence


def _cultivation(rng, offence):
    offence.cultivation = True
    offence.site_type = rng.choices(list(SITES), list(SITES.values()))[0]
    if offence.site_type == SiteType.COMMERCIAL and rng.random() < 0.6:
        plants = rng.randint(200, 1500)
    elif offence.site_type == SiteType.RESIDENTIAL and rng.random() < 0.06:
        plants = rng.randint(100, 600)
    elif offence.site_type == SiteType.OUTDOOR:
        plants = rng.randint(3, 80)
    else:
        plants = round(rng.lognormvariate(3.0, 0.9))
    offence.plants = min(plants, MAX_PLANTS)


def _link_to_warrant(offence, warrants):
    """About a third of trafficking offences follow a drugs warrant executed in the fortnight
    before, when the seizures demo has created one (a separate generator, so the offences
    themselves are the same whether or not warrants exist)."""
    if offence.offence_group != OffenceGroup.TRAFFICKING or not warrants:
        return
    rng = random.Random(f"{SEED}:warrant:{offence.crime_reference}")
    if rng.random() >= 0.35:
        return
    dates = [warrant.executed_on for warrant in warrants]  # sorted by date: bisect
    first = bisect.bisect_left(dates, offence.recorded_date - datetime.timedelta(days=14))
    last = bisect.bisect_right(dates, offence.recorded_date)
    if first < last:
        warrant = warrants[rng.randrange(first, last)]
        offence.warrant, offence.area_id = warrant, warrant.area_id


def _name_drug(offence, drugs, classes):
    """The drug of the offence, drawn by its type (a generator of its own per offence), with the
    class the drug held on the date recorded, as clean() stores it (bulk_create skips it)."""
    mix = DRUGS.get(offence.offence_type)
    if not mix:
        return
    rng = random.Random(f"{SEED}:drug:{offence.crime_reference}")
    code = rng.choices(list(mix), list(mix.values()))[0]
    drug = drugs.get(code)
    drug_class = class_on(drug.pk, offence.recorded_date, classes) if drug else None
    if drug_class:
        offence.drug, offence.drug_class = drug, drug_class


def _link_to_site(offence, sites):
    """Most production offences were found at a cannabis factory the seizures demo recorded,
    discovered in the fortnight before (a generator of its own): several offenders arrested at
    one factory point at the one site. Returns whether it was linked."""
    if offence.offence_type != OffenceType.PRODUCTION_OF_CANNABIS or not sites:
        return False
    rng = random.Random(f"{SEED}:site:{offence.crime_reference}")
    if rng.random() >= 0.75:
        return False
    dates = [site.discovered_on for site in sites]  # sorted by date: bisect
    first = bisect.bisect_left(dates, offence.recorded_date - datetime.timedelta(days=14))
    last = bisect.bisect_right(dates, offence.recorded_date)
    if first >= last:
        return False
    site = sites[rng.randrange(first, last)]
    offence.site, offence.area_id, offence.warrant_id = site, site.area_id, site.warrant_id
    offence.site_type = site.premises
    return True

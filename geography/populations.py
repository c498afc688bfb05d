"""Resident populations: the ONS mid-year estimates by district, joined to the ONS lookup of
districts, community safety partnerships and police force areas, summed up to partnerships,
forces and the countries. Rates per 1,000 residents divide by these."""

import csv
from collections import defaultdict
from pathlib import Path

from django.db import transaction

from .models import PopulationEstimate
from .services import FORCE_COLUMNS, OnsLookupError, read_lookup

ESTIMATE_YEAR = 2018
# The mid-2018 estimates joined to the lookup, as the data migration loads them (so a new
# installation has them without the ONS files). `load_populations` rebuilds it from the files.
EXTRACT = Path(__file__).parent / "data" / "population-mid2018-lad19.csv"
EXTRACT_COLUMNS = (*FORCE_COLUMNS, "population")
COUNTRIES = {
    "E": ("E92000001", "England"),
    "W": ("W92000004", "Wales"),
}
ENGLAND_AND_WALES = ("K04000001", "England and Wales")


def districts_from_ons(*, population_path, lookup_path):
    """One row per district of England and Wales: its codes and names (district, partnership,
    force area) from the lookup and its population from the estimates (`area_codes`,
    `all_ages`). Refused whole if a district of either file is missing from the other."""
    lookup = {row["LAD19CD"]: row for row in read_lookup(lookup_path, FORCE_COLUMNS)}
    try:
        with open(population_path, encoding="utf-8-sig", newline="") as handle:
            estimates = {row["area_codes"].strip(): row["all_ages"].strip() for row in csv.DictReader(handle)}
    except (OSError, UnicodeDecodeError, KeyError) as unreadable:
        raise OnsLookupError(
            f"Cannot read the population estimates {population_path}: {unreadable}"
        ) from None
    unmatched = sorted(set(lookup) ^ set(estimates))
    if unmatched:
        raise OnsLookupError(
            "The lookup and the population estimates do not list the same districts: "
            + ", ".join(unmatched[:10])
        )
    try:
        return [{**lookup[code], "population": int(estimates[code])} for code in sorted(lookup)]
    except ValueError as bad:
        raise OnsLookupError(f"A population in {population_path} is not a whole number: {bad}") from None


def read_extract(path=EXTRACT):
    with open(path, encoding="utf-8", newline="") as handle:
        return [{**row, "population": int(row["population"])} for row in csv.DictReader(handle)]


def write_extract(districts, path=EXTRACT):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=EXTRACT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in districts:
            writer.writerow({name: row[name] for name in EXTRACT_COLUMNS})


def estimates_from(districts):
    """(kind, ons_code, name, force_code, partnership_code, population) for every district,
    partnership, force area and country, the larger ones summed from their districts."""
    rows = []
    partnerships, forces, countries = defaultdict(int), defaultdict(int), defaultdict(int)
    names = {}
    for district in districts:
        population = district["population"]
        rows.append(
            (PopulationEstimate.Kind.DISTRICT, district["LAD19CD"], district["LAD19NM"], district["PFA19CD"],
             district["CSP19CD"], population)
        )  # fmt: skip
        partnerships[(district["CSP19CD"], district["PFA19CD"])] += population
        forces[district["PFA19CD"]] += population
        countries[COUNTRIES[district["LAD19CD"][0]]] += population
        names[district["CSP19CD"]] = district["CSP19NM"]
        names[district["PFA19CD"]] = district["PFA19NM"]
    for (code, force_code), population in partnerships.items():
        rows.append((PopulationEstimate.Kind.PARTNERSHIP, code, names[code], force_code, "", population))
    for code, population in forces.items():
        rows.append((PopulationEstimate.Kind.FORCE, code, names[code], code, "", population))
    for (code, name), population in countries.items():
        rows.append((PopulationEstimate.Kind.COUNTRY, code, name, "", "", population))
    rows.append((PopulationEstimate.Kind.COUNTRY, *ENGLAND_AND_WALES, "", "", sum(countries.values())))
    return rows


def populations_load(districts, *, year=ESTIMATE_YEAR):
    """Replace the year's estimates with those of `districts` (rows as `districts_from_ons`
    gives them): (districts, partnerships, forces) loaded. Safe to repeat."""
    rows = estimates_from(districts)
    with transaction.atomic():
        PopulationEstimate.objects.filter(year=year).delete()
        PopulationEstimate.objects.bulk_create(
            PopulationEstimate(
                kind=kind, ons_code=code, name=name, force_code=force_code,
                partnership_code=partnership_code, population=population, year=year,
            )
            for kind, code, name, force_code, partnership_code, population in rows
        )  # fmt: skip
    kinds = defaultdict(int)
    for row in rows:
        kinds[row[0]] += 1
    K = PopulationEstimate.Kind
    return kinds[K.DISTRICT], kinds[K.PARTNERSHIP], kinds[K.FORCE]


# --- reading ---------------------------------------------------------------------------------


def latest_year():
    return PopulationEstimate.objects.order_by("-year").values_list("year", flat=True).first()


def populations(kind, codes=None, *, year=None):
    """{ONS code: population} of the given kind (the latest estimates unless `year`)."""
    year = year or latest_year()
    rows = PopulationEstimate.objects.filter(kind=kind, year=year)
    if codes is not None:
        rows = rows.filter(ons_code__in=list(codes))
    return dict(rows.values_list("ons_code", "population"))


def population_of_places(*, forces=(), partnerships=(), areas=(), year=None):
    """The residents of the configured forces, partnerships and districts given, together (the
    alliance: its forces). None where a place has no estimate (a force added since, say)."""
    K = PopulationEstimate.Kind
    total = 0
    for kind, places in ((K.FORCE, forces), (K.PARTNERSHIP, partnerships), (K.DISTRICT, areas)):
        codes = [place.ons_code for place in places]
        if not codes:
            continue
        found = populations(kind, codes, year=year)
        if len(found) != len(set(codes)):
            return None
        total += sum(found.values())
    return total or None

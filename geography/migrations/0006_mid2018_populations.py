"""The ONS mid-2018 population of every district of England and Wales (December 2019
boundaries), with its partnership's and force area's, summed from the districts."""

import csv
from collections import defaultdict
from pathlib import Path

from django.db import migrations

# The copy this migration loads never changes: a later estimate is a new file and migration.
EXTRACT = Path(__file__).resolve().parent.parent / "data" / "population-mid2018-lad19.csv"
YEAR = 2018
COUNTRIES = {"E": ("E92000001", "England"), "W": ("W92000004", "Wales")}


def load(apps, schema_editor):
    Estimate = apps.get_model("geography", "PopulationEstimate")
    with open(EXTRACT, encoding="utf-8", newline="") as handle:
        districts = list(csv.DictReader(handle))
    rows, partnerships, forces, countries, names = [], defaultdict(int), defaultdict(int), defaultdict(int), {}
    for district in districts:
        population = int(district["population"])
        rows.append(("district", district["LAD19CD"], district["LAD19NM"], district["PFA19CD"],
                     district["CSP19CD"], population))  # fmt: skip
        partnerships[(district["CSP19CD"], district["PFA19CD"])] += population
        forces[district["PFA19CD"]] += population
        countries[COUNTRIES[district["LAD19CD"][0]]] += population
        names[district["CSP19CD"]], names[district["PFA19CD"]] = district["CSP19NM"], district["PFA19NM"]
    rows += [("partnership", code, names[code], force, "", n) for (code, force), n in partnerships.items()]
    rows += [("force", code, names[code], code, "", n) for code, n in forces.items()]
    rows += [("country", code, name, "", "", n) for (code, name), n in countries.items()]
    rows.append(("country", "K04000001", "England and Wales", "", "", sum(countries.values())))
    Estimate.objects.filter(year=YEAR).delete()
    Estimate.objects.bulk_create(
        Estimate(kind=kind, ons_code=code, name=name, force_code=force_code,
                 partnership_code=partnership_code, population=population, year=YEAR)
        for kind, code, name, force_code, partnership_code, population in rows
    )  # fmt: skip


def unload(apps, schema_editor):
    apps.get_model("geography", "PopulationEstimate").objects.filter(year=YEAR).delete()


class Migration(migrations.Migration):
    dependencies = [("geography", "0005_population_estimates")]

    operations = [migrations.RunPython(load, unload)]

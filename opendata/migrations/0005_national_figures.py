"""The national figures the alliance is compared with: Home Office seizures by force (2009-10 to
2018-19) and ONS drug offences by community safety partnership (years ending December 2023 and
2024), from the extracts of the published files kept in opendata/data/."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.db import migrations

# Extracts of published statistics: a later edition is a new extract, loaded by
# `manage.py load_national_figures`; these files are not edited.
DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _or_none(text, kind=int):
    return None if text == "" else kind(text)


def load(apps, schema_editor):
    ForceSeizures = apps.get_model("opendata", "ForceSeizures")
    PartnershipRecordedCrime = apps.get_model("opendata", "PartnershipRecordedCrime")
    ForceSeizures.objects.bulk_create(
        ForceSeizures(
            financial_year=row["financial_year"], year_start=datetime.date(int(row["financial_year"][:4]), 4, 1),
            force_name=row["force_name"], force_code=row["force_code"],
            all_drugs=_or_none(row["all_drugs"]), class_a=_or_none(row["class_a"]),
        )
        for row in _rows("home-office-seizures-by-force.csv")
    )  # fmt: skip
    PartnershipRecordedCrime.objects.bulk_create(
        PartnershipRecordedCrime(
            year_ending=datetime.date.fromisoformat(row["year_ending"]), force_code=row["force_code"],
            force_name=row["force_name"].strip(), partnership_code=row["partnership_code"],
            partnership_name=row["partnership_name"].strip(), drug_offences=_or_none(row["drug_offences"]),
            population=_or_none(row["population"]), published_rate=_or_none(row["published_rate"], Decimal),
        )
        for row in _rows("ons-drug-offences-by-partnership.csv")
    )  # fmt: skip


def unload(apps, schema_editor):
    apps.get_model("opendata", "ForceSeizures").objects.all().delete()
    apps.get_model("opendata", "PartnershipRecordedCrime").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("opendata", "0004_national_comparisons")]

    operations = [migrations.RunPython(load, unload)]

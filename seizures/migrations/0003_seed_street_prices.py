"""The initial street price table: pence per unit, valid from 1 January 2000 until replaced.

Illustrative values for the alliance to replace with its forces' own tables: the 1 g street
deal (weights), one tablet or dose, one millilitre; cannabis plants at an assumed 40 g yield per
plant (the 2012 sentencing guideline's figure) times the herbal cannabis gram price.
"""

import datetime

from django.db import migrations

SOURCE = "Alliance initial street price table (illustrative, April 2023)"
FROM = datetime.date(2000, 1, 1)

# drug code, unit, pence per unit, assumed yield per plant (grams)
PRICES = [
    ("cocaine", "g", 6000, None),
    ("crack", "g", 8000, None),
    ("ecstasy", "doses", 1000, None),
    ("heroin", "g", 5000, None),
    ("lsd", "doses", 500, None),
    ("methadone", "ml", 10, None),
    ("methadone", "doses", 1000, None),
    ("morphine", "doses", 500, None),
    ("herbal-cannabis", "g", 1000, None),
    ("cannabis-resin", "g", 700, None),
    ("cannabis-plants", "plants", 40000, 40),
    ("amphetamines", "g", 1000, None),
    ("barbiturates", "doses", 200, None),
    ("mephedrone", "g", 2000, None),
    ("synthetic-cannabinoids", "g", 1000, None),
    ("anabolic-steroids", "g", 300, None),
    ("benzodiazepines", "doses", 100, None),
    ("ghb", "ml", 100, None),
    ("ghb", "doses", 500, None),
    ("ketamine", "g", 2500, None),
    ("temazepam", "doses", 100, None),
    ("nitrous-oxide", "g", 5, None),
]


def seed(apps, schema_editor):
    Drug = apps.get_model("seizures", "Drug")
    StreetPrice = apps.get_model("seizures", "StreetPrice")
    for code, unit, pence, plant_yield in PRICES:
        StreetPrice.objects.update_or_create(
            drug=Drug.objects.get(code=code),
            unit=unit,
            valid_from=FROM,
            defaults={"price_per_unit_pence": pence, "source": SOURCE, "yield_grams_per_plant": plant_yield},
        )


class Migration(migrations.Migration):
    dependencies = [("seizures", "0002_seed_drug_catalogue")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

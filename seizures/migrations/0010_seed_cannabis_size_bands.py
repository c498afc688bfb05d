"""The size bands of cannabis factories: the harm categories of the Sentencing Council's
definitive guideline for production of a controlled drug / cultivation of cannabis plant
(Misuse of Drugs Act 1971 s4(2) and s6(2)), in force from 27 February 2012. Categories 4 and 3
give an indicative number of plants (on an assumed yield of 40 g a plant); categories 2 and 1
are judged by the scale of the operation, not by plants."""

from django.db import migrations

SOURCE = (
    "Sentencing Council, Drug offences definitive guideline: Production of a controlled drug / "
    "Cultivation of cannabis plant, step 1 harm categories (effective 27 February 2012)"
)
SOURCE_URL = (
    "https://www.sentencingcouncil.org.uk/offences/item/production-of-a-controlled-drug-cultivation-of-cannabis-plant/"
)
BANDS = [
    (1, "Operation capable of producing industrial quantities for commercial use", None),
    (2, "Operation capable of producing significant quantities for commercial use", None),
    (3, "28 plants (assumed yield of 40 g a plant)", 28),
    (4, "9 plants: domestic operation (assumed yield of 40 g a plant)", 9),
]


def seed(apps, schema_editor):
    SizeBand = apps.get_model("seizures", "SizeBand")
    for category, description, plants in BANDS:
        SizeBand.objects.update_or_create(
            category=category,
            defaults={
                "description": description,
                "indicative_plants": plants,
                "source": SOURCE,
                "source_url": SOURCE_URL,
            },
        )


def unseed(apps, schema_editor):
    SizeBand = apps.get_model("seizures", "SizeBand")
    SizeBand.objects.filter(category__in=[category for category, _, _ in BANDS], sites__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("seizures", "0009_cannabis_factory_sites_and_warrant_results")]

    operations = [migrations.RunPython(seed, unseed)]

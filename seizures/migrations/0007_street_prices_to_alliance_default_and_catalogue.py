"""Today's street prices become the alliance default table, dated as they are labelled; plant
rows become yield rows; the catalogue gains the Home Office's remaining categories.

Prices. Every row stored so far belongs to the one table there was: it becomes the alliance
default (force blank), beneath each force's own table. The rows seeded at installation were
labelled "April 2023" but valid from 1 January 2000, so a seizure of 2010 was priced by a table
said to be set in 2023. Label and validity now agree: each seeded row is valid from 1 April 2023,
and a second row with the same figures covers 1 January 2000 to 31 March 2023, labelled as what
it is — the April 2023 figures carried back for want of an earlier table — so no stored value
changes and every item points at a row in force on its date. A force (or the alliance) with a
dated earlier table enters it as a correction of the carried-back row and re-prices.

Plants. A plant row priced a plant (£400, "assuming 40 g"): it now states only the yield, and a
plant is valued at that yield times the herbal cannabis price in force on its date, so a herbal
price change moves plants too. Items valued from a plant row keep their value and price per
plant; they now point at the yield row (plant_yield) and at the herbal cannabis row in force on
their date (price). One with no herbal row in force then is left unpriced, and counted as such.

Catalogue. Ecstasy may be recorded by weight (MDMA powder and crystal) as well as by tablet;
Other Class A, Other Class B, Other Class C, other cannabis (oil, edibles: part of the Home
Office's "All cannabis") and Unknown (awaiting identification: recorded without a class) are
added, in the order of the Home Office's seizure tables. The Home Office counts those
categories without a quantity; kilograms stand as their reporting unit, as for powders.
"""

import datetime

from django.db import migrations

SEEDED = "Alliance initial street price table (illustrative, April 2023)"
SEEDED_FROM = datetime.date(2000, 1, 1)
TABLE_DATE = datetime.date(2023, 4, 1)
CURRENT = "Alliance default street price table, April 2023 (illustrative)"
CARRIED_BACK = "Alliance default: the April 2023 figures carried back, no earlier table recorded (illustrative)"

ACT = datetime.date(1973, 7, 1)
MDA = "Misuse of Drugs Act 1971"
CANNABIS = [
    ("B", ACT, datetime.date(2004, 1, 28), MDA),
    ("C", datetime.date(2004, 1, 29), datetime.date(2009, 1, 25), "Misuse of Drugs Act 1971 (Amendment) Order 2003"),
    ("B", datetime.date(2009, 1, 26), None, "Misuse of Drugs Act 1971 (Amendment) Order 2008"),
]
# code, name, measured by, [(class, from, to, legislation)], unidentified
NEW_DRUGS = [
    ("other-class-a", "Other Class A", "any", [("A", ACT, None, MDA)], False),
    ("other-cannabis", "Other cannabis (oil, edibles)", "any", CANNABIS, False),
    ("other-class-b", "Other Class B", "any", [("B", ACT, None, MDA)], False),
    ("other-class-c", "Other Class C", "any", [("C", ACT, None, MDA)], False),
    ("unknown", "Unknown (awaiting identification)", "any", [], True),
]
ORDER = [
    "cocaine", "crack", "ecstasy", "heroin", "lsd", "methadone", "morphine", "other-class-a",
    "herbal-cannabis", "cannabis-resin", "cannabis-plants", "other-cannabis",
    "amphetamines", "barbiturates", "ketamine", "mephedrone", "synthetic-cannabinoids", "other-class-b",
    "anabolic-steroids", "benzodiazepines", "ghb", "temazepam", "nitrous-oxide", "other-class-c",
    "unknown",
]  # fmt: skip


def _in_force(queryset, day):
    return (
        queryset.filter(valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .order_by("-valid_from")
        .first()
    )


def forward(apps, schema_editor):
    Drug = apps.get_model("seizures", "Drug")
    DrugClassification = apps.get_model("seizures", "DrugClassification")
    StreetPrice = apps.get_model("seizures", "StreetPrice")
    SeizureItem = apps.get_model("seizures", "SeizureItem")

    Drug.objects.filter(code="ecstasy").update(measured_by="doses_mass")
    for code, name, measured_by, classes, unidentified in NEW_DRUGS:
        drug, _ = Drug.objects.update_or_create(
            code=code,
            defaults={"name": name, "measured_by": measured_by, "reporting_unit": "kg", "unidentified": unidentified},
        )
        for drug_class, valid_from, valid_to, legislation in classes:
            DrugClassification.objects.update_or_create(
                drug=drug,
                valid_from=valid_from,
                defaults={"drug_class": drug_class, "valid_to": valid_to, "legislation": legislation},
            )
    for order, code in enumerate(ORDER, start=1):
        Drug.objects.filter(code=code).update(display_order=order)

    # Label and validity agree: the seeded rows from April 2023, their figures carried back before.
    for row in StreetPrice.objects.filter(source=SEEDED, valid_from=SEEDED_FROM, force__isnull=True):
        ended_before = row.valid_to is not None and row.valid_to < TABLE_DATE
        taken = (
            StreetPrice.objects.filter(drug_id=row.drug_id, unit=row.unit, force__isnull=True, valid_from=TABLE_DATE)
            .exclude(pk=row.pk)
            .exists()
        )
        if ended_before or taken:
            row.source = CARRIED_BACK
            row.save(update_fields=["source"])
            continue
        row.valid_from, row.source = TABLE_DATE, CURRENT
        row.save(update_fields=["valid_from", "source"])
        earlier = StreetPrice.objects.create(
            drug_id=row.drug_id,
            unit=row.unit,
            price_per_unit_pence=row.price_per_unit_pence,
            yield_grams_per_plant=row.yield_grams_per_plant,
            valid_from=SEEDED_FROM,
            valid_to=TABLE_DATE - datetime.timedelta(days=1),
            source=CARRIED_BACK,
        )
        SeizureItem.objects.filter(price=row, seizure__seized_on__lt=TABLE_DATE).update(price=earlier)

    # Plant rows state a yield, not a price; their items point at the yield and the herbal row.
    herbal = StreetPrice.objects.filter(drug__code="herbal-cannabis", force__isnull=True)
    for row in StreetPrice.objects.filter(unit="plants"):
        items = SeizureItem.objects.filter(price=row).select_related("seizure")
        for item in items.iterator():
            item.plant_yield_id = row.pk
            item.price = _in_force(herbal, item.seizure.seized_on)
            if item.price is None:
                item.price_per_unit_pence = item.value_pence = None
            item.save(update_fields=["price", "plant_yield", "price_per_unit_pence", "value_pence"])
        row.price_per_unit_pence = None
        row.save(update_fields=["price_per_unit_pence"])


def backward(apps, schema_editor):
    StreetPrice = apps.get_model("seizures", "StreetPrice")
    SeizureItem = apps.get_model("seizures", "SeizureItem")
    Drug = apps.get_model("seizures", "Drug")

    if StreetPrice.objects.filter(force__isnull=False).exists():
        raise RuntimeError(
            "Forces have price tables of their own: the earlier schema holds one table only. "
            "End or remove the force rows first."
        )
    herbal = StreetPrice.objects.filter(drug__code="herbal-cannabis", force__isnull=True)
    for row in StreetPrice.objects.filter(unit="plants"):
        per_gram = _in_force(herbal, row.valid_from)
        grams = row.yield_grams_per_plant
        row.price_per_unit_pence = int(round(grams * (per_gram.price_per_unit_pence if per_gram else 1000)))
        row.save(update_fields=["price_per_unit_pence"])
        SeizureItem.objects.filter(plant_yield=row).update(price=row, plant_yield=None)
    for row in StreetPrice.objects.filter(source=CURRENT, valid_from=TABLE_DATE):
        earlier = StreetPrice.objects.filter(
            drug_id=row.drug_id, unit=row.unit, source=CARRIED_BACK, valid_from=SEEDED_FROM
        ).first()
        if earlier is not None:
            SeizureItem.objects.filter(price=earlier).update(price=row)
            earlier.delete()
        row.valid_from, row.source = SEEDED_FROM, SEEDED
        row.save(update_fields=["valid_from", "source"])
    StreetPrice.objects.filter(source=CARRIED_BACK).update(source=SEEDED)
    for code, *_ in NEW_DRUGS:
        drug = Drug.objects.filter(code=code).first()
        if drug is not None and not SeizureItem.objects.filter(drug=drug).exists():
            drug.classifications.all().delete()
            drug.delete()
    Drug.objects.filter(code="ecstasy").update(measured_by="doses")


class Migration(migrations.Migration):
    dependencies = [("seizures", "0006_street_prices_per_force_plant_yields_and_repricing")]

    operations = [migrations.RunPython(forward, backward)]

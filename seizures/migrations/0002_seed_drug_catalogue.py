"""The drugs UK forces record (Home Office seizure returns) and the classes they held when."""

import datetime

from django.db import migrations

ACT = datetime.date(1973, 7, 1)  # Misuse of Drugs Act 1971 in force
MDA = "Misuse of Drugs Act 1971"

# code, name, measured by, Home Office reporting unit, [(class, from, to, legislation)]
DRUGS = [
    ("cocaine", "Cocaine", "mass", "kg", [("A", ACT, None, MDA)]),
    ("crack", "Crack cocaine", "mass", "kg", [("A", ACT, None, MDA)]),
    ("ecstasy", "Ecstasy (MDMA)", "doses", "doses", [("A", datetime.date(1977, 2, 16), None, "Misuse of Drugs Act 1971 (Modification) Order 1977")]),
    ("heroin", "Heroin", "mass", "kg", [("A", ACT, None, MDA)]),
    ("lsd", "LSD", "doses", "doses", [("A", ACT, None, MDA)]),
    ("methadone", "Methadone", "liquid", "doses", [("A", ACT, None, MDA)]),
    ("morphine", "Morphine", "doses", "doses", [("A", ACT, None, MDA)]),
    ("herbal-cannabis", "Herbal cannabis", "mass", "kg", "cannabis"),
    ("cannabis-resin", "Cannabis resin", "mass", "kg", "cannabis"),
    ("cannabis-plants", "Cannabis plants", "plants", "plants", "cannabis"),
    ("amphetamines", "Amphetamines", "mass", "kg", [("B", ACT, None, MDA)]),
    ("barbiturates", "Barbiturates", "doses", "doses", [("B", datetime.date(1985, 1, 1), None, "Misuse of Drugs Act 1971 (Modification) Order 1984")]),
    ("mephedrone", "Mephedrone", "mass", "kg", [("B", datetime.date(2010, 4, 16), None, "Misuse of Drugs Act 1971 (Amendment) Order 2010")]),
    ("synthetic-cannabinoids", "Synthetic cannabinoids (spice)", "mass", "kg", [("B", datetime.date(2009, 12, 23), None, "Misuse of Drugs Act 1971 (Amendment) Order 2009")]),
    ("anabolic-steroids", "Anabolic steroids", "mass", "kg", [("C", datetime.date(1996, 9, 1), None, "Misuse of Drugs Act 1971 (Modification) Order 1996")]),
    ("benzodiazepines", "Benzodiazepines", "doses", "doses", [("C", datetime.date(1986, 4, 1), None, "Misuse of Drugs Act 1971 (Modification) Order 1985")]),
    ("ghb", "GHB", "liquid", "doses", [("C", datetime.date(2003, 7, 1), None, "Misuse of Drugs Act 1971 (Amendment) Order 2003")]),
    ("ketamine", "Ketamine", "mass", "kg", [
        ("C", datetime.date(2006, 1, 1), datetime.date(2014, 6, 9), "Misuse of Drugs Act 1971 (Amendment) Order 2005"),
        ("B", datetime.date(2014, 6, 10), None, "Misuse of Drugs Act 1971 (Amendment) Order 2014"),
    ]),
    ("temazepam", "Temazepam", "doses", "doses", [("C", datetime.date(1986, 4, 1), None, "Misuse of Drugs Act 1971 (Modification) Order 1985")]),
    ("nitrous-oxide", "Nitrous oxide", "mass", "kg", [("C", datetime.date(2023, 11, 8), None, "Misuse of Drugs Act 1971 (Amendment) Order 2023")]),
]

# Cannabis was reclassified twice: B, then C from 29 January 2004, then B again from 26 January 2009.
CANNABIS = [
    ("B", ACT, datetime.date(2004, 1, 28), MDA),
    ("C", datetime.date(2004, 1, 29), datetime.date(2009, 1, 25), "Misuse of Drugs Act 1971 (Amendment) Order 2003"),
    ("B", datetime.date(2009, 1, 26), None, "Misuse of Drugs Act 1971 (Amendment) Order 2008"),
]


def seed(apps, schema_editor):
    Drug = apps.get_model("seizures", "Drug")
    DrugClassification = apps.get_model("seizures", "DrugClassification")
    for order, (code, name, measured_by, reporting_unit, classes) in enumerate(DRUGS, start=1):
        drug, _ = Drug.objects.update_or_create(
            code=code,
            defaults={"name": name, "measured_by": measured_by, "reporting_unit": reporting_unit, "display_order": order},
        )
        for drug_class, valid_from, valid_to, legislation in CANNABIS if classes == "cannabis" else classes:
            DrugClassification.objects.update_or_create(
                drug=drug,
                valid_from=valid_from,
                defaults={"drug_class": drug_class, "valid_to": valid_to, "legislation": legislation},
            )


class Migration(migrations.Migration):
    dependencies = [("seizures", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

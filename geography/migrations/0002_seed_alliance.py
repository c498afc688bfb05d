from django.db import migrations

# A frozen copy: a migration must not change when geography/alliance.py does later.
FORCES = [
    ("E23000017", "Warwickshire", [
        ("E22000319", "North Warwickshire", [("E07000218", "North Warwickshire")]),
        ("E22000320", "Nuneaton and Bedworth", [("E07000219", "Nuneaton and Bedworth")]),
        ("E22000321", "Rugby", [("E07000220", "Rugby")]),
        ("E22000359", "South Warwickshire", [("E07000221", "Stratford-on-Avon"), ("E07000222", "Warwick")]),
    ]),
    ("E23000016", "West Mercia", [
        ("E22000326", "Herefordshire, County of", [("E06000019", "Herefordshire, County of")]),
        ("E22000333", "Telford and Wrekin", [("E06000020", "Telford and Wrekin")]),
        ("E22000360", "Shropshire", [("E06000051", "Shropshire")]),
        ("E22000332", "South Worcester", [
            ("E07000235", "Malvern Hills"), ("E07000237", "Worcester"), ("E07000238", "Wychavon"),
        ]),
        ("E22000368", "North Worcestershire", [
            ("E07000234", "Bromsgrove"), ("E07000236", "Redditch"), ("E07000239", "Wyre Forest"),
        ]),
    ]),
]  # fmt: skip


def seed(apps, schema_editor):
    Force = apps.get_model("geography", "Force")
    Partnership = apps.get_model("geography", "CommunitySafetyPartnership")
    Area = apps.get_model("geography", "Area")
    for force_code, force_name, partnerships in FORCES:
        force, _ = Force.objects.update_or_create(
            ons_code=force_code, defaults={"name": force_name, "in_alliance": True}
        )
        for csp_code, csp_name, districts in partnerships:
            csp, _ = Partnership.objects.update_or_create(
                ons_code=csp_code, defaults={"name": csp_name, "force": force}
            )
            for lad_code, lad_name in districts:
                Area.objects.update_or_create(
                    ons_code=lad_code, defaults={"name": lad_name, "force": force, "partnership": csp}
                )


def unseed(apps, schema_editor):
    codes = [force_code for force_code, _, _ in FORCES]
    apps.get_model("geography", "Area").objects.filter(force__ons_code__in=codes).delete()
    apps.get_model("geography", "CommunitySafetyPartnership").objects.filter(
        force__ons_code__in=codes
    ).delete()
    apps.get_model("geography", "Force").objects.filter(ons_code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

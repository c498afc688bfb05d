"""Indicators of "commercial cannabis factories closed" read the sites metric: factories are
counted as sites (seizures' "sites.closed", by the date closed), not as offences flagged
"factory", so two offenders at one farm are one factory. The old metric's figures go with it;
the next rollup builds the new one's (the months of the sites the offences became are marked
changed by the offences' migration)."""

from django.db import migrations

OLD, NEW = "offences.commercial_sites", "sites.closed"
RENAMED_DIMENSION = {"site_type": "premises"}


def forwards(apps, schema_editor):
    Indicator = apps.get_model("strategy", "Indicator")
    for indicator in Indicator.objects.filter(metric=OLD):
        indicator.metric = NEW
        indicator.dimension = RENAMED_DIMENSION.get(indicator.dimension, indicator.dimension)
        indicator.save()
    for name in ("Fact", "DailyFact"):
        apps.get_model("strategy", name).objects.filter(metric=OLD).delete()
    # Every month is rebuilt: the sites' months are those the factories were counted in.
    ChangedMonth = apps.get_model("core", "ChangedMonth")
    Fact = apps.get_model("strategy", "Fact")
    months = set(Fact.objects.filter(metric__startswith="offences.").values_list("month", flat=True))
    for month in months:
        ChangedMonth.objects.get_or_create(source="seizures", month=month)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("strategy", "Indicator")
    reverse = {new: old for old, new in RENAMED_DIMENSION.items()}
    for indicator in Indicator.objects.filter(metric=NEW):
        indicator.metric = OLD
        indicator.dimension = reverse.get(indicator.dimension, indicator.dimension)
        indicator.save()
    for name in ("Fact", "DailyFact"):
        apps.get_model("strategy", name).objects.filter(metric=NEW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0005_quarter_sign_off"),
        ("core", "0006_job_requests"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""The factory flag gone (factories are sites now) and the rules in the database: the
cultivation flag and its details only on production or cultivation of cannabis, a class only
with a drug."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("offences", "0003_cannabis_factories_become_sites")]

    operations = [
        migrations.RemoveField(model_name="historicaloffence", name="factory"),
        migrations.RemoveField(model_name="offence", name="factory"),
        migrations.AddConstraint(
            model_name="offence",
            constraint=models.CheckConstraint(
                condition=models.Q(("cultivation", True), models.Q(("plants__isnull", True), ("site_type", "")), _connector="OR"),
                name="offence_cultivation_details_only_for_cultivation",
            ),
        ),
        migrations.AddConstraint(
            model_name="offence",
            constraint=models.CheckConstraint(
                condition=models.Q(("cultivation", False), ("offence_type__in", ("production_cannabis",)), _connector="OR"),
                name="offence_cultivation_only_for_production",
            ),
        ),
        migrations.AddConstraint(
            model_name="offence",
            constraint=models.CheckConstraint(
                condition=models.Q(("drug__isnull", False), ("drug_class", ""), _connector="OR"),
                name="offence_class_only_with_a_drug",
            ),
        ),
    ]

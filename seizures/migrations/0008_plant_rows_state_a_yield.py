"""Plant rows state a yield and no price, every other row a price and no yield: checked by the
database once the rows have been moved to that shape (the migration before)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("seizures", "0007_street_prices_to_alliance_default_and_catalogue")]

    operations = [
        migrations.AddConstraint(
            model_name='streetprice',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('price_per_unit_pence__isnull', True), ('unit', 'plants'), ('yield_grams_per_plant__gt', 0)), models.Q(models.Q(('unit', 'plants'), _negated=True), ('price_per_unit_pence__gt', 0), ('yield_grams_per_plant__isnull', True)), _connector='OR'), name='plant_rows_state_a_yield_others_a_price'),
        ),
    ]

from django.db import migrations


class Migration(migrations.Migration):
    """ImportBatch now belongs to the imports app, which has taken it over on the same table
    (imports 0001): core forgets the model without touching the table or its rows."""

    dependencies = [
        ("core", "0003_import_batch_queued_at"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportBatch")],
            database_operations=[],
        ),
    ]

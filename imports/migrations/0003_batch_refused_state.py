"""A batch whose file or rows cannot be imported is "refused", no longer "ready to import"
(invalid rows) or "failed" (a file that cannot be read)."""

from django.conf import settings
from django.db import migrations, models


def previews_with_invalid_rows_are_refused(apps, schema_editor):
    ImportBatch = apps.get_model("imports", "ImportBatch")
    # They could never be confirmed; the quarter-hourly tidy removes their stored files.
    ImportBatch.objects.filter(status="previewed", invalid__gt=0).update(status="refused")


def refused_batches_become_failed(apps, schema_editor):
    # Before this migration a refusal was recorded as a failure: closed, nothing written.
    apps.get_model("imports", "ImportBatch").objects.filter(status="refused").update(status="failed")


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_import_batch_table_and_content_type"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="importbatch",
            name="import_status_known",
        ),
        migrations.AlterField(
            model_name="importbatch",
            name="status",
            field=models.CharField(
                choices=[
                    ("uploaded", "Checking"),
                    ("previewed", "Ready to import"),
                    ("queued", "Waiting to import"),
                    ("importing", "Importing"),
                    ("done", "Imported"),
                    ("refused", "Refused"),
                    ("failed", "Failed"),
                ],
                default="uploaded",
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="importbatch",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["uploaded", "previewed", "queued", "importing", "done", "refused", "failed"])
                ),
                name="import_status_known",
            ),
        ),
        migrations.RunPython(previews_with_invalid_rows_are_refused, refused_batches_become_failed),
    ]

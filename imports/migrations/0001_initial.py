import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import imports.models


class Migration(migrations.Migration):
    """ImportBatch moves here from core with its rows: this app takes the model over on core's
    table (nothing changes in the database), core lets go of it in its own migration, and the
    next migration gives the table this app's name."""

    initial = True

    dependencies = [
        ("core", "0003_import_batch_queued_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("record_type", models.CharField(db_index=True, max_length=50)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("file_name", models.CharField(max_length=255, verbose_name="file name")),
                        ("checksum", models.CharField(db_index=True, max_length=64, verbose_name="SHA-256")),
                        (
                            "upload",
                            models.FileField(blank=True, max_length=255, upload_to=imports.models._upload_path),
                        ),
                        ("options", models.JSONField(blank=True, default=dict)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("uploaded", "Checking"),
                                    ("previewed", "Ready to import"),
                                    ("queued", "Waiting to import"),
                                    ("importing", "Importing"),
                                    ("done", "Imported"),
                                    ("failed", "Failed"),
                                ],
                                default="uploaded",
                                max_length=20,
                            ),
                        ),
                        ("task_id", models.CharField(blank=True, max_length=50)),
                        ("rows", models.PositiveIntegerField(default=0)),
                        ("created", models.PositiveIntegerField(default=0)),
                        ("updated", models.PositiveIntegerField(default=0)),
                        ("unchanged", models.PositiveIntegerField(default=0)),
                        ("invalid", models.PositiveIntegerField(default=0)),
                        ("skipped", models.PositiveIntegerField(default=0)),
                        ("skip_reasons", models.JSONField(blank=True, default=dict)),
                        ("row_errors", models.JSONField(blank=True, default=list)),
                        ("progress", models.PositiveIntegerField(default=0, help_text="Rows processed so far")),
                        ("error", models.TextField(blank=True)),
                        ("previewed_at", models.DateTimeField(blank=True, null=True)),
                        ("queued_at", models.DateTimeField(blank=True, null=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="import_batches",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "core_importbatch",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "status__in",
                                        ["uploaded", "previewed", "queued", "importing", "done", "failed"],
                                    )
                                ),
                                name="import_status_known",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

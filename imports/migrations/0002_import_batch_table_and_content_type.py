from django.db import migrations


def _move_content_type(apps, from_label, to_label):
    """Relabel the model's content type rather than make a new one: its permissions keep their
    ids, so the roles and the users who hold them keep them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=from_label, model="importbatch")
    if not moving.exists():
        return  # a database that has never been migrated to the end: nothing to carry over
    # A `migrate` stopped half-way may have left a new, empty content type behind (made after
    # that migrate): the old one, with the permissions people hold, is the one kept.
    ContentType.objects.filter(app_label=to_label, model="importbatch").delete()
    moving.update(app_label=to_label)


def content_type_to_imports(apps, schema_editor):
    _move_content_type(apps, "core", "imports")


def content_type_to_core(apps, schema_editor):
    _move_content_type(apps, "imports", "core")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_import_batch_moved_to_imports"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="importbatch", table=None),
        migrations.RunPython(content_type_to_imports, content_type_to_core),
    ]

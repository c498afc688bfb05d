"""ImportBatch moved from core to the imports app with its rows: a batch recorded before the
move is still there after it, its content type and permissions keep their ids (so the roles
and the users who hold them keep them), and the move reverses."""

import pytest
from django.db import connection

from tests.migrating import migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.migrates]

BEFORE = [("core", "0003_import_batch_queued_at"), ("imports", None)]
AFTER = [("imports", "0002_import_batch_table_and_content_type")]


def tables():
    return {name for name in connection.introspection.table_names() if name.endswith("_importbatch")}


def test_a_batch_recorded_before_the_move_survives_it_with_its_permissions():
    old = migrate(BEFORE)
    assert tables() == {"core_importbatch"}
    User = old.get_model("accounts", "User")
    Permission = old.get_model("auth", "Permission")
    may_import = Permission.objects.get(content_type__app_label="core", codename="add_importbatch")
    user = User.objects.create(username="importer")
    user.user_permissions.add(may_import)
    batch = old.get_model("core", "ImportBatch").objects.create(
        record_type="seizures",
        created_by=user,
        file_name="seizures.csv",
        checksum="a" * 64,
        rows=3,
        created=3,
    )

    new = migrate(AFTER)
    assert tables() == {"imports_importbatch"}
    moved = new.get_model("imports", "ImportBatch").objects.get(pk=batch.pk)
    assert (moved.file_name, moved.created_by_id, moved.created) == ("seizures.csv", user.pk, 3)
    ContentType = new.get_model("contenttypes", "ContentType")
    assert list(ContentType.objects.filter(model="importbatch").values_list("pk", "app_label")) == [
        (may_import.content_type_id, "imports")
    ]
    held = new.get_model("accounts", "User").objects.get(pk=user.pk).user_permissions.get()
    assert (held.pk, held.content_type.app_label) == (may_import.pk, "imports")

    migrate(BEFORE)  # and back: reversible
    assert tables() == {"core_importbatch"}
    assert old.get_model("core", "ImportBatch").objects.filter(pk=batch.pk).exists()
    migrate(AFTER)


def test_a_content_type_made_by_a_migrate_stopped_half_way_gives_way_to_the_old_one():
    old = migrate(BEFORE)
    ContentType = old.get_model("contenttypes", "ContentType")
    held = ContentType.objects.get(app_label="core", model="importbatch")
    ContentType.objects.create(app_label="imports", model="importbatch")

    new = migrate(AFTER)
    found = new.get_model("contenttypes", "ContentType").objects.filter(model="importbatch")
    assert list(found.values_list("pk", "app_label")) == [(held.pk, "imports")]


REFUSED_BEFORE = [("imports", "0002_import_batch_table_and_content_type")]
REFUSED_AFTER = [("imports", "0003_batch_refused_state")]


def test_a_preview_with_invalid_rows_becomes_refused_and_back():
    old = migrate(REFUSED_BEFORE)
    user = old.get_model("accounts", "User").objects.create(username="importer")
    Batch = old.get_model("imports", "ImportBatch")
    invalid = Batch.objects.create(
        record_type="seizures", created_by=user, checksum="a", status="previewed", invalid=2
    )
    clean = Batch.objects.create(record_type="seizures", created_by=user, checksum="b", status="previewed")

    new = migrate(REFUSED_AFTER)
    statuses = dict(new.get_model("imports", "ImportBatch").objects.values_list("pk", "status"))
    assert statuses == {invalid.pk: "refused", clean.pk: "previewed"}

    old = migrate(REFUSED_BEFORE)  # and back: a refusal was recorded as a failure before
    statuses = dict(old.get_model("imports", "ImportBatch").objects.values_list("pk", "status"))
    assert statuses == {invalid.pk: "failed", clean.pk: "previewed"}

"""API tokens move from REST framework's authtoken, which kept each key as it is, to
django-rest-knox, which keeps a digest and an expiry.

Each existing key is hashed into a knox token that goes on working for GRACE_DAYS, so the
systems using one keep working while an Administrator issues them a new token (shown once);
after that it expires like any other. The keys themselves go with authtoken's table, its
content types and permissions, and Django's record of its migrations (installing authtoken again
would start afresh). Not undone by migrating back: the keys are gone.
"""

import datetime

from django.db import migrations
from django.utils import timezone

GRACE_DAYS = 30
TABLE = "authtoken_token"


def hash_keys_and_drop_the_table(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return  # a database made after the move: there never were such keys
    # knox's own hash, so that its check of a presented token matches.
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('key')}, {quote('user_id')} FROM {quote(TABLE)}")
        keys = cursor.fetchall()
    expiry = timezone.now() + datetime.timedelta(days=GRACE_DAYS)
    AuthToken = apps.get_model("knox", "AuthToken")
    AuthToken.objects.bulk_create(
        AuthToken(
            digest=hash_token(key),
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
            user_id=user_id,
            expiry=expiry,
        )
        for key, user_id in keys
    )
    schema_editor.execute(f"DROP TABLE {quote(TABLE)}")
    schema_editor.execute(f"DELETE FROM {quote('django_migrations')} WHERE app = %s", ["authtoken"])
    # Their permissions go with them, and with those every role's and user's hold on them.
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_token"),
        ("knox", "0009_extend_authtoken_field"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(hash_keys_and_drop_the_table, migrations.RunPython.noop)]

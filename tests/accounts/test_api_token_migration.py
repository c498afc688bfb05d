"""Tokens issued before the move to hashed tokens: each key still works for the grace period,
as a digest with an expiry, and the table that held the keys in clear is gone."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import ApiToken
from tests.migrating import migrate

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.migrates]

BEFORE = [("accounts", "0003_api_token")]
AFTER = [("accounts", "0004_api_tokens_from_rest_framework")]
KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # as REST framework's authtoken made them


def make_rest_framework_tokens(user):
    """authtoken's table as it was, with one key, its content type and a permission on it."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) NOT NULL PRIMARY KEY, '
            '"created" timestamp with time zone NOT NULL, '
            '"user_id" bigint NOT NULL UNIQUE REFERENCES accounts_user ("id"))'
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [KEY, timezone.now(), user.pk],
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('authtoken', '0001_initial', %s)",
            [timezone.now()],
        )
    token_type = ContentType.objects.create(app_label="authtoken", model="token")
    may_add = Permission.objects.create(content_type=token_type, codename="add_token", name="Can add token")
    Group.objects.get(name="Administrator").permissions.add(may_add)


def test_a_key_issued_before_works_for_the_grace_period_and_its_clear_copy_is_gone(client, analyst):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    migrate(BEFORE)
    make_rest_framework_tokens(analyst)

    migrate(AFTER)

    converted = ApiToken.objects.get()
    assert converted.user == analyst
    assert converted.expiry - timezone.now() == pytest.approx(
        datetime.timedelta(days=30), abs=datetime.timedelta(minutes=1)
    )
    assert client.get("/api/v1/seizures/", HTTP_AUTHORIZATION=f"Token {KEY}").status_code == 200
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone() == (0,)
    assert not ContentType.objects.filter(app_label="authtoken").exists()
    assert not Permission.objects.filter(codename="add_token").exists()

    ApiToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/seizures/", HTTP_AUTHORIZATION=f"Token {KEY}").status_code == 401


def test_a_database_made_after_the_move_migrates_both_ways_untouched():
    migrate(BEFORE)
    migrate(AFTER)

    assert not ApiToken.objects.exists()

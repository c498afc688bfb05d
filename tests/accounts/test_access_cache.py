"""What a user may do is read once and kept in the cache; a change of group, permission or
membership shows on the very next request, in any process sharing the cache."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from tests.factories.accounts import UserFactory

# Committed as the service commits, so that what is kept is what other requests would see.
pytestmark = pytest.mark.django_db(transaction=True)

PERMISSION_TABLES = ("auth_permission", "auth_group")


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def _permission_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [
        q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in PERMISSION_TABLES)
    ]


def test_a_second_page_reads_no_permissions_or_groups():
    client = _signed_in(UserFactory(role=Role.MANAGER))
    first, read = _permission_queries(client, "/dashboard/")
    second, again = _permission_queries(client, "/dashboard/")
    assert first.status_code == second.status_code == 200
    assert read and again == []


def test_joining_a_group_opens_its_pages_at_the_next_request():
    user = UserFactory(role=Role.PARTNER)
    client = _signed_in(user)
    assert client.get("/dashboard/").status_code == 403
    user.groups.add(Group.objects.get(name=Role.MANAGER))
    assert client.get("/dashboard/").status_code == 200


def test_leaving_a_group_closes_its_pages_at_the_next_request():
    user = UserFactory(role=Role.MANAGER)
    client = _signed_in(user)
    assert client.get("/dashboard/").status_code == 200
    user.groups.clear()
    assert client.get("/dashboard/").status_code == 403


def test_a_permission_taken_from_a_group_is_refused_at_the_next_request():
    client = _signed_in(UserFactory(role=Role.MANAGER))
    assert client.get("/dashboard/").status_code == 200
    managers = Group.objects.get(name=Role.MANAGER)
    managers.permissions.remove(Permission.objects.get(codename="view_indicator"))
    assert client.get("/dashboard/").status_code == 403


def test_two_users_never_get_each_others_permissions():
    partner, manager = UserFactory(role=Role.PARTNER), UserFactory(role=Role.MANAGER)
    assert _signed_in(manager).get("/dashboard/").status_code == 200
    assert _signed_in(partner).get("/dashboard/").status_code == 403


def test_a_deactivated_user_is_signed_out_whatever_is_cached():
    user = UserFactory(role=Role.MANAGER)
    client = _signed_in(user)
    assert client.get("/dashboard/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/dashboard/").status_code == 302


def test_the_cache_never_holds_a_password_hash():
    from django.core.cache import cache

    user = UserFactory(role=Role.MANAGER)
    client = _signed_in(user)
    client.get("/dashboard/")
    client.get("/dashboard/")
    stored = list(cache._cache.values())  # the tests' cache is in memory: every entry, pickled
    assert any(user.username.encode() in entry for entry in stored)  # the user is kept
    assert not any(user.password.encode() in entry for entry in stored)


def test_a_changed_password_signs_out_the_other_sessions_at_their_next_request():
    user = UserFactory(role=Role.MANAGER)
    elsewhere = _signed_in(user)
    assert elsewhere.get("/dashboard/").status_code == 200
    user.set_password("another-correct-horse-battery")
    user.save()
    assert elsewhere.get("/dashboard/").status_code == 302


def test_a_kept_user_saved_keeps_their_password():
    from accounts.access import CachedAccessBackend
    from accounts.models import User

    user = UserFactory(role=Role.MANAGER)
    client = _signed_in(user)
    client.get("/")
    kept = CachedAccessBackend().get_user(user.pk)
    assert "password" not in kept.__dict__  # the user as kept in the cache, its password deferred
    kept.first_name = "Renamed"
    kept.save()
    stored = User.objects.get(pk=user.pk)
    assert stored.first_name == "Renamed" and stored.check_password("correct-horse-battery-staple")

import pytest
from django.contrib.auth.models import Group

from accounts.models import Role
from accounts.roles import declared_permissions


def permissions_of(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_the_four_roles_exist_as_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Analyst",
        "Manager",
        "Partner",
        "Administrator",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_group_holds_exactly_its_declared_permissions(role):
    assert permissions_of(role.value) == set(declared_permissions(role))


@pytest.mark.django_db
def test_administrators_manage_users_and_agencies_and_others_do_not():
    assert {"accounts.change_user", "accounts.add_agency"} <= permissions_of("Administrator")
    for role in ("Analyst", "Manager", "Partner"):
        assert "accounts.change_user" not in permissions_of(role)
        assert "accounts.add_agency" not in permissions_of(role)


@pytest.mark.django_db
def test_analysts_and_managers_read_geography_and_partners_do_not():
    for role in ("Analyst", "Manager"):
        assert "geography.view_area" in permissions_of(role)
        assert "geography.change_area" not in permissions_of(role)
    assert not {p for p in permissions_of("Partner") if p.startswith("geography.")}


def test_only_administrators_reach_the_admin(client, analyst, manager, partner_a, administrator):
    for user in (analyst, manager, partner_a):
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302, user.username
        assert response["Location"].startswith("/admin/login/")
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/agency/").status_code == 200


def test_navigation_shows_administration_only_to_administrators(client, analyst, administrator):
    client.force_login(analyst)
    assert "/admin/" not in client.get("/").content.decode()
    client.force_login(administrator)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_a_user_without_a_role_is_told_to_ask_for_one(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="newcomer"))
    page = client.get("/").content.decode()
    assert "Your account has no role yet" in page

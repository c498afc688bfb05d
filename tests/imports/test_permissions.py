"""Analysts and administrators import and see imports; managers read the context data;
partners reach none of it."""

import pytest
from django.urls import reverse

from imports.models import ImportBatch
from tests.factories.imports import csv_bytes, uploaded

IMPORT_PAGES = [
    ("imports:list", []),
    ("imports:start", ["seizures"]),
    ("imports:start", ["police-uk-street-crime"]),
    ("imports:template", ["offences", "csv"]),
    ("imports:export", ["seizures", "csv"]),
]
CONTEXT_PAGES = [
    "opendata:index",
    "opendata:street_crime_list",
    "opendata:stop_search_list",
    "opendata:recorded_crime_list",
]


@pytest.fixture
def batch(analyst):
    return ImportBatch.objects.create(
        record_type="seizures", created_by=analyst, checksum="0" * 64, file_name="a.csv"
    )


@pytest.mark.parametrize(("name", "args"), IMPORT_PAGES)
def test_partners_and_managers_get_403_on_import_pages(client, partner_a, manager, name, args):
    for user in (partner_a, manager):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 403


def test_partners_get_403_on_a_batch_its_status_and_confirm(partner_a_client, batch):
    for name in ("imports:detail", "imports:status"):
        assert partner_a_client.get(reverse(name, args=[batch.pk])).status_code == 403
    assert partner_a_client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 403


def test_a_partner_cannot_upload(partner_a_client):
    response = partner_a_client.post(
        reverse("imports:start", args=["seizures"]),
        {"file": uploaded("s.csv", csv_bytes(["a"], [["1"]]))},
    )
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize("name", CONTEXT_PAGES)
def test_partners_get_403_on_context_pages(partner_a_client, name):
    assert partner_a_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", CONTEXT_PAGES)
def test_managers_and_analysts_read_context_pages(client, manager, analyst, name):
    for user in (manager, analyst):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(("name", "args"), IMPORT_PAGES)
def test_analysts_and_administrators_use_import_pages(client, analyst, administrator, name, args):
    for user in (analyst, administrator):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 200


def test_navigation_shows_each_role_its_sections(client, analyst, manager, partner_a):
    expected = {analyst: (True, True), manager: (False, True), partner_a: (False, False)}
    for user, (imports, open_data) in expected.items():
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert (f'href="{reverse("imports:list")}"' in page) is imports
        assert (f'href="{reverse("opendata:index")}"' in page) is open_data


def test_an_unknown_import_type_is_404(analyst_client):
    assert analyst_client.get(reverse("imports:start", args=["nonsense"])).status_code == 404


@pytest.fixture
def offence_importer(db):
    """A user who may import offences but not seizures."""
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username="offence_importer")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_importbatch", "add_importbatch", "add_offence", "view_offence"]
        )
    )
    return user


def test_a_batch_of_a_type_the_user_may_not_import_is_a_404(client, offence_importer, batch):
    client.force_login(offence_importer)
    for name in ("imports:detail", "imports:status"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UPLOADED


def test_the_import_list_shows_only_the_types_the_user_may_import(client, offence_importer, batch, analyst):
    theirs = ImportBatch.objects.create(
        record_type="offences", created_by=analyst, checksum="1" * 64, file_name="offences-file.csv"
    )
    client.force_login(offence_importer)
    page = client.get(reverse("imports:list")).content.decode()
    assert theirs.file_name in page and batch.file_name not in page
    assert client.get(reverse("imports:detail", args=[theirs.pk])).status_code == 200

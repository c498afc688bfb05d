"""The import start page offers the export by the importer's declaration, never by building it."""

from django.urls import reverse

from seizures.importers import SeizureImporter
from tests.factories import UserFactory


def test_the_start_page_does_not_build_the_export(analyst_client, monkeypatch, django_assert_max_num_queries):
    def building(*args, **kwargs):
        raise AssertionError("the export was built to decide whether to show a link")

    monkeypatch.setattr(SeizureImporter, "export_rows", building)

    with django_assert_max_num_queries(12):
        page = analyst_client.get(reverse("imports:start", args=["seizures"]))

    assert page.status_code == 200
    assert reverse("imports:export", args=["seizures", "csv"]) in page.content.decode()


def test_no_export_link_for_a_type_without_an_export(analyst_client):
    page = analyst_client.get(reverse("imports:start", args=["police-uk-street-crime"])).content.decode()
    assert "export.csv" not in page
    response = analyst_client.get(reverse("imports:export", args=["police-uk-street-crime", "csv"]))
    assert response.status_code == 404


def test_no_export_link_for_someone_who_may_import_but_not_view(client, db):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="loader")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_importbatch", "view_importbatch", "add_seizure"])
    )
    client.force_login(user)

    page = client.get(reverse("imports:start", args=["seizures"]))

    assert page.status_code == 200 and "export.csv" not in page.content.decode()
    assert client.get(reverse("imports:export", args=["seizures", "csv"])).status_code == 404

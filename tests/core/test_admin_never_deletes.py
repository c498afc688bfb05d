"""Reference data the records point at is never deleted in the admin, by a superuser either: the
confirmation page alone would list every record that refers to it."""

import pytest
from django.apps import apps

from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

KEPT = [
    "geography.Force",
    "geography.CommunitySafetyPartnership",
    "geography.Area",
    "accounts.User",
    "accounts.Agency",
    "seizures.Drug",
    "seizures.StreetPrice",
]


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("label", KEPT)
def test_a_superuser_cannot_delete_it_nor_open_the_confirmation_page(superuser_client, label):
    model = apps.get_model(label)
    made = {"accounts.User": lambda: UserFactory(username="someone"), "accounts.Agency": AgencyFactory}
    record = model.objects.order_by("pk").first() or made[label]()
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    assert superuser_client.get(f"{base}{record.pk}/delete/").status_code == 403
    assert superuser_client.post(f"{base}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()
    listing = superuser_client.get(base).content.decode()
    assert "delete_selected" not in listing

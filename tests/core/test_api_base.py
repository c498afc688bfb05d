"""The API base: methods an endpoint does not offer, validation errors from services, the
withdraw action and the door, shown on offences declared on the base and nothing else."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, get_resolver, include, path, reverse
from rest_framework.routers import SimpleRouter

from core.api import RecordViewSet
from offences import selectors, services
from offences.api.serializers import OffenceSerializer
from offences.models import Offence
from tests.factories import AgencyFactory, UserFactory
from tests.factories.offences import OffenceFactory
from tests.factories.partners import make_referral


class Offences(RecordViewSet):
    """Offences, declared on the base alone."""

    queryset = Offence.objects.all()
    list_selector = selectors.offence_list
    door = "openable_by"
    serializer_class = OffenceSerializer
    withdraw_service = services.offence_withdraw


class OffencesKeptForever(RecordViewSet):
    """The same type with no withdraw service."""

    queryset = Offence.objects.all()
    serializer_class = OffenceSerializer


router = SimpleRouter()
router.register("offences", Offences, basename="base-offence")
router.register("kept", OffencesKeptForever, basename="base-kept")
urlpatterns = [*get_resolver("strategy_portal.urls").url_patterns, path("base/", include(router.urls))]
pytestmark = pytest.mark.urls(__name__)

BASE = "/base/offences/"


@pytest.fixture
def offence(db):
    return OffenceFactory()


@pytest.fixture
def withdrawn(analyst):
    return services.offence_withdraw(offence=OffenceFactory(), user=analyst, reason="Recorded twice")


def refusing(error):
    def service(**kwargs):
        raise error

    return service


def user_with(*codenames):
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="offences", codename__in=codenames)
    )
    return user


# --- a method the endpoint does not offer ------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("partner_a", 403), ("analyst", 405), ("manager", 405), ("administrator", 405)],
)
def test_delete_is_405_for_whoever_may_read_and_refused_for_everyone_else(
    request, client, offence, role, status
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.delete(f"{BASE}{offence.pk}/")

    assert response.status_code == status
    assert Offence.objects.filter(pk=offence.pk).exists()


def test_a_reader_is_told_which_methods_there_are(manager_client, offence):
    response = manager_client.post(f"{BASE}{offence.pk}/", {}, content_type="application/json")

    assert response.status_code == 405
    assert "DELETE" not in response.headers["Allow"]
    assert "PATCH" in response.headers["Allow"]


# --- a Django ValidationError from a service ---------------------------------------------------


@pytest.mark.parametrize(
    ("error", "body"),
    [
        (ValidationError({"reason": "Say why in a sentence"}), {"reason": ["Say why in a sentence"]}),
        (
            ValidationError("This record has already been withdrawn"),
            {"non_field_errors": ["This record has already been withdrawn"]},
        ),
        (
            ValidationError({"__all__": ["The record clashes"], "plants": ["Too many plants"]}),
            {"non_field_errors": ["The record clashes"], "plants": ["Too many plants"]},
        ),
        (
            ValidationError({"plants": ValidationError("No more than %(most)s", params={"most": 100000})}),
            {"plants": ["No more than 100000"]},
        ),
    ],
)
def test_a_service_refusing_is_a_400_with_field_errors(monkeypatch, analyst_client, offence, error, body):
    monkeypatch.setattr(Offences, "withdraw_service", refusing(error))

    response = analyst_client.post(
        f"{BASE}{offence.pk}/withdraw/", {"reason": "Twice"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == body


def test_a_service_refusing_a_change_is_a_400_too(monkeypatch, analyst_client, offence):
    monkeypatch.setattr(services, "offence_update", refusing(ValidationError({"outcome": "Not yet"})))

    response = analyst_client.patch(f"{BASE}{offence.pk}/", {"plants": None}, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"outcome": ["Not yet"]}


# --- withdrawing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codenames", "status"),
    [(["view_offence", "add_offence"], 403), (["view_offence", "change_offence"], 200)],
)
def test_withdrawing_needs_the_change_permission_and_no_other(client, offence, codenames, status):
    client.force_login(user_with(*codenames))

    response = client.post(
        f"{BASE}{offence.pk}/withdraw/", {"reason": "Twice"}, content_type="application/json"
    )

    assert response.status_code == status
    offence.refresh_from_db()
    assert offence.is_withdrawn is (status == 200)


def test_withdrawing_asks_for_a_reason(analyst_client, offence):
    response = analyst_client.post(f"{BASE}{offence.pk}/withdraw/", {}, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"reason": ["This field is required."]}


def test_a_type_without_a_withdraw_service_has_no_withdraw_endpoint(analyst_client, offence):
    with pytest.raises(NoReverseMatch):
        reverse("base-kept-withdraw", args=[offence.pk])
    assert analyst_client.post(f"/base/kept/{offence.pk}/withdraw/", {"reason": "x"}).status_code == 404


# --- the door ----------------------------------------------------------------------------------


def test_a_record_outside_the_door_is_404(analyst_client, withdrawn):
    assert analyst_client.get(f"{BASE}{withdrawn.pk}/").status_code == 404
    assert analyst_client.get(f"{BASE}999999/").status_code == 404


def test_the_list_reads_through_the_selector_and_retrieve_through_the_door(
    administrator_client, withdrawn, offence
):
    listed = administrator_client.get(BASE).json()["results"]
    opened = administrator_client.get(f"{BASE}{withdrawn.pk}/")

    assert [row["id"] for row in listed] == [offence.pk]
    assert opened.status_code == 200
    assert opened.json()["is_withdrawn"] is True


def test_changes_reach_only_live_records(administrator_client, withdrawn):
    """Administrators open a withdrawn offence, but there is nothing left to change in it."""
    url = f"{BASE}{withdrawn.pk}/"

    assert (
        administrator_client.patch(url, {"plants": None}, content_type="application/json").status_code == 404
    )
    again = administrator_client.post(f"{url}withdraw/", {"reason": "Again"}, content_type="application/json")
    assert again.status_code == 404


def test_delete_on_a_referral_outside_the_door_is_405_like_any_other(partner_a, partner_b_client):
    """Nothing is looked up for a method no referral offers, so the 405 says nothing about this
    one, which Partner B (on neither side of it) cannot open."""
    outside = make_referral(by=partner_a, to=AgencyFactory(name="Warwickshire Drug Service"))
    url = f"/api/v1/referrals/{outside.pk}/"

    assert partner_b_client.get(url).status_code == 404
    assert partner_b_client.delete(url).status_code == 405


def test_a_json_body_over_the_limit_is_a_413(analyst_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"reference": "' + "x" * 2000 + '"}'
    response = analyst_client.post("/api/v1/seizures/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body must be 1,000 bytes or fewer"}


def test_a_json_body_within_the_limit_is_read(analyst_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = analyst_client.post("/api/v1/seizures/", '{"reference": "x"}', content_type="application/json")
    assert response.status_code == 400  # read, and refused for what it lacks

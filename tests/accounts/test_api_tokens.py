"""API tokens: issued by Administrators in the admin and shown once, stored as a digest only,
expiring, revocable; and no way round the two-factor authentication a role requires."""

import datetime
import hashlib
import logging

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.api_tokens import TWO_FACTOR_MISSING, api_token_issue
from accounts.models import ApiToken
from tests.factories.accounts import api_token

API = "/api/v1/seizures/"
ADD = "/admin/accounts/apitoken/add/"


def api_get(client, token):
    return client.get(API, HTTP_AUTHORIZATION=f"Token {token}")


def issue_in_the_admin(client, user, days=30):
    return client.post(ADD, {"user": user.pk, "days": days})


def issued_token(response):
    page = response.content.decode()
    return page.split('<pre id="issued-token">')[1].split("</pre>")[0]


@pytest.fixture
def two_factor_for_managers(settings):
    settings.OTP_REQUIRED_FOR_ROLES = ["Manager"]


def add_device(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


# --- issuing, once --------------------------------------------------------------------------


def test_an_administrator_issues_a_token_and_sees_it_once(administrator_client, analyst, client, caplog):
    caplog.set_level(logging.INFO, logger="accounts.security")

    response = issue_in_the_admin(administrator_client, analyst, days=30)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the admin's pages are never cached
    token = issued_token(response)
    assert len(token) == 64
    assert "Copy it now." in response.content.decode()
    stored = ApiToken.objects.get()
    assert stored.user == analyst
    assert stored.expiry - timezone.now() == pytest.approx(
        datetime.timedelta(days=30), abs=datetime.timedelta(minutes=1)
    )
    assert api_get(client, token).status_code == 200
    # Never again: not in the list, the token's own page or the admin's log.
    for page in ("/admin/accounts/apitoken/", f"/admin/accounts/apitoken/{stored.pk}/change/"):
        shown = administrator_client.get(page)
        assert shown.status_code == 200
        assert token not in shown.content.decode()
        assert stored.token_key[:8] in shown.content.decode()
    assert token not in LogEntry.objects.get().object_repr
    assert not any(token in record.getMessage() for record in caplog.records)
    assert "issued to analyst by administrator" in caplog.text


def test_only_the_digest_of_a_token_is_stored(analyst):
    token = api_token(analyst)

    row = AuthToken.objects.values().get()
    assert token not in {str(value) for value in row.values()}
    assert row["digest"] == hashlib.sha512(token.encode()).hexdigest()


def test_the_issue_form_offers_only_save(administrator_client):
    page = administrator_client.get(ADD).content.decode()

    assert 'name="_save"' in page
    assert 'name="_continue"' not in page and 'name="_addanother"' not in page


@pytest.mark.parametrize(("days", "issued"), [(0, False), (1, True), (365, True), (366, False)])
def test_a_token_is_valid_for_one_day_to_a_year(administrator_client, analyst, days, issued):
    response = issue_in_the_admin(administrator_client, analyst, days=days)

    assert ApiToken.objects.exists() is issued
    if not issued:
        assert response.status_code == 200 and "errornote" in response.content.decode()


def test_the_service_refuses_a_validity_beyond_the_limit(analyst, settings):
    settings.API_TOKEN_MAX_DAYS = 90

    with pytest.raises(ValidationError, match="Between 1 and 90 days"):
        api_token_issue(user=analyst, days=91, issued_by=analyst)


def test_a_token_is_never_edited(administrator_client, analyst):
    api_token(analyst)
    stored = ApiToken.objects.get()

    response = administrator_client.post(
        f"/admin/accounts/apitoken/{stored.pk}/change/", {"user": stored.user_id}
    )

    assert response.status_code == 403


def test_knox_s_own_admin_is_replaced():
    assert not admin.site.is_registered(AuthToken)
    assert admin.site.is_registered(ApiToken)


# --- expired, revoked, wrong: 401 ------------------------------------------------------------


def test_an_expired_token_is_refused_with_401(client, analyst):
    token = api_token(analyst, days=1)
    ApiToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))

    response = api_get(client, token)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused_with_401(administrator_client, client, analyst, caplog):
    caplog.set_level(logging.INFO, logger="accounts.security")
    token = api_token(analyst)
    assert api_get(client, token).status_code == 200
    stored = ApiToken.objects.get()

    response = administrator_client.post(f"/admin/accounts/apitoken/{stored.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert api_get(client, token).status_code == 401
    assert f"API token {stored.token_key[:8]}… of analyst revoked by administrator" in caplog.text


def test_a_wrong_token_is_refused_with_401(client, analyst):
    token = api_token(analyst)

    assert api_get(client, token[:-1] + ("0" if token[-1] != "0" else "1")).status_code == 401
    assert api_get(client, "not-a-token").status_code == 401


def test_the_token_of_a_deactivated_user_is_refused_and_none_is_issued_to_them(client, analyst):
    token = api_token(analyst)
    analyst.is_active = False
    analyst.save()

    assert api_get(client, token).status_code == 401
    with pytest.raises(ValidationError, match="deactivated"):
        api_token(analyst)


# --- two-factor -------------------------------------------------------------------------------


def test_a_manager_without_an_authenticator_app_is_issued_no_token(
    administrator_client, manager, two_factor_for_managers
):
    add_device(manager, confirmed=False)  # set-up begun, never finished

    response = issue_in_the_admin(administrator_client, manager)

    assert (
        "requires two-factor authentication and they have no authenticator app" in response.content.decode()
    )
    assert not ApiToken.objects.exists()
    with pytest.raises(ValidationError):
        api_token(manager)


def test_a_manager_with_an_authenticator_app_is_issued_a_token_that_works(
    client, manager, two_factor_for_managers
):
    add_device(manager)

    assert api_get(client, api_token(manager)).status_code == 200


def test_a_managers_token_is_refused_once_their_app_is_removed_and_works_again_with_a_new_one(
    client, manager, two_factor_for_managers
):
    device = add_device(manager)
    token = api_token(manager)
    device.delete()  # a lost phone

    refused = api_get(client, token)

    assert refused.status_code == 401
    assert refused.json() == {"detail": TWO_FACTOR_MISSING}
    add_device(manager)
    assert api_get(client, token).status_code == 200


def test_a_token_issued_before_two_factor_was_required_is_refused_without_an_app(client, manager, settings):
    token = api_token(manager)
    assert api_get(client, token).status_code == 200

    settings.OTP_REQUIRED_FOR_ROLES = ["Manager"]

    assert api_get(client, token).status_code == 401


def test_the_admin_says_which_tokens_work_and_why_the_others_do_not(
    administrator_client, administrator, manager, analyst, partner_a, two_factor_for_managers
):
    api_token(analyst)
    device = add_device(manager)
    api_token(manager)
    device.delete()
    api_token(partner_a)
    partner_a.is_active = False
    partner_a.save()
    api_token(administrator, days=1)
    ApiToken.objects.filter(user=administrator).update(expiry=timezone.now())

    page = administrator_client.get("/admin/accounts/apitoken/").content.decode()

    assert page.count("Refused until its holder sets up two-factor authentication") == 1
    assert page.count("Refused: the account is deactivated") == 1
    assert page.count("Expired") == 1
    assert page.count("Valid") == 1


def test_roles_that_need_no_code_need_no_app(client, analyst, two_factor_for_managers):
    assert api_get(client, api_token(analyst)).status_code == 200

"""TOTP two-factor authentication for the roles OTP_REQUIRED_FOR_ROLES lists."""

import logging
import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery-staple"  # tests/factories/accounts.py


@pytest.fixture
def two_factor_on(settings):
    settings.OTP_REQUIRED_FOR_ROLES = ["Administrator", "Manager"]
    # No wait between codes: each test controls its own wrong and right codes.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def add_device(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_for(device):
    """The code the user's authenticator app shows now."""
    device.refresh_from_db()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:06d}"


def wrong_code_for(device):
    return "000000" if code_for(device) != "000000" else "111111"


def test_a_manager_is_sent_to_the_code_page_after_the_password(client, manager, two_factor_on):
    add_device(manager)

    response = client.post("/sign-in/", {"username": "manager", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/account/two-factor/?next=/"
    assert "Enter the code from your authenticator app" in response.content.decode()


def test_no_other_page_works_until_the_code_is_confirmed(manager_client, manager, two_factor_on):
    add_device(manager)

    for path in ("/", "/account/password/", "/admin/"):
        response = manager_client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/account/two-factor/?next="), path
    # The API answers in JSON rather than redirecting.
    response = manager_client.get("/api/schema/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Two-factor authentication is required."}


def test_a_valid_code_lets_the_manager_in_and_back_to_the_page_they_asked_for(
    manager_client, manager, two_factor_on
):
    device = add_device(manager)

    response = manager_client.post("/account/two-factor/", {"code": code_for(device), "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    page = manager_client.get("/")
    assert page.status_code == 200
    assert "Strategy overview" in page.content.decode()


def test_a_wrong_code_is_a_field_error_in_an_error_summary(manager_client, manager, two_factor_on, caplog):
    device = add_device(manager)
    wrong = wrong_code_for(device)
    caplog.set_level(logging.WARNING, logger="accounts.security")

    response = manager_client.post("/account/two-factor/", {"code": wrong, "next": "/"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_code"' in page
    assert "govuk-form-group--error" in page
    assert "The code is not correct or has expired" in page
    assert "<title>Error: " in page
    assert manager_client.get("/").status_code == 302
    assert any("Two-factor code refused" in r.getMessage() for r in caplog.records)


def test_a_code_that_is_not_six_digits_is_explained(manager_client, manager, two_factor_on):
    add_device(manager)

    page = manager_client.post("/account/two-factor/", {"code": "12ab"}).content.decode()
    assert "Enter the code as 6 digits" in page
    page = manager_client.post("/account/two-factor/", {"code": ""}).content.decode()
    assert "Enter the 6-digit code from your authenticator app" in page


def test_a_code_with_a_space_as_apps_show_it_is_accepted(manager_client, manager, two_factor_on):
    device = add_device(manager)
    code = code_for(device)

    response = manager_client.post("/account/two-factor/", {"code": f"{code[:3]} {code[3:]}"})

    assert response.status_code == 302


def test_a_code_cannot_be_used_twice(client, manager, two_factor_on):
    device = add_device(manager)
    code = code_for(device)
    client.force_login(manager)
    assert client.post("/account/two-factor/", {"code": code}).status_code == 302
    client.post("/sign-out/")

    client.force_login(manager)
    response = client.post("/account/two-factor/", {"code": code})

    assert response.status_code == 200
    assert "The code is not correct or has expired" in response.content.decode()


def test_repeated_wrong_codes_make_the_user_wait(manager_client, manager, settings, two_factor_on):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = add_device(manager)
    for _ in range(3):
        manager_client.post("/account/two-factor/", {"code": wrong_code_for(device)})

    response = manager_client.post("/account/two-factor/", {"code": code_for(device)})

    assert response.status_code == 200
    assert "You have entered too many wrong codes. Wait" in response.content.decode()


def test_next_cannot_send_the_user_to_another_site(manager_client, manager, two_factor_on):
    device = add_device(manager)

    response = manager_client.post(
        "/account/two-factor/", {"code": code_for(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_a_manager_without_an_app_sets_one_up_first(manager_client, manager, two_factor_on):
    response = manager_client.get("/account/two-factor/?next=/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/set-up/?next=%2F"

    page = manager_client.get(response["Location"]).content.decode()
    assert "Set up your authenticator app" in page
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=manager)
    assert not device.confirmed
    key = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    assert len(key.replace(" ", "")) == 32  # 20 random bytes in base32
    # Reloading keeps the same key: the app may already hold it.
    manager_client.get("/account/two-factor/set-up/")
    assert TOTPDevice.objects.filter(user=manager).count() == 1

    response = manager_client.post("/account/two-factor/set-up/", {"code": code_for(device), "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert manager_client.get("/").status_code == 200


def test_a_wrong_first_code_leaves_the_app_unconfirmed(manager_client, manager, two_factor_on):
    manager_client.get("/account/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=manager)
    response = manager_client.post("/account/two-factor/set-up/", {"code": wrong_code_for(device)})

    assert response.status_code == 200
    assert "The code is not correct or has expired" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_a_second_app_cannot_be_added_with_only_the_password(manager_client, manager, two_factor_on):
    add_device(manager)

    response = manager_client.get("/account/two-factor/set-up/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=")
    assert TOTPDevice.objects.filter(user=manager).count() == 1


def test_the_code_page_shows_no_navigation_until_confirmed(manager_client, manager, two_factor_on):
    add_device(manager)

    page = manager_client.get("/account/two-factor/").content.decode()

    assert "govuk-service-navigation" not in page
    assert "Change password" not in page
    assert "Sign out" in page


def test_an_unverified_user_can_still_sign_out(manager_client, manager, two_factor_on):
    add_device(manager)

    response = manager_client.post("/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"


def test_with_the_setting_off_nothing_is_asked(manager_client, manager, settings):
    settings.OTP_REQUIRED_FOR_ROLES = []
    add_device(manager)

    assert manager_client.get("/").status_code == 200
    assert manager_client.get("/account/two-factor/")["Location"] == "/"


def test_an_analyst_is_not_asked(analyst_client, two_factor_on):
    assert analyst_client.get("/").status_code == 200
    assert analyst_client.get("/account/two-factor/")["Location"] == "/"


def test_an_administrator_needs_the_code_for_the_admin(administrator_client, administrator, two_factor_on):
    device = add_device(administrator)

    response = administrator_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/?next=/admin/"

    administrator_client.post("/account/two-factor/", {"code": code_for(device), "next": "/admin/"})

    assert administrator_client.get("/admin/").status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_administrator(administrator, settings):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    administrator.is_verified = lambda: False

    settings.OTP_REQUIRED_FOR_ROLES = []
    assert admin.site.has_permission(request)
    settings.OTP_REQUIRED_FOR_ROLES = ["Administrator"]
    assert not admin.site.has_permission(request)
    administrator.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_administrators_can_unlock_accounts_and_reset_apps_in_the_admin(
    administrator_client, administrator, two_factor_on
):
    device = add_device(administrator)
    administrator_client.post("/account/two-factor/", {"code": code_for(device)})

    assert administrator_client.get("/admin/otp_totp/totpdevice/").status_code == 200
    assert administrator_client.get("/admin/axes/accessattempt/").status_code == 200


def test_administrators_never_see_a_users_secret_key(
    administrator_client, administrator, manager, two_factor_on
):
    own = add_device(administrator)
    administrator_client.post("/account/two-factor/", {"code": code_for(own)})
    device = add_device(manager)

    page = administrator_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert administrator_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    assert administrator_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403


def test_production_requires_the_code_of_administrators_and_managers():
    import subprocess
    import sys

    from django.conf import settings as django_settings

    from tests.production import production_env

    code = "from strategy_portal import settings_production as s; print(','.join(s.OTP_REQUIRED_FOR_ROLES))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "Administrator,Manager", result.stderr


def test_an_unknown_role_in_the_setting_is_a_system_check_error(settings):
    from accounts.two_factor import check_required_roles

    settings.OTP_REQUIRED_FOR_ROLES = ["Manager"]
    assert check_required_roles(None) == []
    settings.OTP_REQUIRED_FOR_ROLES = ["Managers"]
    assert [e.id for e in check_required_roles(None)] == ["accounts.E001"]

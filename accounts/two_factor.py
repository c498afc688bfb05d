"""Two-factor authentication with a TOTP authenticator app (django-otp).

Who needs it is a setting, OTP_REQUIRED_FOR_ROLES (production: Administrators and Managers).
Such a user signs in with their password, then confirms a six-digit code from their app before
any other page works (`accounts.middleware.TwoFactorRequiredMiddleware`). A user without an app
yet sets one up first: scan a QR code (or type the key), then confirm the first code.
"""

import base64
import io
import math

import django_otp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

DEVICE_NAME = "Authenticator app"


def two_factor_required(user):
    """Whether this signed-in user must confirm a code: they hold a role listed in
    OTP_REQUIRED_FOR_ROLES."""
    if not user.is_authenticated:
        return False
    return any(user.has_role(role) for role in settings.OTP_REQUIRED_FOR_ROLES)


def two_factor_pending(user):
    """Signed in with a password but still owing the code their role requires."""
    if not two_factor_required(user):
        return False
    is_verified = getattr(user, "is_verified", None)  # installed by django-otp's middleware
    return not (is_verified and is_verified())


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def device_for_setup(user):
    """The user's unconfirmed device: the same one (and key) until they confirm it, so a user
    who scanned the code and reloaded the page is not sent a new key."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def two_factor_verify(*, request, device, token):
    """Check `token` against the user's device; on success mark this session verified.

    Returns the device or None. Runs in a transaction with the device row locked, so the same
    code cannot be used twice by two requests at once; django-otp throttles repeated failures.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        if not device.verify_token(token):
            return None
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # Set-up is finished: any other half-finished set-up is abandoned.
            TOTPDevice.objects.devices_for_user(request.user, confirmed=False).delete()
    # A new session key for the more trusted session, as Django does at sign-in.
    request.session.cycle_key()
    django_otp.login(request, device)
    return device


def seconds_until_retry(device):
    """0 when the device accepts a code now; otherwise how long django-otp's throttling (the
    wait doubles with each wrong code in a row: 1, 2, 4, 8 … seconds) still holds it."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def key_for_display(device):
    """The secret in base32 as authenticator apps take it typed in, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(device):
    """The device's otpauth:// URI as an SVG QR code in a data: URI (allowed by the CSP's
    img-src), so nothing is fetched from another service."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def check_required_roles(app_configs, **kwargs):
    """A misspelt role in OTP_REQUIRED_FOR_ROLES would silently switch two-factor off for it."""
    from django.core.checks import Error

    from .models import Role

    unknown = sorted(set(settings.OTP_REQUIRED_FOR_ROLES) - set(Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"OTP_REQUIRED_FOR_ROLES names unknown roles: {', '.join(unknown)}",
            hint=f"Use any of: {', '.join(Role.values)}.",
            id="accounts.E001",
        )
    ]

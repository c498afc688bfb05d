import logging
import math
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from . import two_factor
from .forms import TwoFactorCodeForm
from .models import Role
from .navigation import sections_for

security_log = logging.getLogger("accounts.security")

LANDING_HEADINGS = {
    Role.ADMINISTRATOR: "Administration",
    Role.MANAGER: "Strategy overview",
    Role.ANALYST: "Analyst workspace",
    Role.PARTNER: "Partner referrals",
}


def home(request):
    """Where each role lands after signing in: the sections it may use."""
    role = request.user.primary_role
    sections = [s for s in sections_for(request.user) if s["url_name"] != "home"]
    return render(
        request,
        "accounts/home.html",
        {
            "role": role,
            "heading": LANDING_HEADINGS.get(role, "Your account"),
            "sections": sections,
            "agency": request.user.agency,
        },
    )


def _next_url(request):
    """Where to go once the code is confirmed: the page first asked for, if it is on this site."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("home")


def _with_next(url_name, next_url):
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _check_code(request, form, device):
    """Validate the form's code against the device; add the error the user should see."""
    if not form.is_valid():
        return False
    wait = two_factor.seconds_until_retry(device)
    if wait:
        wait_text = f"{wait} second{pluralize(wait)}" if wait < 120 else f"{math.ceil(wait / 60)} minutes"
        form.add_error(
            "code",
            f"You have entered too many wrong codes. Wait {wait_text}, then enter the code your app shows",
        )
        return False
    if two_factor.two_factor_verify(request=request, device=device, token=form.cleaned_data["code"]):
        security_log.info("Two-factor code accepted: username=%r", request.user.get_username())
        return True
    security_log.warning("Two-factor code refused: username=%r", request.user.get_username())
    form.add_error("code", "The code is not correct or has expired. Enter the code your app shows now")
    return False


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """After the password: the code from the user's authenticator app."""
    next_url = _next_url(request)
    if not two_factor.two_factor_pending(request.user):
        return redirect(next_url)
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect(_with_next("two_factor_setup", next_url))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and _check_code(request, form, device):
        return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """First sign-in of a user who needs two-factor authentication: add an authenticator app.

    Only while the user has no confirmed app: replacing one is an administrator's job (they
    delete the old device in the admin), so a stolen password cannot enrol a new phone."""
    next_url = _next_url(request)
    if not two_factor.two_factor_pending(request.user):
        return redirect(next_url)
    if two_factor.confirmed_device(request.user) is not None:
        return redirect(_with_next("two_factor_verify", next_url))
    device = two_factor.device_for_setup(request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and _check_code(request, form, device):
        security_log.info("Authenticator app set up: username=%r", request.user.get_username())
        return redirect(next_url)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": two_factor.qr_code_data_uri(device),
            "key": two_factor.key_for_display(device),
            "account_name": request.user.get_username(),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )

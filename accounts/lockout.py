"""Sign-in lockout with django-axes: who is locked, how it is logged, what the user sees.

The settings (`AXES_*` in strategy_portal/settings.py) lock a username, and separately the address
the attempts come from, after ten failures; these hooks adapt axes to the service.
"""

import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver
from django.shortcuts import render

logger = logging.getLogger("accounts.security")


def client_ip_address(request):
    """The client's address: the socket's peer, or, behind TRUSTED_PROXY_COUNT trusted proxies, the
    address the outermost of them appended to X-Forwarded-For. Earlier entries in that header
    are whatever the client sent, so they are never trusted."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful sign-in clears only that user's own
    failures. Axes would also clear every failure from the same address, so anyone holding one
    valid account could reset the count an attacker's guesses at other accounts had built up."""

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


@receiver(user_locked_out, dispatch_uid="accounts.log_lockout")
def log_lockout(sender, request, username, ip_address, **kwargs):
    """Every refused sign-in during a lockout is a security event for the force's audit log."""
    logger.warning(
        "Sign-in locked out: username=%r address=%s after %s failed attempts (cool-off %s)",
        username,
        ip_address,
        getattr(request, "axes_failures_since_start", "?"),
        get_cool_off(request),
    )


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the sign-in form while a username or address is locked."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(
        request,
        "accounts/locked_out.html",
        {"cool_off_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )

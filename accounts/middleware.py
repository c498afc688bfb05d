from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from rest_framework.views import APIView

from .two_factor import two_factor_pending

# What a user who still owes a two-factor code may reach: the code pages, signing out (or in as
# someone else) and the health check.
REACHABLE_BEFORE_TWO_FACTOR = {"two_factor_verify", "two_factor_setup", "logout", "login", "healthz"}


class TwoFactorRequiredMiddleware:
    """Sends a signed-in user whose role requires two-factor authentication (settings
    OTP_REQUIRED_FOR_ROLES) and who has not confirmed a code in this session to the code page,
    from every page: LoginRequiredMiddleware does not, because they are signed in.

    Goes after OTPMiddleware (which tells whether the session is verified) and
    LoginRequiredMiddleware (anonymous visitors are sent to sign in first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not two_factor_pending(request.user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in REACHABLE_BEFORE_TWO_FACTOR:
            return None
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            # The API answers in JSON: a session still owing its code is refused, not redirected.
            return JsonResponse({"detail": "Two-factor authentication is required."}, status=403)
        return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))


class SessionRenewalMiddleware:
    """Renews a session's thirty minutes (SESSION_COOKIE_AGE) on the requests made with it,
    at most once a minute (SESSION_RENEW_AFTER seconds): saving it on every request, as
    SESSION_SAVE_EVERY_REQUEST does, writes a row per page view. A session ends between 29 and
    30 minutes after its last request. Goes after SessionMiddleware, which saves what this
    marks changed. Visitors without a session are not given one."""

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        if session.modified or _now() - session.get(self.KEY, 0) >= settings.SESSION_RENEW_AFTER:
            # Saved either way (SessionMiddleware saves a changed session): its thirty minutes
            # start now.
            session[self.KEY] = _now()
        return response


def _now():
    return int(timezone.now().timestamp())


@receiver(user_logged_in)
def _session_renewed_at_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session with its thirty minutes: the next minute needs no write."""
    if hasattr(request, "session"):
        request.session[SessionRenewalMiddleware.KEY] = _now()

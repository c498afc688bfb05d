from django.conf import settings

from .navigation import sections_for
from .two_factor import two_factor_pending


def service(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # Until a required two-factor code is confirmed, the only way on is the code page.
    pending = signed_in and two_factor_pending(user)
    return {
        "service_name": settings.SERVICE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "environment_name": settings.ENVIRONMENT_NAME,
        "navigation": sections_for(user) if signed_in and not pending else [],
        "two_factor_pending": pending,
    }

from django.conf import settings

from .navigation import sections_for


def service(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "service_name": settings.SERVICE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "environment_name": settings.ENVIRONMENT_NAME,
        "navigation": sections_for(user) if signed_in else [],
    }

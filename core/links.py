"""Links that leave the site: in an email, a path alone ("/referrals/7/") leads nowhere."""

from django.conf import settings


def absolute_url(path):
    """`path`, as reverse() gives it, after SITE_URL: the address users reach the service at.
    Emails are sent by tasks with no request to take the host from, so it is a setting."""
    if not path.startswith("/"):
        raise ValueError(f"{path!r} is not a path from the site's root")
    return settings.SITE_URL.rstrip("/") + path

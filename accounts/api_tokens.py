"""API tokens: issued and revoked by Administrators in the admin, hashed at rest, each with an
expiry (django-rest-knox).

The token itself is shown once, when it is issued; the service keeps a digest. A request with an
expired or revoked token is refused with 401.

Two-factor: a token is used without a code, so it must not be a way round the code a role
requires (OTP_REQUIRED_FOR_ROLES: in production, Administrators and Managers). A holder of such a
role is issued a token only once they have confirmed an authenticator app of their own, and
their token is refused (401) whenever they have none: their device was removed after a lost
phone, or they gained the role after the token was issued. The token stays: it works again once
they have set up a new app.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken
from .two_factor import confirmed_device, two_factor_required

logger = logging.getLogger("accounts.security")

TWO_FACTOR_MISSING = (
    "This account's role requires two-factor authentication: its API token works only while "
    "the account has an authenticator app set up."
)


def lacks_required_two_factor(user):
    return two_factor_required(user) and confirmed_device(user) is None


def api_token_refusal(user):
    """Why `user` may not be issued a token, or None."""
    if not user.is_active:
        return f"{user.get_username()}'s account is deactivated."
    if lacks_required_two_factor(user):
        return (
            f"{user.get_username()}'s role requires two-factor authentication and they have no "
            "authenticator app set up yet. They set one up at their next sign-in; then issue the token."
        )
    return None


def api_token_issue(*, user, days, issued_by):
    """A new token for `user`, valid for `days`: (ApiToken, the token). The token is not kept:
    hand it to its holder now."""
    refusal = api_token_refusal(user)
    if refusal:
        raise ValidationError({"user": refusal})
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"Between 1 and {settings.API_TOKEN_MAX_DAYS} days."})
    api_token, token = ApiToken.objects.create(user=user, expiry=datetime.timedelta(days=days))
    logger.info(
        "API token %s… issued to %s by %s, expires %s",
        api_token.token_key[:8],
        user.get_username(),
        issued_by.get_username(),
        api_token.expiry.isoformat(),
    )
    return api_token, token


def api_token_revoke(*, api_token, revoked_by):
    logger.info(
        "API token %s… of %s revoked by %s",
        api_token.token_key[:8],
        api_token.user.get_username(),
        revoked_by.get_username(),
    )
    api_token.delete()


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check (digest, expiry, active user), then the two-factor rule above."""

    def validate_user(self, auth_token):
        user, auth_token = super().validate_user(auth_token)
        if lacks_required_two_factor(user):
            raise AuthenticationFailed(TWO_FACTOR_MISSING)
        return user, auth_token


class TokenScheme(KnoxTokenScheme):
    """The API documentation describes the token as knox's: `Authorization: Token …`."""

    target_class = TokenAuthentication
    name = "tokenAuth"  # the name the schema has always given it

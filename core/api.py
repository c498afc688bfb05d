"""REST framework pieces shared by the apps' APIs."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as rest_framework_exception_handler


class ModelPermissions(DjangoModelPermissions):
    """The role's Django model permissions, reading included: GET needs `view_<model>`.

    (REST framework's own class lets anyone authenticated read.)"""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


def exception_handler(exc, context):
    """REST framework's handler; a Django ValidationError (a model's clean(), a service refusing
    a change) is bad input, so a 400 naming the fields, never a 500. Whole-record messages go
    under non_field_errors, as a serializer reports them."""
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(
            {
                (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): messages
                for name, messages in serializers.as_serializer_error(exc).items()
            }
        )
    return rest_framework_exception_handler(exc, context)

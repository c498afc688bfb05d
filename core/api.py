"""The API base every app's viewsets stand on.

A record type's viewset declares its serializer, its FilterSet, which records each action reads
and (for a type withdrawn through the API) its withdraw service. The rest is here, once:

- reading needs the model's view permission, writing its add or change permission;
- a method an endpoint does not offer (DELETE: nothing is deleted by users) is a 405 for anyone
  who may read there;
- a Django ValidationError from a model or a service is a 400 with field errors
  (`exception_handler`, REST framework's EXCEPTION_HANDLER), so nothing converts them itself;
  a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413.
"""

import inspect

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, MethodNotAllowed
from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as rest_framework_exception_handler


class RequestTooLarge(APIException):
    status_code = 413
    default_code = "request_too_large"


class ModelPermissions(DjangoModelPermissions):
    """The role's Django model permissions, reading included: GET needs `view_<model>`.

    (REST framework's own class lets anyone authenticated read.)"""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class ChangePermissions(ModelPermissions):
    """For an action that changes a record (withdraw, re-price): a POST that is not an addition."""

    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


def exception_handler(exc, context):
    """REST framework's handler; a Django ValidationError (a model's clean(), a service refusing
    a change) is bad input, so a 400 naming the fields, never a 500. Whole-record messages go
    under non_field_errors, as a serializer reports them."""
    if isinstance(exc, RequestDataTooBig):
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE as it is read: in the API that
        # is a 413 an API client can act on, not an HTML page.
        exc = RequestTooLarge(
            f"The request body must be {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes or fewer"
        )
    elif isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(
            {
                (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): messages
                for name, messages in serializers.as_serializer_error(exc).items()
            }
        )
    return rest_framework_exception_handler(exc, context)


class WithdrawalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Why the record is being withdrawn")


class RecordSchema(AutoSchema):
    """The one withdraw action, described for each record type: the type's reason serializer in,
    the record out."""

    def get_request_serializer(self):
        if self.view.action == "withdraw":
            return self.view.withdrawal_serializer_class
        return super().get_request_serializer()

    def get_description(self):
        if self.view.action == "withdraw":
            return self.view.get_view_description()
        return super().get_description()


def _called_for(selector, user):
    # A selector that narrows by who asks takes `user=`; one that shows everyone the same, nothing.
    if "user" in inspect.signature(selector).parameters:
        return selector(user=user)
    return selector()


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve, for anyone holding the model's view permission.

    Which records each action reads is declared once, on the class:

    `queryset`
        The type's records, loaded with what one record's representation needs. It names the
        model whose permissions apply, and every action but the list starts from it.
    `list_selector`
        The list: the app's selector, the one its list page and exports read (called with
        `user=` when it takes one). Without it the list reads like the other actions.
    `door`
        The model's QuerySet method that takes the user and keeps what they may open
        (`openable_by`, `visible_to`). Every action but the list reads through it, so a record
        outside it is a 404. Without it, whoever may read the type reads all of it.
    `changes_live_only`
        Whether actions other than list and retrieve (update, withdraw, the type's own) read
        only live records, so a withdrawn one is a 404 to them.
    """

    permission_classes = [IsAuthenticated, ModelPermissions]
    schema = RecordSchema()
    list_selector = None
    door = None
    changes_live_only = False

    def get_queryset(self):
        user = self.request.user
        if self.action == "list" and self.list_selector is not None:
            return _called_for(type(self).list_selector, user)
        records = super().get_queryset()
        if self.door is not None:
            records = getattr(records, self.door)(user)
        if self.changes_live_only and self.action not in ("list", "retrieve"):
            records = records.live()
        return records

    def check_permissions(self, request):
        # The model permissions alone would answer 403 for the delete permission nobody holds:
        # a reader is told the method is not offered here at all.
        if request.method not in self.allowed_methods and self._may_read(request.user):
            raise MethodNotAllowed(request.method)
        super().check_permissions(request)

    def _may_read(self, user):
        model = self.queryset.model._meta
        return user.has_perm(f"{model.app_label}.view_{model.model_name}")


class RecordViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    """A record type: list, retrieve, create and update; never DELETE (records are withdrawn
    with a reason). Declare which records each action reads as for `ReadViewSet`; changes read
    live records only unless the type says otherwise.

    `withdraw_service`, when given, offers POST `{id}/withdraw/` with `{"reason": …}` to holders
    of the model's change permission, and calls it as `service(<model_name>=record, user=,
    reason=)`. `withdrawal_serializer_class` reads the reason."""

    changes_live_only = True
    withdraw_service = None
    withdrawal_serializer_class = WithdrawalReasonSerializer

    @classmethod
    def get_extra_actions(cls):
        actions = super().get_extra_actions()
        if cls.withdraw_service is None:
            # Withdrawn some other way (a referral, through its workflow), or not at all.
            actions = [extra for extra in actions if extra.__name__ != "withdraw"]
        return actions

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ChangePermissions])
    def withdraw(self, request, *args, **kwargs):
        record = self.get_object()
        reason = self.withdrawal_serializer_class(data=request.data)
        reason.is_valid(raise_exception=True)
        type(self).withdraw_service(
            **{record._meta.model_name: record}, user=request.user, reason=reason.validated_data["reason"]
        )
        record.refresh_from_db()
        return Response(self.get_serializer(record).data)

    def get_view_description(self, html=False):
        # Named by its route, not self.action, which an OPTIONS request sets to "metadata".
        if "withdraw" in self.action_map.values():
            record = self.queryset.model._meta.verbose_name
            self.description = f"Withdraw the {record} with a reason: it leaves lists, exports and figures."
        return super().get_view_description(html)

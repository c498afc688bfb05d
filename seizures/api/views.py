"""API viewsets: reads through the selectors, writes through the services, the same FilterSets
as the pages. No DELETE: records are withdrawn with a reason."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import ModelPermissions

from .. import selectors, services
from ..filters import DrugFilter, SeizureFilter, StreetPriceFilter, WarrantFilter
from ..models import Drug, Seizure, StreetPrice, Warrant
from .serializers import (
    DrugSerializer,
    SeizureSerializer,
    StreetPriceSerializer,
    WarrantSerializer,
    WithdrawalReasonSerializer,
)


class _NoDeleteMixin:
    """A method the endpoint does not offer (DELETE: records are withdrawn) is a 405 for those
    who may read it, rather than the 403 the model permission check would give first."""

    def check_permissions(self, request):
        model = self.get_serializer_class().Meta.model
        readable = request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        if readable and not hasattr(self, request.method.lower()):
            raise MethodNotAllowed(request.method)
        super().check_permissions(request)


class _RecordViewSet(
    _NoDeleteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, ModelPermissions]
    withdraw_service = None

    def _withdraw(self, request, name):
        if not request.user.has_perm(f"seizures.change_{name}"):
            raise PermissionDenied()
        record = self.get_object()
        reason = WithdrawalReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        type(self).withdraw_service(
            **{name: record}, user=request.user, reason=reason.validated_data["reason"]
        )
        record.refresh_from_db()
        return Response(self.get_serializer(record).data)


@extend_schema(tags=["Seizures"])
class SeizureViewSet(_RecordViewSet):
    """Drug seizures with their items. A seizure with several drugs is one seizure; filtering by
    `drug` or `drug_class` finds each seizure containing it (class in force on the date seized)."""

    serializer_class = SeizureSerializer
    filterset_class = SeizureFilter
    withdraw_service = services.seizure_withdraw

    def get_queryset(self):
        if self.action == "list":
            return selectors.seizure_list()
        visible = (
            Seizure.objects.openable_by(self.request.user)
            if self.action == "retrieve"
            else Seizure.objects.live()
        )
        return visible.select_related("force", "area", "warrant").prefetch_related(
            "items__drug", "items__price"
        )

    @extend_schema(request=WithdrawalReasonSerializer, responses=SeizureSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the seizure with a reason: it leaves lists, exports and figures."""
        return self._withdraw(request, "seizure")

    @extend_schema(request=None, responses=SeizureSerializer)
    @action(detail=True, methods=["post"])
    def reprice(self, request, pk=None):
        """Value every item again at the street prices now recorded for the date seized."""
        if not request.user.has_perm("seizures.change_seizure"):
            raise PermissionDenied()
        seizure = self.get_object()
        services.seizure_reprice(seizure=seizure, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=seizure.pk)).data)


@extend_schema(tags=["Warrants"])
class WarrantViewSet(_RecordViewSet):
    """Drugs warrants, dated by execution (or issue when not executed)."""

    serializer_class = WarrantSerializer
    filterset_class = WarrantFilter
    withdraw_service = services.warrant_withdraw

    def get_queryset(self):
        if self.action == "list":
            return selectors.warrant_list()
        visible = (
            Warrant.objects.openable_by(self.request.user)
            if self.action == "retrieve"
            else Warrant.objects.live()
        )
        return visible.select_related("force", "area")

    @extend_schema(request=WithdrawalReasonSerializer, responses=WarrantSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the warrant with a reason: it leaves lists, exports and figures."""
        return self._withdraw(request, "warrant")


@extend_schema(tags=["Drugs and street prices"])
class DrugViewSet(_NoDeleteMixin, viewsets.ReadOnlyModelViewSet):
    """The drug catalogue with each drug's classes over time and the units it may be recorded in."""

    serializer_class = DrugSerializer
    filterset_class = DrugFilter
    permission_classes = [IsAuthenticated, ModelPermissions]
    lookup_field = "code"
    queryset = Drug.objects.prefetch_related("classifications")


@extend_schema(tags=["Drugs and street prices"])
class StreetPriceViewSet(_NoDeleteMixin, viewsets.ReadOnlyModelViewSet):
    """The dated street price tables seizure items are valued from."""

    serializer_class = StreetPriceSerializer
    filterset_class = StreetPriceFilter
    permission_classes = [IsAuthenticated, ModelPermissions]
    queryset = StreetPrice.objects.select_related("drug")

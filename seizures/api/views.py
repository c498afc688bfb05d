"""API viewsets: reads through the selectors, writes through the services, the same FilterSets
as the pages. No DELETE: records are withdrawn with a reason."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import ChangePermissions, ReadViewSet, RecordViewSet

from .. import selectors, services
from ..filters import DrugFilter, SeizureFilter, SiteFilter, StreetPriceFilter, WarrantFilter
from ..models import Drug, Seizure, Site, StreetPrice, Warrant
from .serializers import (
    DrugSerializer,
    SeizureSerializer,
    SiteSerializer,
    StreetPriceSerializer,
    WarrantSerializer,
)


@extend_schema(tags=["Seizures"])
class SeizureViewSet(RecordViewSet):
    """Drug seizures with their items. A seizure with several drugs is one seizure; filtering by
    `drug` or `drug_class` finds each seizure containing it (class in force on the date seized)."""

    queryset = Seizure.objects.select_related("force", "area", "warrant").prefetch_related(
        "items__drug", "items__price"
    )
    list_selector = selectors.seizure_list
    door = "openable_by"
    serializer_class = SeizureSerializer
    filterset_class = SeizureFilter
    withdraw_service = services.seizure_withdraw

    @extend_schema(request=None, responses=SeizureSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, ChangePermissions])
    def reprice(self, request, pk=None):
        """Value every item again at the street prices now recorded for the date seized."""
        seizure = self.get_object()
        services.seizure_reprice(seizure=seizure, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=seizure.pk)).data)


@extend_schema(tags=["Warrants"])
class WarrantViewSet(RecordViewSet):
    """Drugs warrants, dated by execution (or issue when not executed)."""

    queryset = Warrant.objects.select_related("force", "area")
    list_selector = selectors.warrant_list
    door = "openable_by"
    serializer_class = WarrantSerializer
    filterset_class = WarrantFilter
    withdraw_service = services.warrant_withdraw


@extend_schema(tags=["Cannabis factories"])
class SiteViewSet(RecordViewSet):
    """Cannabis factories as sites: each counted once in "cannabis factories closed", by the date
    closed, however many offences and seizures point at it."""

    queryset = Site.objects.select_related("force", "area", "size_band", "warrant")
    list_selector = selectors.site_list
    door = "openable_by"
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    withdraw_service = services.site_withdraw


@extend_schema(tags=["Drugs and street prices"])
class DrugViewSet(ReadViewSet):
    """The drug catalogue with each drug's classes over time and the units it may be recorded in."""

    queryset = Drug.objects.prefetch_related("classifications")
    serializer_class = DrugSerializer
    filterset_class = DrugFilter
    lookup_field = "code"


@extend_schema(tags=["Drugs and street prices"])
class StreetPriceViewSet(ReadViewSet):
    """The dated street price tables seizure items are valued from."""

    queryset = StreetPrice.objects.select_related("drug")
    serializer_class = StreetPriceSerializer
    filterset_class = StreetPriceFilter

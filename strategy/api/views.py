from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from core.api import ModelPermissions

from ..filters import FactFilter, IndicatorFilter
from ..models import Fact, Indicator
from .serializers import FactSerializer, IndicatorSerializer


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The strategy's indicators with their goals and targets."""

    queryset = Indicator.objects.select_related("goal").prefetch_related("targets").order_by("pk")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    permission_classes = [IsAuthenticated, ModelPermissions]
    lookup_field = "slug"


class FactViewSet(viewsets.ReadOnlyModelViewSet):
    """The rolled-up monthly figures the dashboards read."""

    queryset = Fact.objects.order_by("metric", "dimension", "dimension_value", "month", "force", "area")
    serializer_class = FactSerializer
    filterset_class = FactFilter
    permission_classes = [IsAuthenticated, ModelPermissions]

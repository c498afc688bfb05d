from core.api import ReadViewSet

from ..filters import FactFilter, IndicatorFilter
from ..models import Fact, Indicator
from .serializers import FactSerializer, IndicatorSerializer


class IndicatorViewSet(ReadViewSet):
    """The strategy's indicators with their goals and targets."""

    queryset = Indicator.objects.select_related("goal").prefetch_related("targets").order_by("pk")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    lookup_field = "slug"


class FactViewSet(ReadViewSet):
    """The rolled-up monthly figures the dashboards read."""

    queryset = Fact.objects.order_by("metric", "dimension", "dimension_value", "month", "force", "area")
    serializer_class = FactSerializer
    filterset_class = FactFilter

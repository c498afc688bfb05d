from core.api import RecordViewSet

from .. import selectors, services
from ..filters import OffenceFilter
from ..models import Offence
from .serializers import OffenceSerializer, OffenceWithdrawSerializer


class OffenceViewSet(RecordViewSet):
    """Drug offences. Filter with the same parameters as the offence list page. Offences are
    never deleted: withdraw one with a reason."""

    queryset = Offence.objects.select_related("force", "area", "warrant")
    list_selector = selectors.offence_list
    door = "openable_by"  # administrators open withdrawn offences too; everyone else gets 404
    serializer_class = OffenceSerializer
    filterset_class = OffenceFilter
    withdraw_service = services.offence_withdraw
    withdrawal_serializer_class = OffenceWithdrawSerializer

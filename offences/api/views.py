from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import ModelPermissions

from .. import selectors, services
from ..filters import OffenceFilter
from ..models import Offence
from .serializers import OffenceSerializer, OffenceWithdrawSerializer


class CanChange(ModelPermissions):
    """Withdrawing is a change to the offence, not an addition."""

    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class OffenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Drug offences. Filter with the same parameters as the offence list page. Offences are
    never deleted: withdraw one with a reason."""

    serializer_class = OffenceSerializer
    filterset_class = OffenceFilter
    permission_classes = [IsAuthenticated, ModelPermissions]

    def get_queryset(self):
        if self.action == "retrieve":
            # Administrators open withdrawn offences too; everyone else gets 404 for them.
            return Offence.objects.openable_by(self.request.user).select_related("force", "area", "warrant")
        return selectors.offence_list().order_by("-recorded_date", "-pk")

    def check_permissions(self, request):
        # A method the endpoint does not offer (DELETE) is a 405 for anyone who may read
        # offences — not the 403 the model permissions would give for a missing delete right.
        if request.method not in self.allowed_methods and request.user.has_perm("offences.view_offence"):
            raise MethodNotAllowed(request.method)
        super().check_permissions(request)

    @extend_schema(request=OffenceWithdrawSerializer, responses=OffenceSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, CanChange])
    def withdraw(self, request, pk=None):
        offence = self.get_object()
        form = OffenceWithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        offence = services.offence_withdraw(
            offence=offence, user=request.user, reason=form.validated_data["reason"]
        )
        return Response(OffenceSerializer(offence, context=self.get_serializer_context()).data)

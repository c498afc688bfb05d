"""The referral API: the same visibility and the same FilterSet as the pages."""

import uuid

from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from core.api import RecordViewSet

from .. import selectors, services
from ..filters import ReferralFilter
from ..models import Referral
from .serializers import ReferralSerializer, TransitionSerializer

IDEMPOTENCY_HEADER = "Idempotency-Key"


SUBMISSION_KEYS = """Send an `Idempotency-Key` header (a UUID) with each new referral. Sending the
same request again with the same key returns the referral the first request made (201, the same
body) instead of making another. A key is yours alone: the same key sent by another user or
agency means nothing to it and makes a new referral of theirs; nobody else's referral is ever
returned. The same key sent again by you with a different referral is refused with 422."""


class SubmissionKeyConflict(APIException):
    status_code = 422
    default_code = "idempotency_key_reused"


# Referrals are personal data (and what is sent may carry initials and a date of birth): no
# answer may be kept by a shared cache.
@method_decorator(never_cache, name="dispatch")
class ReferralViewSet(RecordViewSet):
    """Referrals the signed-in user's agency submitted or received (everyone's, pseudonymised,
    for analysts and managers)."""

    queryset = Referral.objects.select_related("area", "submitting_agency", "receiving_agency")
    list_selector = selectors.referral_list
    door = "visible_to"
    # A withdrawn referral is still there to read, by those who may see it; a change to it is
    # refused by the workflow with its reason, not hidden behind a 404.
    changes_live_only = False
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter

    def _submission_key(self):
        given = self.request.headers.get(IDEMPOTENCY_HEADER)
        if not given:
            return uuid.uuid4()
        try:
            return uuid.UUID(given)
        except ValueError as bad:
            raise ValidationError({IDEMPOTENCY_HEADER: ["Give a UUID, for example 3f2b…"]}) from bad

    @extend_schema(
        description=SUBMISSION_KEYS,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.UUID,
                OpenApiParameter.HEADER,
                required=False,
                description="Your key for this one referral (a UUID); see above",
            )
        ],
        responses={
            201: ReferralSerializer,
            400: OpenApiResponse(description="Field errors: what to correct, field by field"),
            422: OpenApiResponse(description="The key was used before, by you, for a different referral"),
        },
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.referral_submit(
                user=self.request.user, submission_key=self._submission_key(), **serializer.validated_data
            )
        except services.SubmissionKeyReused as reused:
            raise SubmissionKeyConflict({IDEMPOTENCY_HEADER: [reused.message]}) from reused

    def perform_update(self, serializer):
        serializer.instance = services.referral_update(
            referral=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=TransitionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the referral on in its workflow (accept, decline, record treatment…)."""
        referral = get_object_or_404(self.get_queryset(), pk=pk)
        change = TransitionSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        services.referral_transition(
            referral=referral,
            user=request.user,
            to_status=change.validated_data["to_status"],
            note=change.validated_data.get("note", ""),
            effective_on=change.validated_data.get("effective_on"),
            expected_from=change.validated_data.get("from_status"),
        )
        return Response(ReferralSerializer(referral, context=self.get_serializer_context()).data)

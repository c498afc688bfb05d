from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings

from .. import services
from ..models import MAX_PLANTS, TOO_FEW_PLANTS, TOO_MANY_PLANTS, Offence
from ..selectors import live_warrants


def as_field_errors(invalid):
    """A model ValidationError as REST framework field errors (the whole-record ones under
    non_field_errors), so bad input is a 400 naming the field, never a 500."""
    if hasattr(invalid, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): messages
            for field, messages in invalid.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: invalid.messages}


class WarrantField(serializers.PrimaryKeyRelatedField):
    """A live warrant by id (the model belongs to the seizures app, looked up by name)."""

    def get_queryset(self):
        return live_warrants()


class OffenceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:offence-detail")
    warrant = WarrantField(required=False, allow_null=True)
    offence_group = serializers.CharField(
        read_only=True, help_text="Home Office group, derived from the offence type"
    )
    is_withdrawn = serializers.BooleanField(read_only=True)

    class Meta:
        model = Offence
        fields = [
            "id",
            "url",
            "crime_reference",
            "recorded_date",
            "force",
            "area",
            "offence_type",
            "offence_group",
            "cultivation",
            "plants",
            "site_type",
            "factory",
            "outcome",
            "outcome_date",
            "warrant",
            "is_withdrawn",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        read_only_fields = ["withdrawn_at", "withdrawal_reason"]
        extra_kwargs = {
            "plants": {
                "min_value": 0,
                "max_value": MAX_PLANTS,
                "error_messages": {"min_value": TOO_FEW_PLANTS, "max_value": TOO_MANY_PLANTS},
            }
        }
        # Uniqueness of the crime reference in its force is checked by the model, which names
        # the field; REST framework's own validator would report it against no field.
        validators = []

    def create(self, validated_data):
        try:
            return services.offence_create(user=self.context["request"].user, **validated_data)
        except DjangoValidationError as invalid:
            raise serializers.ValidationError(as_field_errors(invalid)) from invalid

    def update(self, instance, validated_data):
        try:
            return services.offence_update(
                offence=instance, user=self.context["request"].user, **validated_data
            )
        except DjangoValidationError as invalid:
            raise serializers.ValidationError(as_field_errors(invalid)) from invalid


class OffenceWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Why the offence is being withdrawn")

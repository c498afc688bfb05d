from rest_framework import serializers

from .. import services
from ..models import MAX_PLANTS, TOO_FEW_PLANTS, TOO_MANY_PLANTS, Offence
from ..selectors import drug_model, live_sites, live_warrants


class WarrantField(serializers.PrimaryKeyRelatedField):
    """A live warrant by id (the model belongs to the seizures app, looked up by name)."""

    def get_queryset(self):
        return live_warrants()


class SiteField(serializers.PrimaryKeyRelatedField):
    """A live cannabis factory (site) by id."""

    def get_queryset(self):
        return live_sites()


class DrugField(serializers.SlugRelatedField):
    """A drug of the catalogue by its code (herbal-cannabis)."""

    def get_queryset(self):
        return drug_model().objects.filter(active=True)


class OffenceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:offence-detail")
    warrant = WarrantField(required=False, allow_null=True)
    site = SiteField(required=False, allow_null=True, help_text="The cannabis factory the offence was at")
    drug = DrugField(slug_field="code", required=False, allow_null=True)
    drug_class = serializers.CharField(
        read_only=True, help_text="The drug's class on the date recorded, blank without a drug"
    )

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
            "drug",
            "drug_class",
            "site",
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
        return services.offence_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.offence_update(offence=instance, user=self.context["request"].user, **validated_data)


class OffenceWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Why the offence is being withdrawn")

"""API representations. Validation is the models' clean(); writes go through the services."""

import copy

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geography.models import Area, Force

from .. import services
from ..models import (
    MAX_ITEMS_PER_SEIZURE,
    MAX_SITE_PLANTS,
    TOO_MANY_ITEMS,
    Drug,
    DrugClassification,
    Seizure,
    SeizureItem,
    Site,
    SizeBand,
    StreetPrice,
    Warrant,
)


def _candidate(model, instance, attrs, names):
    """The record as it would be after this request, to validate without saving."""
    candidate = copy.copy(instance) if instance is not None else model()
    for name in names:
        if name in attrs:
            setattr(candidate, name, attrs[name])
    return candidate


class _Withdrawal(serializers.ModelSerializer):
    is_withdrawn = serializers.BooleanField(read_only=True)
    withdrawn_at = serializers.DateTimeField(read_only=True, allow_null=True)  # null until withdrawn
    withdrawal_reason = serializers.CharField(read_only=True)


class SeizureItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False, help_text="Give an existing item's id to change it")
    drug = serializers.SlugRelatedField(slug_field="code", queryset=Drug.objects.filter(active=True))
    price_text = serializers.CharField(read_only=True, help_text="Priced at £X per unit from <source>")

    class Meta:
        model = SeizureItem
        fields = [
            "id",
            "drug",
            "quantity",
            "unit",
            "plant_count",
            "drug_class",
            "value_pence",
            "price",
            "plant_yield",
            "price_per_unit_pence",
            "price_text",
            "priced_at",
        ]
        read_only_fields = [
            "drug_class",
            "value_pence",
            "price",
            "plant_yield",
            "price_per_unit_pence",
            "priced_at",
        ]

    def validate(self, attrs):
        item = SeizureItem(
            drug=attrs.get("drug"),
            quantity=attrs.get("quantity"),
            unit=attrs.get("unit", ""),
            plant_count=attrs.get("plant_count"),
        )
        item.full_clean(exclude=["seizure"])
        return attrs


class SeizureSerializer(_Withdrawal):
    force = serializers.PrimaryKeyRelatedField(queryset=Force.objects.filter(in_alliance=True))
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.in_alliance())
    warrant = serializers.PrimaryKeyRelatedField(
        queryset=Warrant.objects.live(), allow_null=True, required=False
    )
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.live(),
        allow_null=True,
        required=False,
        help_text="The cannabis factory the drugs were found at",
    )
    items = SeizureItemSerializer(
        many=True,
        allow_empty=False,
        max_length=MAX_ITEMS_PER_SEIZURE,
        error_messages={"max_length": TOO_MANY_ITEMS},
    )
    total_value_pence = serializers.SerializerMethodField()

    class Meta:
        model = Seizure
        fields = [
            "id",
            "reference",
            "seized_on",
            "force",
            "area",
            "place",
            "postcode",
            "warrant",
            "site",
            "notes",
            "items",
            "total_value_pence",
            "is_withdrawn",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        validators = []  # the model's clean() reports a duplicate reference on its field

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_total_value_pence(self, seizure):
        if hasattr(seizure, "total_value_pence"):
            return seizure.total_value_pence
        values = [item.value_pence for item in seizure.items.all() if item.value_pence is not None]
        return sum(values) if values else None

    def validate(self, attrs):
        candidate = _candidate(Seizure, self.instance, attrs, services.SEIZURE_FIELDS)
        candidate.full_clean()
        if "postcode" in attrs:
            attrs["postcode"] = candidate.postcode  # normalised: CV34 4RL
        return attrs

    def create(self, validated_data):
        items = validated_data.pop("items")
        return services.seizure_create(user=self.context["request"].user, items=items, **validated_data)

    def update(self, instance, validated_data):
        items = validated_data.pop("items", None)
        return services.seizure_update(
            seizure=instance, user=self.context["request"].user, items=items, **validated_data
        )


class WarrantSerializer(_Withdrawal):
    force = serializers.PrimaryKeyRelatedField(queryset=Force.objects.filter(in_alliance=True))
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.in_alliance())

    class Meta:
        model = Warrant
        fields = [
            "id",
            "reference",
            "force",
            "area",
            "applied_on",
            "issued_on",
            "executed_on",
            "result",
            "arrests",
            "cash_seized_pence",
            "other_property",
            "notes",
            "dated_on",
            "is_withdrawn",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        read_only_fields = ["dated_on"]
        validators = []

    def validate(self, attrs):
        _candidate(Warrant, self.instance, attrs, services.WARRANT_FIELDS).full_clean()
        return attrs

    def create(self, validated_data):
        return services.warrant_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.warrant_update(warrant=instance, user=self.context["request"].user, **validated_data)


class SizeBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = SizeBand
        fields = ["category", "description", "indicative_plants", "source", "source_url"]


class SiteSerializer(_Withdrawal):
    force = serializers.PrimaryKeyRelatedField(queryset=Force.objects.filter(in_alliance=True))
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.in_alliance())
    warrant = serializers.PrimaryKeyRelatedField(
        queryset=Warrant.objects.live(), allow_null=True, required=False
    )
    size_band = serializers.SlugRelatedField(
        slug_field="category",
        queryset=SizeBand.objects.all(),
        required=False,
        allow_null=True,
        help_text="The harm category (1–4); left out, it is found from the plants where it can be",
    )
    size_band_description = serializers.CharField(source="size_band.description", read_only=True)
    postcode_sector = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10,
        help_text="CV21 2; a full postcode is cut to its sector",
    )
    plants = serializers.IntegerField(min_value=0, max_value=MAX_SITE_PLANTS)

    class Meta:
        model = Site
        fields = [
            "id",
            "reference",
            "force",
            "area",
            "postcode_sector",
            "premises",
            "discovered_on",
            "closed_on",
            "plants",
            "size_band",
            "size_band_description",
            "warrant",
            "notes",
            "is_withdrawn",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        validators = []

    def validate(self, attrs):
        candidate = _candidate(Site, self.instance, attrs, services.SITE_FIELDS)
        if "plants" in attrs and "size_band" not in attrs and self.instance is not None:
            candidate.size_band = None  # follows the new plants, as the service does
        candidate.full_clean()
        for name in ("postcode_sector", "reference"):
            if name in attrs:
                attrs[name] = getattr(candidate, name)  # as the model normalises it
        return attrs

    def create(self, validated_data):
        return services.site_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.site_update(site=instance, user=self.context["request"].user, **validated_data)


class DrugClassificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = DrugClassification
        fields = ["drug_class", "valid_from", "valid_to", "legislation"]


class DrugSerializer(serializers.ModelSerializer):
    classifications = DrugClassificationSerializer(many=True, read_only=True)
    units = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The units an item of this drug may be recorded in",
    )
    # A plain string: the same choices as an item's unit, and one enum in the schema is clearer.
    reporting_unit = serializers.CharField(read_only=True, help_text="The unit the Home Office returns use")

    class Meta:
        model = Drug
        fields = [
            "code",
            "name",
            "measured_by",
            "reporting_unit",
            "units",
            "active",
            "unidentified",
            "classifications",
        ]


class StreetPriceSerializer(serializers.ModelSerializer):
    drug = serializers.SlugRelatedField(slug_field="code", read_only=True)
    description = serializers.CharField(source="describe", read_only=True)
    force = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="null: the alliance default, beneath every force's own table",
    )
    entered_by = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = StreetPrice
        fields = [
            "id",
            "force",
            "drug",
            "unit",
            "price_per_unit_pence",
            "yield_grams_per_plant",
            "valid_from",
            "valid_to",
            "source",
            "entered_by",
            "entered_at",
            "description",
        ]

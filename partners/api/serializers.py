"""API representations. The person's initials and date of birth may be written (to submit or
correct a referral) but are never read back, by anyone; nor is the keyed hash."""

from rest_framework import serializers

from accounts.models import Agency
from geography.models import Area

from ..choices import Status, Substance
from ..forms import EMAIL_ADDRESS, PHONE_NUMBER
from ..models import Referral
from ..selectors import shows_repeat_flag
from ..workflow import MOVES


class ReferralSerializer(serializers.ModelSerializer):
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.in_alliance())
    # Any agency: whether it may take this referral (active, of a kind that receives the pathway,
    # not the submitter's own) is the model's rule, with its message.
    receiving_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    substances = serializers.ListField(
        child=serializers.ChoiceField(choices=Substance.choices), allow_empty=False
    )
    subject_first_initial = serializers.CharField(write_only=True, max_length=1)
    subject_surname_initial = serializers.CharField(write_only=True, max_length=1)
    subject_date_of_birth = serializers.DateField(write_only=True)
    consent_recorded = serializers.BooleanField()
    possible_repeat = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=(
            "Whether the person has another live referral, from any agency. Given only to those "
            "who see every agency's referrals; null for a partner agency's users, to whom "
            "another agency's referral of the same person is not theirs to know of"
        ),
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "pathway",
            "dip_test_result",
            "referral_date",
            "area",
            "submitting_agency",
            "receiving_agency",
            "substances",
            "notes",
            "consent_recorded",
            "subject_first_initial",
            "subject_surname_initial",
            "subject_date_of_birth",
            "subject_sex",
            "age_band",
            "status",
            "entered_treatment_on",
            "closed_on",
            "possible_repeat",
            "created_at",
        ]
        read_only_fields = [
            "reference",
            "submitting_agency",
            "age_band",
            "status",
            "entered_treatment_on",
            "closed_on",
            "created_at",
        ]

    def to_representation(self, referral):
        data = super().to_representation(referral)
        if not shows_repeat_flag(self.context["request"].user):
            data["possible_repeat"] = None
        return data

    def validate_notes(self, text):
        if PHONE_NUMBER.search(text or "") or EMAIL_ADDRESS.search(text or ""):
            raise serializers.ValidationError("Remove contact details: the service must not keep them")
        return text

    def validate(self, attrs):
        if self.instance is not None:
            # A partial change is checked as the whole referral it would make.
            for name in ("subject_first_initial", "subject_surname_initial", "subject_date_of_birth"):
                attrs.setdefault(name, getattr(self.instance, name))
        return attrs


# Distinct choice sets (statuses one can move to; statuses one can move from), so the OpenAPI
# schema names each enum once.
TARGETS = [(value, label) for value, label in Status.choices if any(m.target == value for m in MOVES)]
SOURCES = [(value, label) for value, label in Status.choices if any(m.source == value for m in MOVES)]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=TARGETS)
    from_status = serializers.ChoiceField(
        choices=SOURCES,
        required=False,
        help_text="The status you saw; if it has changed since, nothing changes",
    )
    effective_on = serializers.DateField(required=False, help_text="Defaults to today")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

"""API representations. The person's initials and date of birth may be written (to submit or
correct a referral) but are never read back, by anyone; nor is the keyed hash."""

from rest_framework import serializers

from accounts.models import Agency
from geography.models import Area

from ..choices import Status, Substance
from ..models import Referral
from ..personal_data import NOTE_MAX_LENGTH, contact_details_problem
from ..selectors import shows_repeat_flag
from ..workflow import MOVES

ACROSS_AGENCIES = ("possible_repeat", "journey", "counted_entry", "represented_on")


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
    # Held to the form's length and checks: the same words are refused by either door.
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_LENGTH,
        help_text="The reason for referral. No names, addresses, postcodes, phone numbers or email addresses",
    )
    journey = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=(
            "The id of the referral that began the person's journey this one continues (a required "
            "assessment after a test on arrest, treatment after it); null when this one began it. "
            "Like counted_entry and represented_on, given only to those who see every agency's "
            "referrals"
        ),
    )
    counted_entry = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=(
            "Whether the person's entry into treatment is counted on this referral (they were not "
            "already in treatment on another); null for a partner agency's users"
        ),
    )
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
            "trigger_offence",
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
            "assessed_on",
            "entered_treatment_on",
            "closed_on",
            "journey",
            "counted_entry",
            "represented_on",
            "possible_repeat",
            "created_at",
        ]
        read_only_fields = [
            "reference",
            "submitting_agency",
            "age_band",
            "status",
            "assessed_on",
            "entered_treatment_on",
            "closed_on",
            "counted_entry",
            "represented_on",
            "created_at",
        ]

    def to_representation(self, referral):
        data = super().to_representation(referral)
        if not shows_repeat_flag(self.context["request"].user):
            # Each is worked out from the person's referrals by any agency: another agency's
            # referral of the same person is not a partner's to know of.
            for name in ACROSS_AGENCIES:
                data[name] = None
        return data

    def validate_notes(self, text):
        problem = contact_details_problem(text)
        if problem:
            raise serializers.ValidationError(problem)
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
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)

    def validate_note(self, text):
        problem = contact_details_problem(text)
        if problem:
            raise serializers.ValidationError(problem)
        return text

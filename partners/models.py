"""Referrals from partner agencies, pseudonymised as national drug treatment reporting does it.

No name, address or telephone number is stored: the person is first initial, surname initial,
date of birth and sex, plus the district they live in. A keyed hash of those identifiers spots
a person referred more than once, by any agency, without anyone seeing the other record.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Agency
from core.models import Withdrawable, WithdrawableQuerySet
from geography.models import Area

from .choices import (
    DIP_PATHWAYS,
    EARLIEST_REFERRAL_DATE,
    OLDEST_AGE,
    AgeBand,
    DipTestResult,
    Pathway,
    Sex,
    Status,
    Substance,
    TriggerOffence,
    age_band_for,
    age_on,
    receives,
    receiving_kinds_in_words,
)
from .personal_data import note_problem
from .pseudonymisation import normalised_initial, subject_key
from .workflow import MOVES

# Fields that identify the person, cleared by the retention rule and never exported or served
# by the API, to anyone.
IDENTIFYING_FIELDS = (
    "subject_first_initial",
    "subject_surname_initial",
    "subject_date_of_birth",
    "subject_key",
    "submission_fingerprint",
)


class JourneyAssessment(models.TextChoices):
    REQUIRED = "required", "Required, not yet attended"
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Not attended"


# Worked out by partners.journeys from the person's referrals, not kept in the change history.
DERIVED_FROM_THE_JOURNEY = (
    "journey",
    "counted_entry",
    "journey_assessment",
    "journey_entered_treatment_on",
    "journey_completed_on",
    "represented_on",
)


class ReferralQuerySet(WithdrawableQuerySet):
    def visible_to(self, user):
        """The one door: every page, API, export and metric drill-down starts here.

        Analysts, managers and administrators see every referral (pseudonymised in what they
        are shown); a partner user sees those their agency submitted or received."""
        if not user.is_authenticated or not user.has_perm("partners.view_referral"):
            return self.none()
        if user.has_perm("partners.view_all_referrals"):
            return self
        if user.agency_id is None:
            return self.none()
        return self.filter(Q(submitting_agency_id=user.agency_id) | Q(receiving_agency_id=user.agency_id))


class Referral(Withdrawable):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    # The submitter's key for one submission (the web form's draft, or an API client's
    # Idempotency-Key): the same key from the same user and agency finds the first referral;
    # from anyone else it means nothing.
    submission_key = models.UUIDField(default=uuid.uuid4, editable=False)
    # A keyed hash of what was submitted with the key, so that a key reused for a different
    # referral is refused rather than answered with the first one. Cleared with the identifiers.
    submission_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    pathway = models.CharField(max_length=30, choices=Pathway.choices)
    referral_date = models.DateField("date of referral")
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name="district",
        help_text="The district where the person lives",
    )
    submitting_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_submitted"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_submitted", editable=False
    )
    receiving_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        help_text="The service the person is referred to",
    )
    substances = models.JSONField("substances", default=list, blank=True)
    dip_test_result = models.CharField(
        "test on arrest result", max_length=10, choices=DipTestResult.choices, blank=True
    )
    trigger_offence = models.CharField(
        "trigger offence", max_length=20, choices=TriggerOffence.choices, blank=True
    )
    notes = models.TextField("reason for referral", blank=True)
    consent_recorded = models.BooleanField("consent recorded", default=False)

    subject_first_initial = models.CharField("first initial", max_length=1, blank=True)
    subject_surname_initial = models.CharField("surname initial", max_length=1, blank=True)
    subject_date_of_birth = models.DateField("date of birth", null=True, blank=True)
    subject_sex = models.CharField("sex", max_length=1, choices=Sex.choices)
    # HMAC-SHA256 of the normalised initials, date of birth and sex (settings.PSEUDONYMISATION_KEY).
    subject_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)  # repeat lookup
    age_band = models.CharField(
        "age band at referral", max_length=10, choices=AgeBand.choices, editable=False
    )
    possible_repeat = models.BooleanField(default=False, editable=False)
    identifiers_cleared_at = models.DateTimeField(null=True, blank=True, editable=False)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    entered_treatment_on = models.DateField(null=True, blank=True, editable=False)
    days_to_treatment = models.PositiveIntegerField(null=True, blank=True, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False, db_index=True)  # retention
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The day the person attended their assessment (moved to "assessed").
    assessed_on = models.DateField(null=True, blank=True, editable=False)
    # The receiving agency confirmed this long-open referral is still open (the review list).
    reviewed_on = models.DateField(null=True, blank=True, editable=False)

    # The person's journey, worked out from the keyed hash by partners.journeys whenever a
    # referral of the person changes (never typed in), and kept when the identifiers are cleared.
    journey = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="journey_steps",
        help_text="The referral that began the journey this one continues (empty: it began one)",
    )
    counted_entry = models.BooleanField(
        "counted as the person's entry",
        default=False,
        editable=False,
        help_text="Entered treatment while no other referral of the person was in treatment",
    )
    # On the referral that began a journey: how far the whole journey went.
    journey_assessment = models.CharField(
        max_length=20, choices=JourneyAssessment.choices, blank=True, editable=False
    )
    journey_entered_treatment_on = models.DateField(null=True, blank=True, editable=False)
    journey_completed_on = models.DateField(null=True, blank=True, editable=False)
    # On a successful completion: the day the person was referred again within six months.
    represented_on = models.DateField(null=True, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "subject_key",
            "submission_fingerprint",
            "status_changed_at",
            "acknowledged_at",
            *DERIVED_FROM_THE_JOURNEY,
        ]
    )

    class Meta:
        ordering = ["-referral_date", "-id"]
        permissions = [("view_all_referrals", "Can see every agency's referrals, pseudonymised")]
        indexes = [
            models.Index(fields=["referral_date"], name="referral_date_idx"),  # lists and rollups
            models.Index(fields=["entered_treatment_on"], name="referral_treatment_idx"),  # rollups
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submitting_agency", "submitted_by", "submission_key"],
                name="referral_submission_key_per_submitter",
            ),
            # Withdrawn ones are those sent to their own agency before this was refused.
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=False) | ~Q(receiving_agency=models.F("submitting_agency")),
                name="referral_not_to_its_own_agency",
            ),
            models.CheckConstraint(condition=Q(consent_recorded=True), name="referral_consent_recorded"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="referral_status_known"),
            models.CheckConstraint(
                condition=Q(entered_treatment_on__isnull=True)
                | Q(entered_treatment_on__gte=models.F("referral_date")),
                name="referral_treatment_after_referral",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("partners:referral_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.closed_on is None

    @property
    def identifiers_cleared(self):
        return self.identifiers_cleared_at is not None

    def substance_labels(self):
        labels = dict(Substance.choices)
        return [labels.get(code, code) for code in self.substances]

    def derive_from_identifiers(self):
        """Normalise the initials and substances, then the age band and keyed hash from them."""
        self.subject_first_initial = normalised_initial(self.subject_first_initial)
        self.subject_surname_initial = normalised_initial(self.subject_surname_initial)
        self.substances = sorted(set(self.substances or []))
        ready = self.subject_date_of_birth and self.referral_date and self.subject_sex
        if ready and self.subject_date_of_birth <= self.referral_date:
            self.age_band = age_band_for(self.subject_date_of_birth, self.referral_date)
            self.subject_key = subject_key(
                first_initial=self.subject_first_initial,
                surname_initial=self.subject_surname_initial,
                date_of_birth=self.subject_date_of_birth,
                sex=self.subject_sex,
            )

    def full_clean(self, *args, **kwargs):
        # The derived fields (age band, keyed hash) are required: they are worked out from what
        # was given before anything is checked, whoever validates the referral.
        self.derive_from_identifiers()
        super().full_clean(*args, **kwargs)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.referral_date:
            if self.referral_date > today:
                errors["referral_date"] = "Date of referral must be today or in the past"
            elif self.referral_date < EARLIEST_REFERRAL_DATE:
                errors["referral_date"] = f"Date of referral must be after {EARLIEST_REFERRAL_DATE:%-d %B %Y}"
        dob = self.subject_date_of_birth
        if dob and self.referral_date and not self.identifiers_cleared:
            if dob > self.referral_date:
                errors["subject_date_of_birth"] = "Date of birth must be before the date of referral"
            elif age_on(dob, self.referral_date) > OLDEST_AGE:
                errors["subject_date_of_birth"] = f"Date of birth must be less than {OLDEST_AGE} years ago"
        if not self.identifiers_cleared:
            for name, label in (
                ("subject_first_initial", "first name"),
                ("subject_surname_initial", "surname"),
            ):
                value = getattr(self, name)
                if not value:
                    errors.setdefault(name, f"Enter the first letter of the person's {label}")
                elif not value.isalpha():
                    errors.setdefault(name, f"The first letter of the person's {label} must be a letter")
            if not dob:
                errors.setdefault("subject_date_of_birth", "Enter the person's date of birth")
        unknown = [code for code in self.substances or [] if code not in Substance.values]
        if not isinstance(self.substances, list) or unknown:
            errors["substances"] = "Select substances from the list"
        elif not self.substances:
            errors["substances"] = "Select at least one substance the person uses"
        if self.pathway == Pathway.DIP_TEST_ON_ARREST:
            if not self.dip_test_result:
                errors["dip_test_result"] = "Select the result of the test on arrest"
            if not self.trigger_offence:
                errors["trigger_offence"] = "Select the trigger offence the person was arrested for"
        elif self.pathway:
            if self.dip_test_result:
                errors["dip_test_result"] = (
                    "Only give a test result for a Drugs Intervention Programme test on arrest"
                )
            if self.trigger_offence:
                errors["trigger_offence"] = (
                    "Only give a trigger offence for a Drugs Intervention Programme test on arrest"
                )
        if dob and self.referral_date and dob <= self.referral_date and not self.identifiers_cleared:
            problem = self._age_problem(age_on(dob, self.referral_date))
            if problem:
                errors.setdefault("subject_date_of_birth", problem)
        if not self.identifiers_cleared:
            problem = note_problem(self.notes, label="Reason for referral")
            if problem:
                errors["notes"] = problem
        if not self.consent_recorded:
            errors["consent_recorded"] = "Confirm the person has consented to the referral"
        receiving = self._receiving_agency_problem()
        if receiving:
            errors["receiving_agency"] = receiving
        if errors:
            raise ValidationError(errors)

    def _age_problem(self, age):
        """Why a person of `age` (on the date of referral) cannot be referred on this pathway."""
        if self.pathway in DIP_PATHWAYS:
            youngest = 18
            force = self.area.force if self.area_id else None
            if force is not None and force.ons_code in settings.DIP_TESTS_FROM_14_IN_FORCES:
                youngest = 14
            if age < youngest:
                if youngest == 18:
                    return (
                        f"The Drugs Intervention Programme is for adults: the person was {age} on the "
                        "date of referral. Refer a young person for early intervention"
                    )
                return (
                    f"The Drugs Intervention Programme in {force.name} is for people aged 14 and "
                    f"over: the person was {age} on the date of referral"
                )
        if self.pathway == Pathway.EARLY_INTERVENTION and age >= settings.EARLY_INTERVENTION_AGE_LIMIT:
            return (
                f"Early intervention is for young people under {settings.EARLY_INTERVENTION_AGE_LIMIT}: "
                f"the person was {age} on the date of referral. Select another pathway"
            )
        return None

    def _receiving_agency_problem(self):
        """Why the receiving agency cannot take this referral, or None."""
        if not self.receiving_agency_id:
            return None
        if self.receiving_agency_id == self.submitting_agency_id:
            return "Select another agency: a referral cannot be made to your own agency"
        agency = self.receiving_agency
        newly_chosen = (
            self._state.adding
            or not Referral.objects.filter(pk=self.pk, receiving_agency_id=agency.pk).exists()
        )
        if newly_chosen and not agency.active:
            return "Select an agency that is taking referrals"
        if self.pathway in Pathway.values and not receives(agency.kind, self.pathway):
            return (
                f"{agency.name} does not take referrals on this pathway: "
                f"select {receiving_kinds_in_words(self.pathway)}"
            )
        return None


def _allowed_moves():
    condition = Q()
    for move in MOVES:
        condition |= Q(from_status=move.source, to_status=move.target)
    return condition


class ReferralTransition(models.Model):
    """One status change: from, to, who, when, the date it took effect and a note."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(default=timezone.now)
    # The day it happened (e.g. the day treatment started), which the figures count by.
    effective_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The referral list's count of referrals moved on since the figures were built.
            models.Index(fields=["at"], name="referral_transition_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=_allowed_moves(), name="referral_transition_allowed"),
            # The workflow never returns to a status, so a repeated change is refused here too.
            models.UniqueConstraint(fields=["referral", "to_status"], name="referral_transition_once"),
        ]

    def __str__(self):
        return f"{self.referral} {self.from_status} → {self.to_status}"


class ReferenceSequence(models.Model):
    """The last reference number given out in each year: REF-2026-000123."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class RetentionRun(models.Model):
    """One run of the retention rule: when, the cut-off it applied, how many it cleared."""

    ran_at = models.DateTimeField(default=timezone.now)
    cutoff = models.DateField(
        help_text=(
            "Referrals closed before this day, and open ones without any change or review since, "
            "had their identifiers and notes cleared"
        )
    )
    cleared = models.PositiveIntegerField(default=0)
    cleared_open = models.PositiveIntegerField(
        default=0, help_text="Of those cleared, how many were still open (never closed nor reviewed)"
    )

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M}: {self.cleared} cleared (closed before {self.cutoff})"

"""Drug offences as the Home Office classifies them, with cannabis cultivation details.

Home Office counting rules, drug offences: 92A trafficking in controlled drugs (which includes
production and cultivation of cannabis, possession with intent to supply and supply or offering
to supply), 92C other drug offences, 92D possession of controlled drugs excluding cannabis,
92E possession of cannabis. The detailed offence type is stored; its group code is derived.

An offence names the drug it concerned, and stores the class that drug held on the date recorded
(as a seizure item stores it), so that "Class A supply offences" can be counted. Cannabis
factories are sites (seizures.Site): several offences may point at one.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import Withdrawable, WithdrawableQuerySet
from geography.models import Area, Force

# The largest cannabis factories found in the UK held a few thousand plants; a bigger number
# is a typing slip (an extra zero, or grams typed as plants).
MAX_PLANTS = 20_000
TOO_FEW_PLANTS = "Enter a number of plants of 0 or more"
TOO_MANY_PLANTS = f"Enter no more than {MAX_PLANTS:,} plants: check the number"


class OffenceGroup(models.TextChoices):
    TRAFFICKING = "92A", "92A Trafficking in controlled drugs"
    OTHER = "92C", "92C Other drug offences"
    POSSESSION_EXCLUDING_CANNABIS = "92D", "92D Possession of controlled drugs (excluding cannabis)"
    POSSESSION_OF_CANNABIS = "92E", "92E Possession of cannabis"


class OffenceType(models.TextChoices):
    PRODUCTION_OF_CANNABIS = "production_cannabis", "Production or cultivation of cannabis"
    PRODUCTION_OTHER = "production_other", "Production of another controlled drug"
    POSSESSION_WITH_INTENT = "possession_with_intent", "Possession with intent to supply"
    SUPPLY = "supply", "Supplying or offering to supply"
    CONCERNED_IN_SUPPLY = "concerned_in_supply", "Being concerned in the supply"
    PERMITTING_PREMISES = "permitting_premises", "Permitting premises to be used for drug offences"
    IMPORT_EXPORT = "import_export", "Importing or exporting a controlled drug"
    OTHER = "other", "Other drug offence"
    POSSESSION_OTHER = "possession_other", "Possession of a controlled drug other than cannabis"
    POSSESSION_OF_CANNABIS = "possession_cannabis", "Possession of cannabis"


GROUP_OF = {
    OffenceType.PRODUCTION_OF_CANNABIS: OffenceGroup.TRAFFICKING,
    OffenceType.PRODUCTION_OTHER: OffenceGroup.TRAFFICKING,
    OffenceType.POSSESSION_WITH_INTENT: OffenceGroup.TRAFFICKING,
    OffenceType.SUPPLY: OffenceGroup.TRAFFICKING,
    OffenceType.CONCERNED_IN_SUPPLY: OffenceGroup.TRAFFICKING,
    OffenceType.PERMITTING_PREMISES: OffenceGroup.TRAFFICKING,
    OffenceType.IMPORT_EXPORT: OffenceGroup.TRAFFICKING,
    OffenceType.OTHER: OffenceGroup.OTHER,
    OffenceType.POSSESSION_OTHER: OffenceGroup.POSSESSION_EXCLUDING_CANNABIS,
    OffenceType.POSSESSION_OF_CANNABIS: OffenceGroup.POSSESSION_OF_CANNABIS,
}

# The cultivation flag marks cannabis production: only production or cultivation of cannabis
# (Misuse of Drugs Act s4(2), s6) carries it. Possession with intent and supply of cannabis grown
# elsewhere are trafficking too (92A) but are not cannabis production offences.
CULTIVATION_TYPES = (OffenceType.PRODUCTION_OF_CANNABIS,)
NOT_CULTIVATION = (
    "Only production or cultivation of cannabis is a cannabis cultivation offence: "
    "answer no for {offence}, or choose production or cultivation of cannabis"
)
# Supply offences, as "Class A supply offences" counts them.
SUPPLY_TYPES = (
    OffenceType.POSSESSION_WITH_INTENT,
    OffenceType.SUPPLY,
    OffenceType.CONCERNED_IN_SUPPLY,
)
# The catalogue's cannabis (seizures.Drug codes): offences of cannabis name one of these drugs,
# offences excluding cannabis name another.
CANNABIS_DRUGS = ("herbal-cannabis", "cannabis-resin", "cannabis-plants")
OF_CANNABIS = (OffenceType.PRODUCTION_OF_CANNABIS, OffenceType.POSSESSION_OF_CANNABIS)
EXCLUDING_CANNABIS = (OffenceType.PRODUCTION_OTHER, OffenceType.POSSESSION_OTHER)


def group_of(offence_type):
    return GROUP_OF[OffenceType(offence_type)]


def grouped_offence_type_choices():
    """Offence types under their Home Office group, for a select with option groups."""
    return [
        (group.label, [(t.value, t.label) for t, g in GROUP_OF.items() if g == group])
        for group in OffenceGroup
    ]


class SiteType(models.TextChoices):
    RESIDENTIAL = "residential", "Residential house or flat"
    COMMERCIAL = "commercial", "Commercial or industrial unit"
    OUTDOOR = "outdoor", "Outdoor (field, woodland, garden)"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    """The Home Office crime outcomes framework's outcome types (Crime outcomes in England and
    Wales, technical annex), numbered as forces return them, plus "not yet assigned".

    Three values are kept only for offences recorded before the framework's types were used
    here, when their outcome cannot be told apart from the record (LEGACY_OUTCOMES): a caution
    that was for a youth (2) or an adult (3), not in the public interest by police decision (10)
    or after further investigation (21), and "other". They stay valid on those offences but are
    never accepted as a new outcome."""

    ONGOING = "ongoing", "Not yet assigned: investigation ongoing"
    CHARGED = "charged", "1 Charged or summonsed"
    CAUTION_YOUTH = "caution_youth", "2 Caution – youth"
    CAUTION_ADULT = "caution_adult", "3 Caution – adult"
    TAKEN_INTO_CONSIDERATION = "tic", "4 Taken into consideration"
    OFFENDER_DIED = "offender_died", "5 The offender has died"
    PENALTY_NOTICE = "penalty_notice", "6 Penalty notice for disorder"
    CANNABIS_KHAT_WARNING = "drugs_warning", "7 Cannabis or khat warning"
    COMMUNITY_RESOLUTION = "community_resolution", "8 Community resolution"
    CPS_NOT_IN_PUBLIC_INTEREST = (
        "cps_not_in_public_interest",
        "9 Prosecution not in the public interest (CPS)",
    )
    POLICE_NOT_IN_PUBLIC_INTEREST = (
        "police_not_in_public_interest",
        "10 Formal action not in the public interest (police)",
    )
    PREVENTED_AGE = (
        "prevented_age",
        "11 Prosecution prevented: suspect under the age of criminal responsibility",
    )
    PREVENTED_ILL = "prevented_ill", "12 Prosecution prevented: suspect too ill to prosecute"
    PREVENTED_WITNESS = "prevented_witness", "13 Prosecution prevented: key witness dead or too ill"
    EVIDENTIAL_NO_SUSPECT = "evidential_no_suspect", "14 Evidential difficulties: suspect not identified"
    EVIDENTIAL_DIFFICULTIES = "evidential_difficulties", "15 Evidential difficulties: suspect identified"
    EVIDENTIAL_NO_SUPPORT = (
        "evidential_no_support",
        "16 Evidential difficulties: victim does not support action",
    )
    TIME_LIMIT_EXPIRED = "time_limit_expired", "17 Prosecution time limit expired"
    NO_SUSPECT = "no_suspect", "18 Investigation complete: no suspect identified"
    ANOTHER_BODY = "another_body", "20 Further action taken by another body or agency"
    FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST = (
        "further_not_public_interest",
        "21 Further investigation not in the public interest (police)",
    )
    DIVERSION = "diversion", "22 Diversionary, educational or intervention activity"
    CAUTION = "caution", "Caution, youth or adult not recorded (before outcome types 2 and 3)"
    NOT_IN_PUBLIC_INTEREST = (
        "not_in_public_interest",
        "Not in the public interest, 10 or 21 not recorded (before those outcome types)",
    )
    OTHER = "other", "Other outcome (recorded before the outcome types)"


LEGACY_OUTCOMES = (Outcome.CAUTION, Outcome.NOT_IN_PUBLIC_INTEREST, Outcome.OTHER)
# What a form or file may choose: every outcome type, none of the legacy values.
CURRENT_OUTCOMES = [(value, label) for value, label in Outcome.choices if value not in LEGACY_OUTCOMES]


# A cannabis or khat warning is given only for simple possession of those drugs.
WARNING_GROUPS = (OffenceGroup.POSSESSION_EXCLUDING_CANNABIS, OffenceGroup.POSSESSION_OF_CANNABIS)

DUPLICATE_REFERENCE = "This force already has an offence with this crime reference"


def _group_matches_type():
    """The stored group is always the one its offence type belongs to."""
    condition = Q()
    for group in OffenceGroup:
        types = [t.value for t, g in GROUP_OF.items() if g == group]
        condition |= Q(offence_group=group.value, offence_type__in=types)
    return condition


def classifications():
    """Every drug's classes over time, {drug id: [(class, valid from, valid to)]}: one query,
    for callers that classify many offences (an import)."""
    rows = apps.get_model("seizures", "DrugClassification").objects.values_list(
        "drug_id", "drug_class", "valid_from", "valid_to"
    )
    held = {}
    for drug_id, drug_class, valid_from, valid_to in rows:
        held.setdefault(drug_id, []).append((drug_class, valid_from, valid_to))
    return held


def class_on(drug_id, day, known=None):
    """The class the drug held on `day` ('A', 'B', 'C'), or None when it was not controlled."""
    rows = (known if known is not None else classifications()).get(drug_id, [])
    for drug_class, valid_from, valid_to in rows:
        if valid_from <= day and (valid_to is None or day <= valid_to):
            return drug_class
    return None


class OffenceQuerySet(WithdrawableQuerySet):
    def openable_by(self, user):
        """Detail pages: live offences for every reader; withdrawn ones for administrators too."""
        return self if user.has_perm("offences.view_withdrawn_offence") else self.live()


class Offence(Withdrawable):
    crime_reference = models.CharField(
        max_length=30, help_text="The force's crime number, for example 23/45678/24"
    )
    recorded_date = models.DateField("date recorded", db_index=True)  # lists and metrics filter by it
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="offences")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="offences", verbose_name="district")
    offence_type = models.CharField(max_length=30, choices=OffenceType.choices)
    offence_group = models.CharField(
        "Home Office group", max_length=3, choices=OffenceGroup.choices, editable=False, db_index=True
    )
    cultivation = models.BooleanField("cannabis cultivation", default=False)
    plants = models.PositiveIntegerField(
        "number of plants",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, TOO_FEW_PLANTS),
            MaxValueValidator(MAX_PLANTS, TOO_MANY_PLANTS),
        ],
    )
    site_type = models.CharField("type of site", max_length=20, choices=SiteType.choices, blank=True)
    drug = models.ForeignKey(
        "seizures.Drug", on_delete=models.PROTECT, null=True, blank=True, related_name="offences"
    )
    # The class in force on the date recorded (DrugClassification), kept by clean(); blank when
    # no drug is recorded.
    drug_class = models.CharField("class", max_length=1, blank=True, editable=False, db_index=True)
    site = models.ForeignKey(
        "seizures.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offences",
        verbose_name="cannabis factory",
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, default=Outcome.ONGOING)
    outcome_date = models.DateField("outcome date", null=True, blank=True, db_index=True)  # charged metric
    warrant = models.ForeignKey(
        "seizures.Warrant", on_delete=models.PROTECT, null=True, blank=True, related_name="offences"
    )

    objects = OffenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_date", "-pk"]
        permissions = [("view_withdrawn_offence", "Can open withdrawn offences")]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "crime_reference"],
                name="offence_crime_reference_unique_per_force",
                violation_error_message=DUPLICATE_REFERENCE,
            ),
            models.CheckConstraint(
                condition=Q(plants__isnull=True) | Q(plants__gte=0, plants__lte=MAX_PLANTS),
                name="offence_plants_in_range",
            ),
            models.CheckConstraint(
                condition=Q(cultivation=True) | Q(plants__isnull=True, site_type=""),
                name="offence_cultivation_details_only_for_cultivation",
            ),
            models.CheckConstraint(
                condition=Q(cultivation=False) | Q(offence_type__in=CULTIVATION_TYPES),
                name="offence_cultivation_only_for_production",
            ),
            models.CheckConstraint(
                condition=~Q(offence_type=OffenceType.PRODUCTION_OF_CANNABIS) | Q(cultivation=True),
                name="offence_production_of_cannabis_is_cultivation",
            ),
            models.CheckConstraint(
                condition=Q(drug__isnull=False) | Q(drug_class=""), name="offence_class_only_with_a_drug"
            ),
            models.CheckConstraint(
                condition=_group_matches_type(), name="offence_group_matches_offence_type"
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.ONGOING, outcome_date__isnull=True)
                | (
                    ~Q(outcome=Outcome.ONGOING)
                    & Q(outcome_date__isnull=False, outcome_date__gte=F("recorded_date"))
                ),
                name="offence_outcome_dated_on_or_after_recording",
            ),
        ]

    def __str__(self):
        return f"Offence {self.crime_reference}"

    def get_absolute_url(self):
        return reverse("offences:offence_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.offence_group = group_of(self.offence_type)
        super().save(*args, **kwargs)

    _reference_checked = False  # only while full_clean(reference_checked=True) runs
    # An import's classifications, loaded once ({drug id: [(class, from, to)]}); else a query.
    _classifications = None

    def full_clean(self, *args, reference_checked=False, **kwargs):
        """Model.full_clean, and `reference_checked=True` from a caller that has already found
        the crime reference free in its force: an import looks up every crime reference of its
        file in one query, and clean() would otherwise ask again for each offence. The unique
        constraint still guards the write."""
        self._reference_checked = reference_checked
        try:
            super().full_clean(*args, **kwargs)
        finally:
            self._reference_checked = False

    def clean(self):
        self.crime_reference = (self.crime_reference or "").strip().upper()
        if self.offence_type in OffenceType.values:
            self.offence_group = group_of(self.offence_type)
        errors = {}
        self._check_dates(errors)
        self._check_place(errors)
        self._check_cultivation(errors)
        self._check_drug(errors)
        if self.outcome in LEGACY_OUTCOMES and not self._keeps_legacy_outcome():
            errors["outcome"] = "Choose one of the Home Office outcome types"
        if self.outcome == Outcome.CANNABIS_KHAT_WARNING and self.offence_group not in WARNING_GROUPS:
            errors["outcome"] = (
                "A cannabis or khat warning is given only for possession: choose another outcome"
            )
        if errors:
            raise ValidationError(errors)

    def _check_dates(self, errors):
        today = timezone.localdate()
        if self.recorded_date and self.recorded_date > today:
            errors["recorded_date"] = "The date recorded must be today or in the past"
        if self.outcome == Outcome.ONGOING:
            if self.outcome_date:
                errors["outcome_date"] = "Leave the outcome date blank while the investigation is ongoing"
        elif self.outcome and not self.outcome_date:
            errors["outcome_date"] = "Enter the date of the outcome"
        elif self.outcome_date and self.outcome_date > today:
            errors["outcome_date"] = "The outcome date must be today or in the past"
        elif self.outcome_date and self.recorded_date and self.outcome_date < self.recorded_date:
            errors["outcome_date"] = "The outcome date must be on or after the date recorded"

    def _check_place(self, errors):
        if self.force_id and self.area_id and self.area.force_id != self.force_id:
            errors["area"] = f"{self.area} is not in {self.force}'s area: choose one of its districts"
        if self.force_id and self.crime_reference and not self._reference_checked:
            taken = Offence.objects.filter(force_id=self.force_id, crime_reference=self.crime_reference)
            if taken.exclude(pk=self.pk).exists():
                errors["crime_reference"] = DUPLICATE_REFERENCE
        if self.warrant_id and self.force_id:
            if self.warrant.force_id != self.force_id:
                errors["warrant"] = "The warrant belongs to another force"
            elif self.warrant.is_withdrawn:
                errors["warrant"] = "The warrant has been withdrawn"
        if self.site_id and self.force_id:
            if self.site.force_id != self.force_id:
                errors["site"] = "The cannabis factory belongs to another force"
            elif self.site.is_withdrawn:
                errors["site"] = "The cannabis factory has been withdrawn"

    def _keeps_legacy_outcome(self):
        """A legacy outcome stays on an offence that already had it, and nowhere else."""
        if self.pk is None:
            return False
        return Offence.objects.filter(pk=self.pk, outcome=self.outcome).exists()

    def _check_drug(self, errors):
        """The drug fits the offence, and was controlled on the date recorded: its class then is
        stored with the offence (a later reclassification does not move it)."""
        self.drug_class = ""
        if not self.drug_id:
            return
        code = self.drug.code
        if self.offence_type in OF_CANNABIS and code not in CANNABIS_DRUGS:
            errors["drug"] = (
                f"{self.get_offence_type_display()} is an offence of cannabis: choose a cannabis drug"
            )
        elif self.offence_type in EXCLUDING_CANNABIS and code in CANNABIS_DRUGS:
            errors["drug"] = f"{self.get_offence_type_display()} excludes cannabis: choose the drug concerned"
        if not self.recorded_date:
            return
        held = class_on(self.drug_id, self.recorded_date, self._classifications)
        if held is None:
            errors.setdefault(
                "drug",
                f"{self.drug} was not a controlled drug on {self.recorded_date.day} "
                f"{self.recorded_date:%B %Y}: check the drug and the date recorded",
            )
        else:
            self.drug_class = held

    def _check_cultivation(self, errors):
        if self.offence_type == OffenceType.PRODUCTION_OF_CANNABIS and not self.cultivation:
            errors["cultivation"] = (
                "Production or cultivation of cannabis is a cultivation offence: answer yes"
            )
            return
        if self.cultivation:
            if self.offence_type in OffenceType.values and self.offence_type not in CULTIVATION_TYPES:
                offence = OffenceType(self.offence_type).label.lower()
                errors["cultivation"] = NOT_CULTIVATION.format(offence=offence)
                return
            if self.plants is None and "plants" not in errors:
                errors["plants"] = "Enter the number of plants found (0 if none were left)"
            if not self.site_type:
                errors["site_type"] = "Choose the type of site"
            return
        if self.plants is not None:
            errors["plants"] = "Only a cultivation offence records a number of plants"
        if self.site_type:
            errors["site_type"] = "Only a cultivation offence records a type of site"

    @property
    def offence_group_label(self):
        return OffenceGroup(self.offence_group).label if self.offence_group else ""

"""The one FilterSet for referrals: the list page, its exports, the API and the dashboards'
drill-down links. Parameter names are the contract: date_from, date_to (date of referral),
force, area, partnership, pathway, pathway_group, status, submitting_agency, receiving_agency,
agency_kind, age_band, sex, substance, dip_test_result, q (reference), treatment_from,
treatment_to, entered_treatment, closed_from, closed_to, possible_repeat, trigger_offence, journey,
journey_start, entry, represented."""

import django_filters as filters
from django import forms
from django.db.models import Q

from accounts.models import Agency
from core.filters import ChosenRecordsFilter, YesNoFilter, date_filter
from geography.filters import area_filter, force_filter, partnership_filter

from .choices import (
    DIP_PATHWAYS,
    TREATMENT_PATHWAYS,
    AgeBand,
    DipTestResult,
    Pathway,
    Sex,
    Status,
    Substance,
    TriggerOffence,
)
from .models import JourneyAssessment, Referral

CHECKBOXES = forms.CheckboxSelectMultiple
PATHWAY_GROUPS = [
    ("dip", "Drugs Intervention Programme (all stages)"),
    ("treatment", "Every pathway but early intervention"),
    ("early_intervention", "Early intervention"),
]
JOURNEY_STAGES = [
    ("assessment_required", "A required assessment followed the test"),
    ("assessment_attended", "The required assessment was attended"),
    ("entered_treatment", "The person entered treatment in the journey"),
    ("completed", "The person completed treatment successfully in the journey"),
]
ENTRIES = [
    ("treatment", "People entering treatment (each counted once)"),
    ("early_intervention", "Young people starting early intervention (each counted once)"),
]


REAL_DATE = {"invalid": "Enter a real date, for example 2026-03-27"}


class ReferralFilter(filters.FilterSet):
    # distinct=False on the multiple-choice filters: each follows a foreign key forward or reads
    # the record's own column, so no record can be listed twice, and SELECT DISTINCT would
    # make the database sort every matching row of a list page.
    q = filters.CharFilter(label="Reference", field_name="reference", lookup_expr="icontains")
    date_from = date_filter("Referred on or after", "referral_date", "gte", error_messages=REAL_DATE)
    date_to = date_filter("Referred on or before", "referral_date", "lte", error_messages=REAL_DATE)
    status = filters.MultipleChoiceFilter(
        choices=Status.choices, widget=CHECKBOXES, label="Status", distinct=False
    )
    pathway = filters.MultipleChoiceFilter(
        choices=Pathway.choices, widget=CHECKBOXES, label="Pathway", distinct=False
    )
    pathway_group = filters.ChoiceFilter(
        choices=PATHWAY_GROUPS, method="filter_pathway_group", label="Programme", empty_label="Any"
    )
    force = force_filter(field_name="area__force")
    partnership = partnership_filter()
    area = area_filter()
    submitting_agency = ChosenRecordsFilter(
        queryset=Agency.objects.all(), label="Submitted by", distinct=False
    )
    receiving_agency = ChosenRecordsFilter(queryset=Agency.objects.all(), label="Referred to", distinct=False)
    agency_kind = filters.MultipleChoiceFilter(
        field_name="submitting_agency__kind",
        choices=Agency.Kind.choices,
        widget=CHECKBOXES,
        label="Kind of agency that referred",
        distinct=False,
    )
    age_band = filters.MultipleChoiceFilter(
        choices=AgeBand.choices, widget=CHECKBOXES, label="Age at referral", distinct=False
    )
    sex = filters.MultipleChoiceFilter(
        field_name="subject_sex", choices=Sex.choices, widget=CHECKBOXES, label="Sex", distinct=False
    )
    substance = filters.MultipleChoiceFilter(
        choices=Substance.choices, widget=CHECKBOXES, label="Substances used", method="filter_substances"
    )
    dip_test_result = filters.MultipleChoiceFilter(
        choices=DipTestResult.choices, widget=CHECKBOXES, label="Test on arrest result", distinct=False
    )
    entered_treatment = YesNoFilter(
        field_name="entered_treatment_on", lookup_expr="isnull", exclude=True, label="Entered treatment"
    )
    treatment_from = date_filter(
        "Entered treatment on or after", "entered_treatment_on", "gte", error_messages=REAL_DATE
    )
    treatment_to = date_filter(
        "Entered treatment on or before", "entered_treatment_on", "lte", error_messages=REAL_DATE
    )
    closed_from = date_filter("Closed on or after", "closed_on", "gte", error_messages=REAL_DATE)
    closed_to = date_filter("Closed on or before", "closed_on", "lte", error_messages=REAL_DATE)
    possible_repeat = YesNoFilter(label="Possible repeat referral")
    trigger_offence = filters.MultipleChoiceFilter(
        choices=TriggerOffence.choices, widget=CHECKBOXES, label="Trigger offence", distinct=False
    )
    journey = filters.ChoiceFilter(
        choices=JOURNEY_STAGES, method="filter_journey", label="Journey went as far as", empty_label="Any"
    )
    journey_start = YesNoFilter(
        field_name="journey", lookup_expr="isnull", label="Began the person's journey"
    )
    entry = filters.ChoiceFilter(
        choices=ENTRIES, method="filter_entry", label="Counted as an entry", empty_label="Any"
    )
    represented = YesNoFilter(
        field_name="represented_on",
        lookup_expr="isnull",
        exclude=True,
        label="Referred again within six months of completing",
    )

    class Meta:
        model = Referral
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # Knowing a person was referred elsewhere is itself information about another agency's
        # record: only those who see every referral may filter on it.
        if user is None or not user.has_perm("partners.view_all_referrals"):
            self.filters.pop("possible_repeat")

    def filter_substances(self, queryset, name, values):
        """Referrals naming any of the substances. They are stored as a JSON list of codes;
        matching the quoted code in its text works alike on PostgreSQL and SQLite."""
        if not values:
            return queryset
        matching = Q()
        for code in values:
            matching |= Q(substances__icontains=f'"{code}"')
        return queryset.filter(matching)

    def filter_pathway_group(self, queryset, name, value):
        if value == "dip":
            return queryset.filter(pathway__in=DIP_PATHWAYS)
        if value == "treatment":
            return queryset.filter(pathway__in=TREATMENT_PATHWAYS)
        if value == "early_intervention":
            return queryset.filter(pathway=Pathway.EARLY_INTERVENTION)
        return queryset

    def filter_journey(self, queryset, name, value):
        """Tests on arrest by how far the journey they began went (the funnel's steps)."""
        if value == "assessment_required":
            return queryset.exclude(journey_assessment="")
        if value == "assessment_attended":
            return queryset.filter(journey_assessment=JourneyAssessment.ATTENDED)
        if value == "entered_treatment":
            return queryset.filter(journey_entered_treatment_on__isnull=False)
        if value == "completed":
            return queryset.filter(journey_completed_on__isnull=False)
        return queryset

    def filter_entry(self, queryset, name, value):
        """The referrals on which a person's entry is counted (partners.journeys)."""
        pathways = [Pathway.EARLY_INTERVENTION] if value == "early_intervention" else TREATMENT_PATHWAYS
        return queryset.filter(counted_entry=True, entered_treatment_on__isnull=False, pathway__in=pathways)

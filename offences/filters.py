"""The one FilterSet of the offence list, shared by the HTML list, its exports, the API and the
dashboards' drill-down links.

The parameter names are a contract other code builds links with: date_from, date_to (date
recorded), force, area, partnership, offence_type, offence_group, cultivation, has_site, site,
drug, drug_class, outcome, q (crime reference)."""

import django_filters as filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import ChosenRecordsFilter, YesNoFilter, date_filter
from geography.filters import area_filter, force_filter, partnership_filter

from .models import Offence, OffenceGroup, OffenceType, Outcome, SiteType
from .selectors import drug_model, site_model, warrant_model

CHECKBOXES = forms.CheckboxSelectMultiple
# The drug_class value for offences recorded without a drug (and so without a class).
NO_CLASS = "none"


def _yes_no(label, **kwargs):
    return YesNoFilter(label=label, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class DrugCodeFilter(ChosenRecordsFilter):
    """Drugs by their code (cocaine), the value dashboards carry in their links."""


class OffenceFilter(filters.FilterSet):
    # distinct=False on the multiple-choice filters: each follows a foreign key forward or reads
    # the record's own column, so no record can be listed twice, and SELECT DISTINCT would
    # make the database sort every matching row of a list page.
    q = filters.CharFilter(
        label="Crime reference contains", field_name="crime_reference", lookup_expr="icontains"
    )
    date_from = date_filter("Recorded on or after", "recorded_date", "gte")
    date_to = date_filter("Recorded on or before", "recorded_date", "lte")
    force = force_filter()
    area = area_filter()
    partnership = partnership_filter()
    offence_group = filters.MultipleChoiceFilter(
        choices=OffenceGroup.choices, widget=CHECKBOXES, label="Home Office group", distinct=False
    )
    offence_type = filters.MultipleChoiceFilter(
        choices=OffenceType.choices, widget=CHECKBOXES, label="Offence", distinct=False
    )
    cultivation = _yes_no("Cannabis cultivation")
    site_type = filters.MultipleChoiceFilter(
        choices=SiteType.choices, widget=CHECKBOXES, label="Type of site", distinct=False
    )
    drug = DrugCodeFilter(
        field_name="drug__code",
        queryset=drug_model().objects.all(),
        to_field_name="code",
        widget=CHECKBOXES,
        label="Drug",
        distinct=False,
    )
    drug_class = filters.MultipleChoiceFilter(
        choices=(("A", "Class A"), ("B", "Class B"), ("C", "Class C"), (NO_CLASS, "No drug recorded")),
        widget=CHECKBOXES,
        label="Class (in force on the date recorded)",
        method="filter_drug_class",
    )
    has_site = _yes_no("At a cannabis factory", field_name="site", lookup_expr="isnull", exclude=True)
    site = filters.ModelChoiceFilter(queryset=site_model().objects.all(), widget=forms.HiddenInput)
    plants_min = filters.NumberFilter(
        field_name="plants", lookup_expr="gte", label="Plants at least", min_value=0
    )
    plants_max = filters.NumberFilter(
        field_name="plants", lookup_expr="lte", label="Plants at most", min_value=0
    )
    outcome = filters.MultipleChoiceFilter(
        choices=Outcome.choices, widget=CHECKBOXES, label="Outcome", distinct=False
    )
    outcome_from = date_filter("Outcome on or after", "outcome_date", "gte")
    outcome_to = date_filter("Outcome on or before", "outcome_date", "lte")
    has_warrant = _yes_no("Under a warrant", field_name="warrant", lookup_expr="isnull", exclude=True)
    warrant = filters.ModelChoiceFilter(queryset=warrant_model().objects.all(), widget=forms.HiddenInput)

    class Meta:
        model = Offence
        fields = []

    def filter_drug_class(self, queryset, name, value):
        if not value:
            return queryset
        classes = ["" if chosen == NO_CLASS else chosen for chosen in value]
        return queryset.filter(drug_class__in=classes)

"""The one FilterSet of the offence list, shared by the HTML list, its exports, the API and the
dashboards' drill-down links.

The parameter names are a contract other code builds links with: date_from, date_to (date
recorded), force, area, partnership, offence_type, offence_group, cultivation, factory,
outcome, q (crime reference)."""

import django_filters as filters
from django import forms

from core.filters import date_filter
from geography.filters import area_filter, force_filter, partnership_filter

from .models import Offence, OffenceGroup, OffenceType, Outcome, SiteType
from .selectors import warrant_model

CHECKBOXES = forms.CheckboxSelectMultiple


class YesNoAny(forms.NullBooleanSelect):
    """Accepts true/false (what links and the API send) and offers Any / Yes / No."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", "Any"), ("true", "Yes"), ("false", "No"))


class YesNoField(forms.NullBooleanField):
    widget = YesNoAny
    # Read by the filter panel's summary of chosen filters, so it says "Yes" rather than "True".
    choices = ((True, "Yes"), (False, "No"))


class YesNoFilter(filters.BooleanFilter):
    field_class = YesNoField


def _yes_no(label, **kwargs):
    return YesNoFilter(label=label, **kwargs)


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
    factory = _yes_no("Commercial-scale factory")
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

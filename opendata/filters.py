"""One FilterSet per context list; the parameter names match the metrics' drill-down links."""

import django_filters as filters
from django import forms

from core.filters import YesNoFilter, date_filter
from geography.filters import area_filter, force_filter, partnership_filter
from geography.models import Area, CommunitySafetyPartnership, Force

from .models import OffenceCode, RecordedCrime, StopSearch, StreetCrime

CHECKBOXES = forms.CheckboxSelectMultiple


class _Place(filters.FilterSet):
    # Every configured force, not only the alliance's: context data may cover neighbours.
    force = force_filter(queryset=Force.objects.all())
    partnership = partnership_filter(queryset=CommunitySafetyPartnership.objects.all())
    area = area_filter(queryset=Area.objects.all())
    has_area = YesNoFilter(field_name="area", lookup_expr="isnull", exclude=True, label="District known")
    outcome = filters.CharFilter(label="Outcome (exactly as published)")
    month_from = date_filter("Month from", "month", "gte")
    month_to = date_filter("Month to", "month", "lte")


class StreetCrimeFilter(_Place):
    class Meta:
        model = StreetCrime
        fields = []


class StopSearchFilter(_Place):
    legislation = filters.CharFilter(lookup_expr="icontains", label="Legislation contains")

    class Meta:
        model = StopSearch
        fields = []


class RecordedCrimeFilter(filters.FilterSet):
    force = force_filter(queryset=Force.objects.all())
    financial_year = filters.ChoiceFilter(
        label="Financial year",
        choices=lambda: [
            (year, year)
            for year in RecordedCrime.objects.order_by("-financial_year")
            .values_list("financial_year", flat=True)
            .distinct()
        ],
    )
    quarter = filters.ChoiceFilter(choices=[(n, f"Quarter {n}") for n in range(1, 5)])
    offence_code = filters.MultipleChoiceFilter(
        choices=OffenceCode.choices, widget=CHECKBOXES, label="Offence"
    )

    class Meta:
        model = RecordedCrime
        fields = []

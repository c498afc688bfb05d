"""The place filters every record list offers (force, district, community safety partnership),
declared once: same parameter names, labels and choices on every list, its exports and API."""

from django import forms

from core.filters import ChosenRecordsFilter

from .models import Area, CommunitySafetyPartnership, Force

# distinct=False: each follows foreign keys forward, so no record can be listed twice, and SELECT
# DISTINCT over every column would make the database sort every matching row of a list page.


def force_filter(*, field_name="force", queryset=None):
    return ChosenRecordsFilter(
        field_name=field_name,
        queryset=Force.objects.filter(in_alliance=True) if queryset is None else queryset,
        widget=forms.CheckboxSelectMultiple,
        label="Force",
        distinct=False,
    )


def area_filter(*, field_name="area", queryset=None):
    return ChosenRecordsFilter(
        field_name=field_name,
        queryset=Area.objects.in_alliance() if queryset is None else queryset,
        widget=forms.CheckboxSelectMultiple,
        label="District",
        distinct=False,
    )


def partnership_filter(*, field_name="area__partnership", queryset=None):
    return ChosenRecordsFilter(
        field_name=field_name,
        queryset=(
            CommunitySafetyPartnership.objects.filter(force__in_alliance=True)
            if queryset is None
            else queryset
        ),
        widget=forms.CheckboxSelectMultiple,
        label="Community safety partnership",
        distinct=False,
    )

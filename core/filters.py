"""Filter pieces shared by the record lists."""

import django_filters as filters
from django import forms


def date_filter(label, field_name, lookup_expr, **options):
    """A date bound of a list (date_from / date_to), as a browser date picker."""
    return filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup_expr,
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}),
        **options,
    )

"""Filter pieces shared by the record lists."""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters.fields import ModelMultipleChoiceField


def date_filter(label, field_name, lookup_expr, **options):
    """A date bound of a list (date_from / date_to), as a browser date picker."""
    return filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup_expr,
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}),
        **options,
    )


def govuk_filter_widgets(form):
    """The filter panel's inputs in GOV.UK style, whatever widgets a FilterSet's filters bring:
    crispy-forms-gds styles no number input (it drew a 21 px box, too small to tap), and GOV.UK
    asks for a text input with a numeric keyboard rather than type="number" in any case."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.NumberInput):
            kept = {name: value for name, value in widget.attrs.items() if name not in ("min", "max", "step")}
            field.widget = forms.TextInput(
                attrs={**kept, "inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-5"}
            )
        elif isinstance(widget, forms.DateInput) and "govuk-input" not in widget.attrs.get("class", ""):
            widget.input_type = "date"  # as date_filter's: the browser's date picker
            widget.attrs["class"] = "govuk-input govuk-input--width-10"
    return form


class YesNoAny(forms.NullBooleanSelect):
    """Accepts true/false (what links and the API send) and offers Any / Yes / No: Django's own
    select offers "Unknown" for "any", which reads as a value of its own."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", "Any"), ("true", "Yes"), ("false", "No"))


class YesNoField(forms.NullBooleanField):
    widget = YesNoAny
    # Read by the filter panel's summary of chosen filters, so it says "Yes" rather than "True".
    choices = ((True, "Yes"), (False, "No"))


class YesNoFilter(filters.BooleanFilter):
    """A yes/no question of a list: Any, Yes or No in the panel, "Label: Yes" once chosen."""

    field_class = YesNoField


# The largest id a 64-bit integer column holds.
LARGEST_ID = 2**63 - 1


class _ChosenRecordsField(ModelMultipleChoiceField):
    def _check_values(self, value):
        model = self.queryset.model
        key = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            for chosen in value:
                try:
                    number = int(chosen)
                except (TypeError, ValueError):
                    continue  # the usual "not a valid value" below
                if not -LARGEST_ID - 1 <= number <= LARGEST_ID:
                    # Django guards an exact look-up against such a number but not an __in one,
                    # which SQLite cannot bind (a 500 instead of this message).
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": chosen},
                    )
        return super()._check_values(value)


class ChosenRecordsFilter(filters.ModelMultipleChoiceFilter):
    """Records chosen by id (or `to_field_name`), several at once: ticked boxes, or ?force=1&force=2.
    An id beyond what the database can hold is refused with the same message as any unknown id."""

    field_class = _ChosenRecordsField

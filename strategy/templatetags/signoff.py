from django import template
from django.utils.html import format_html

from ..signoff import quarter_key

register = template.Library()

TAGS = {
    "ready": ("govuk-tag--blue", "Ready for sign-off"),
    "signed_off": ("govuk-tag--green", "Signed off"),
    "reopened": ("govuk-tag--orange", "Reopened"),
}


@register.simple_tag
def sign_off_tag(state):
    css, label = TAGS.get(state.status, ("", "")) if state else ("govuk-tag--grey", "Not prepared")
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


@register.filter
def quarter_code(quarter):
    """The value a quarter is chosen by in the bulk form: 2025-26 Q1 is "2025-1"."""
    year, number = quarter_key(quarter)
    return f"{year}-{number}"


@register.filter
def choice_label(choices, value):
    return dict(choices).get(value, value)


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None

from django import template

from core.forms import first_input_id as _first_input_id

register = template.Library()


@register.filter
def first_input_id(bound_field):
    """The id an error summary link must target: the field's first input (core.forms)."""
    return _first_input_id(bound_field)

from django import template

register = template.Library()


@register.filter
def first_input_id(bound_field):
    """The id an error summary link must target: the field's first input.

    Radios, checkboxes and day/month/year inputs have no element with the field's own id
    (their inputs are id_x_0, id_x_1…), so a link to #id_x would lead nowhere."""
    auto_id = bound_field.auto_id
    if not auto_id:
        return bound_field.html_name
    return bound_field.field.widget.id_for_label(auto_id) or f"{auto_id}_0"

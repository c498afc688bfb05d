"""Form pieces shared by the recording apps."""

import hashlib

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms


def gds_helper(*layout):
    """A crispy-forms-gds helper for fields rendered inside a page's own <form> tag."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


def first_input_id(bound_field):
    """The id of a field's first input, which an error summary link or a check-answers "Change"
    link must target.

    Radios, checkboxes and day/month/year inputs have no element with the field's own id. The
    GOV.UK templates (crispy-forms-gds) number radios and checkboxes from 1 (id_x_1, id_x_2…);
    the parts of a date from 0 (id_x_0 for the day)."""
    auto_id = bound_field.auto_id
    if not auto_id:
        return bound_field.html_name
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{auto_id}_1"
    return widget.id_for_label(auto_id) or f"{auto_id}_0"


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="For example: recorded twice, or recorded against the wrong force",
    )

    def __init__(self, *args, noun="record", **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.label = f"Why is this {noun} being withdrawn?"
        reason.error_messages["required"] = f"Enter why the {noun} is being withdrawn"
        self.helper = gds_helper(Field.textarea("reason", rows=3))


class RenderedOnce:
    """A form whose rendered fields are the same for everyone who asks with the same data, so a
    page may render it once and then take it from the cache (`{% rendered_once form %}`, in
    core's `rendering` tags): the key names everything the rendered form shows — the form, the
    data asked for, the errors, each field's label, hint, value, attributes and every choice
    offered (read afresh, so a new district or agency shows at once).

    A bound form is cached only where `cache_bound` says its data may be kept in the cache
    (a filter's choices may; a person's details never are)."""

    cache_bound = False

    def rendering_key(self):
        if self.is_bound and not self.cache_bound:
            return None
        data = sorted(self.data.lists() if hasattr(self.data, "lists") else self.data.items())
        parts = [type(self).__module__, type(self).__qualname__, self.prefix, self.is_bound, data]
        parts.append(
            sorted((field, [str(error) for error in errors]) for field, errors in self.errors.items())
        )
        for name, field in self.fields.items():
            bound = self[name]
            # Only widgets that show their choices: a hidden one holds a ModelChoiceField's whole table.
            widget = field.widget
            choices = widget.choices if isinstance(widget, forms.widgets.ChoiceWidget) else None
            parts.append(
                (
                    name,
                    str(field.label),
                    str(field.help_text),
                    field.required,
                    field.disabled,
                    sorted((key, str(value)) for key, value in field.widget.attrs.items()),
                    str(bound.value()),
                    [(str(value), str(label)) for value, label in choices] if choices is not None else None,
                )
            )
        return "form:" + hashlib.sha256(repr(parts).encode()).hexdigest()


class RenderedOnceFilterForm(RenderedOnce, forms.Form):
    """The form of a list's filter panel (a FilterSet's Meta.form) whose filters hold nothing
    about a person: rendered once for each set of filters asked for."""

    cache_bound = True

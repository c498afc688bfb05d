"""Form pieces shared by the recording apps."""

import hashlib

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms

from . import generations


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
        models = set()
        for name, field in self.fields.items():
            bound = self[name]
            parts.append((name, _choices_shown(field, models)))
            parts.append(
                (
                    name,
                    str(field.label),
                    str(field.help_text),
                    field.required,
                    field.disabled,
                    sorted((key, str(value)) for key, value in field.widget.attrs.items()),
                    str(bound.value()),
                )
            )
        if models:
            names = generations.rows_names(*models)
            if generations.changing(*names):
                return None  # this transaction's own choices, which a rollback may undo: not kept
            parts.append(generations.stamp(*names))
        return "form:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _choices_shown(field, models):
    """What decides the choices a field shows, without reading them: a model's choices are
    named by their query, and its model is added to `models`, whose rows' generation
    (core.generations) goes in the key, so a new district or agency shows at once; other
    choices are listed."""
    widget = field.widget
    if not isinstance(widget, forms.widgets.ChoiceWidget):
        return None  # a hidden or text widget shows no choices (a hidden one may hold a whole table)
    if isinstance(field, forms.ModelChoiceField):
        query = field.queryset.query
        models.add(query.model)
        # What the query asks for, without compiling its SQL: its conditions, order and slice.
        return (str(query.where), query.order_by, query.distinct, query.low_mark, query.high_mark)
    return [(str(value), str(label)) for value, label in widget.choices]


class RenderedOnceFilterForm(RenderedOnce, forms.Form):
    """The form of a list's filter panel (a FilterSet's Meta.form) whose filters hold nothing
    about a person: rendered once for each set of filters asked for."""

    cache_bound = True

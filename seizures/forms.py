"""GOV.UK-style forms. They validate through the models' clean() and hand the cleaned data to
the services; they never save."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from geography.models import Area, Force

from .models import MAX_ITEMS_PER_SEIZURE, TOO_MANY_ITEMS, Drug, Seizure, SeizureItem, Warrant


def _name_required_fields(form):
    """GOV.UK error messages say what to do: "Enter the reference", not "This field is required"."""
    for field in form.fields.values():
        choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
        label = str(field.label or "").replace(" (optional)", "").lower()
        field.error_messages["required"] = f"{'Select' if choose else 'Enter'} the {label}"


def _helper(*layout):
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


class _PlaceMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = Force.objects.filter(in_alliance=True)
        self.fields["force"].empty_label = None
        self.fields["area"].queryset = Area.objects.in_alliance().select_related("force")
        self.fields["area"].label_from_instance = lambda area: f"{area.name} ({area.force.name})"


class SeizureForm(_PlaceMixin, forms.ModelForm):
    seized_on = DateInputField(label="Date seized", help_text="For example, 27 3 2025")
    warrant_reference = forms.CharField(
        label="Warrant reference (optional)",
        required=False,
        help_text="If the drugs were found under a warrant, its reference in the same force",
    )

    class Meta:
        model = Seizure
        fields = ["reference", "seized_on", "force", "area", "place", "postcode", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _name_required_fields(self)
        if self.instance.warrant_id:
            self.initial["warrant_reference"] = self.instance.warrant.reference
        self.helper = _helper(
            Field.text("reference", field_width=20),
            Field("seized_on"),
            Field.select("force"),
            Field.select("area"),
            Field.text("place"),
            Field.text("postcode", field_width=10),
            Field.text("warrant_reference", field_width=20),
            Field.textarea("notes", rows=3),
        )

    def clean(self):
        cleaned = super().clean()
        reference = (cleaned.get("warrant_reference") or "").strip()
        force = cleaned.get("force")
        self.instance.warrant = None
        if reference and force:
            warrant = Warrant.objects.live().filter(force=force, reference=reference).first()
            if warrant is None:
                self.add_error("warrant_reference", f"{force} has no warrant with this reference")
            else:
                self.instance.warrant = warrant
        cleaned["warrant"] = self.instance.warrant
        return cleaned


class SeizureItemForm(forms.ModelForm):
    class Meta:
        model = SeizureItem
        fields = ["drug", "quantity", "unit"]

    def __init__(self, *args, drugs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drug"].queryset = Drug.objects.filter(active=True)
        self.fields["quantity"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}
        )
        self.fields["quantity"].widget.input_type = "text"
        _name_required_fields(self)
        self.fields[
            "unit"
        ].help_text = "Weights in grams or kilograms; cannabis plants by plant; tablets by dose"
        if "DELETE" in self.fields:
            self.fields["DELETE"].label = "Remove this item"
        self.helper = _helper()


class _ItemFormSet(BaseInlineFormSet):
    default_error_messages = {
        "too_few_forms": "Add at least one drug seized",
        "too_many_forms": TOO_MANY_ITEMS,
    }


SeizureItemFormSet = inlineformset_factory(
    Seizure,
    SeizureItem,
    form=SeizureItemForm,
    formset=_ItemFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=MAX_ITEMS_PER_SEIZURE,
    validate_max=True,
    # However many forms a request claims (items-TOTAL_FORMS), no more than this are built.
    absolute_max=MAX_ITEMS_PER_SEIZURE + 1,
    can_delete=True,
)


def item_specs(formset):
    """What the services take: one dict per kept item (new or existing)."""
    specs = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", {})
        if not data or data.get("DELETE"):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        specs.append(
            {"id": form.instance.pk, "drug": data["drug"], "quantity": data["quantity"], "unit": data["unit"]}
        )
    return specs


class WarrantForm(_PlaceMixin, forms.ModelForm):
    applied_on = DateInputField(label="Date applied for (optional)", required=False)
    issued_on = DateInputField(label="Date issued")
    executed_on = DateInputField(
        label="Date executed", required=False, help_text="Leave blank if not executed"
    )

    class Meta:
        model = Warrant
        fields = [
            "reference",
            "force",
            "area",
            "applied_on",
            "issued_on",
            "executed_on",
            "result",
            "arrests",
            "notes",
        ]
        widgets = {"result": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = Warrant.Result.choices
        _name_required_fields(self)
        self.helper = _helper(
            Field.text("reference", field_width=20),
            Field.select("force"),
            Field.select("area"),
            Fieldset(Field("applied_on"), Field("issued_on"), Field("executed_on"), legend="Dates"),
            Field.radios("result"),
            Field.text("arrests", field_width=4),
            Field.textarea("notes", rows=3),
        )

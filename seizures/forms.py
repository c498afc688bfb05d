"""GOV.UK-style forms. They validate through the models' clean() and hand the cleaned data to
the services; they never save."""

from decimal import Decimal, InvalidOperation

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from geography.models import Area, Force

from .models import (
    MAX_ITEMS_PER_SEIZURE,
    TOO_MANY_ITEMS,
    Drug,
    Seizure,
    SeizureItem,
    Site,
    SizeBand,
    StreetPrice,
    Warrant,
)


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


class PenceField(forms.Field):
    """An amount typed in pounds (£1,250.50, 1250.5) and kept in pence (125050)."""

    default_error_messages = {
        "invalid": "Enter an amount in pounds, like 1250 or 1,250.50",
        "negative": "Enter an amount of £0 or more",
        "pennies": "Enter the pence as two digits at most, like 1,250.50",
    }

    def to_python(self, value):
        text = str(value if value is not None else "").strip().replace(",", "").removeprefix("£").strip()
        if not text:
            return None
        try:
            pounds = Decimal(text)
        except InvalidOperation as invalid:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from invalid
        if not pounds.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if pounds < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if pounds != pounds.quantize(Decimal("0.01")):
            raise forms.ValidationError(self.error_messages["pennies"], code="pennies")
        return int(pounds * 100)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{Decimal(value) / 100:.2f}"
        return value


class _PlaceMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = Force.objects.filter(in_alliance=True)
        self.fields["force"].empty_label = None
        self.fields["area"].queryset = Area.objects.in_alliance().select_related("force")
        self.fields["area"].label_from_instance = lambda area: f"{area.name} ({area.force.name})"


def _link_by_reference(form, cleaned, name, records, noun):
    """Link the instance to the live record of `records` whose reference (in any case) was typed
    in `<name>_reference`, in the force chosen; a reference the force does not have is an error
    on that field."""
    reference = (cleaned.get(f"{name}_reference") or "").strip()
    force = cleaned.get("force")
    linked = None
    if reference and force:
        linked = records.filter(force=force, reference__iexact=reference).first()
        if linked is None:
            form.add_error(f"{name}_reference", f"{force} has no {noun} with this reference")
    setattr(form.instance, name, linked)
    cleaned[name] = linked


class SeizureForm(_PlaceMixin, forms.ModelForm):
    seized_on = DateInputField(label="Date seized", help_text="For example, 27 3 2025")
    warrant_reference = forms.CharField(
        label="Warrant reference (optional)",
        required=False,
        help_text="If the drugs were found under a warrant, its reference in the same force",
    )
    site_reference = forms.CharField(
        label="Cannabis factory reference (optional)",
        required=False,
        help_text="If the drugs were found at a cannabis factory, its reference in the same force",
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
        if self.instance.site_id:
            self.initial["site_reference"] = self.instance.site.reference
        self.helper = _helper(
            Field.text("reference", field_width=20),
            Field("seized_on"),
            Field.select("force"),
            Field.select("area"),
            Field.text("place"),
            Field.text("postcode", field_width=10),
            Field.text("warrant_reference", field_width=20),
            Field.text("site_reference", field_width=20),
            Field.textarea("notes", rows=3),
        )

    def clean(self):
        cleaned = super().clean()
        _link_by_reference(self, cleaned, "warrant", Warrant.objects.live(), "warrant")
        _link_by_reference(self, cleaned, "site", Site.objects.live(), "cannabis factory")
        return cleaned


class SeizureItemForm(forms.ModelForm):
    class Meta:
        model = SeizureItem
        fields = ["drug", "quantity", "unit", "plant_count"]

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
        ].help_text = (
            "Weights in grams or kilograms; cannabis plants by plant or by weight; tablets by dose or weight"
        )
        self.fields["plant_count"].label = "Plants counted (optional)"
        self.fields[
            "plant_count"
        ].help_text = "Cannabis plants recorded by weight: how many, if they were counted"
        self.fields["plant_count"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
        )
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
    # Only a saved item can be removed: a new row left blank is simply not saved.
    can_delete=True,
    can_delete_extra=False,
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
            {
                "id": form.instance.pk,
                "drug": data["drug"],
                "quantity": data["quantity"],
                "unit": data["unit"],
                "plant_count": data.get("plant_count"),
            }
        )
    return specs


class WarrantForm(_PlaceMixin, forms.ModelForm):
    applied_on = DateInputField(label="Date applied for (optional)", required=False)
    issued_on = DateInputField(label="Date issued")
    executed_on = DateInputField(
        label="Date executed",
        required=False,
        help_text="Within three months of the date issued (PACE s16(3)). Leave blank if not executed",
    )
    cash_seized_pence = PenceField(
        label="Cash seized, £ (optional)",
        required=False,
        help_text="Cash seized under the Proceeds of Crime Act 2002, in pounds",
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
            "cash_seized_pence",
            "other_property",
            "notes",
        ]
        widgets = {
            "result": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "other_property": forms.Textarea(attrs={"rows": 2}),
        }

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
            Fieldset(
                Field.text("cash_seized_pence", field_width=10),
                Field.textarea("other_property", rows=2),
                legend="Seized besides drugs",
                legend_size=Size.SMALL,
            ),
            Field.textarea("notes", rows=3),
        )
        self.fields["other_property"].label = "Other property seized (optional)"

    def clean_cash_seized_pence(self):
        return self.cleaned_data.get("cash_seized_pence") or 0


class SiteForm(_PlaceMixin, forms.ModelForm):
    discovered_on = DateInputField(label="Date discovered")
    closed_on = DateInputField(
        label="Date closed (optional)",
        required=False,
        help_text="When the factory was dismantled. Leave blank while it is still open",
    )
    plants = forms.IntegerField(
        label="Number of plants",
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of plants as a whole number, like 240",
            "min_value": "Enter a number of plants of 0 or more",
        },
    )
    warrant_reference = forms.CharField(
        label="Warrant reference (optional)",
        required=False,
        help_text="If the factory was found under a warrant, its reference in the same force",
    )

    class Meta:
        model = Site
        fields = [
            "reference",
            "force",
            "area",
            "postcode_sector",
            "premises",
            "discovered_on",
            "closed_on",
            "plants",
            "size_band",
            "notes",
        ]
        widgets = {"premises": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["premises"].choices = Site._meta.get_field("premises").choices
        # Longer than a sector: a full postcode typed is cut to its sector by the model.
        self.fields["postcode_sector"] = forms.CharField(
            label="Postcode sector (optional)",
            required=False,
            max_length=10,
            help_text="For example CV21 2 (a full postcode is cut to its sector)",
        )
        bands = SizeBand.objects.all()
        self.fields["size_band"].queryset = bands
        self.fields["size_band"].empty_label = None
        self.fields["size_band"].widget = forms.RadioSelect()
        self.fields["size_band"].choices = [("", "Find it from the number of plants")] + [
            (band.pk, f"Category {band.category}: {band.description}") for band in bands
        ]
        self.fields["size_band"].label = "Size band (Sentencing Council harm category)"
        self.fields["size_band"].help_text = (
            "Up to the guideline's plant numbers the band is found from the plants; "
            "above them, choose whether the operation was significant or industrial"
        )
        _name_required_fields(self)
        if self.instance.warrant_id:
            self.initial["warrant_reference"] = self.instance.warrant.reference
        self.helper = _helper(
            Field.text("reference", field_width=20),
            Field.select("force"),
            Field.select("area"),
            Field.text("postcode_sector", field_width=10),
            Field.radios("premises", legend_size=Size.SMALL),
            Fieldset(Field("discovered_on"), Field("closed_on"), legend="Dates"),
            Field.text("plants", field_width=5),
            Field.radios("size_band", legend_size=Size.SMALL),
            Field.text("warrant_reference", field_width=20),
            Field.textarea("notes", rows=3),
        )

    def clean(self):
        cleaned = super().clean()
        _link_by_reference(self, cleaned, "warrant", Warrant.objects.live(), "warrant")
        return cleaned


class StreetPriceForm(forms.ModelForm):
    """A row of a force's table or of the alliance default, its price typed in pounds. A
    correction changes only the figures, dates and source: another drug, unit or table is a
    new row."""

    price_pounds = forms.DecimalField(
        label="Price per unit (£)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text="For example 10.00 for a £10 gram. Leave blank for cannabis plants: they are valued at "
        "the herbal cannabis price",
    )
    valid_from = DateInputField(label="In force from", help_text="For example, 1 4 2025")
    valid_to = DateInputField(
        label="In force until (optional)", required=False, help_text="Leave blank while in force"
    )

    class Meta:
        model = StreetPrice
        fields = ["force", "drug", "unit", "yield_grams_per_plant", "valid_from", "valid_to", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = Force.objects.filter(in_alliance=True)
        self.fields["force"].empty_label = "Alliance default (every force without a row of its own)"
        self.fields["force"].label = "Table"
        self.fields["drug"].queryset = Drug.objects.filter(active=True)
        self.fields["yield_grams_per_plant"].label = "Assumed yield per plant in grams (cannabis plants only)"
        self.fields[
            "yield_grams_per_plant"
        ].help_text = (
            "Courts have used 28 to 40 g (R v Auton 2011); the 2012 sentencing guideline assumes 40 g"
        )
        self.fields[
            "source"
        ].help_text = "Whose table this is and when it was set, e.g. West Mercia drugs expert, April 2025"
        _name_required_fields(self)
        if self.instance.pk:
            self.initial["price_pounds"] = (
                Decimal(self.instance.price_per_unit_pence) / 100
                if self.instance.price_per_unit_pence
                else None
            )
            for name in ("force", "drug", "unit"):
                self.fields[name].disabled = True
        self.helper = _helper(
            Field.select("force"),
            Field.select("drug"),
            Field.select("unit"),
            Field.text("price_pounds", field_width=5),
            Field.text("yield_grams_per_plant", field_width=4),
            Field("valid_from"),
            Field("valid_to"),
            Field.text("source"),
        )

    def clean(self):
        cleaned = super().clean()
        pounds = cleaned.get("price_pounds")
        pence = int(pounds * 100) if pounds is not None else None
        cleaned["price_per_unit_pence"] = pence
        self.instance.price_per_unit_pence = pence
        return cleaned

    def _post_clean(self):
        # The model's clean() runs in the service, with the row it replaces ended first.
        pass

"""GOV.UK-style forms. They validate through the model's clean() and hand the cleaned data to
the services; they never save."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Fieldset, Layout, Size
from django import forms

from geography.models import Area, Force

from .models import CURRENT_OUTCOMES, Offence, Outcome, SiteType, grouped_offence_type_choices
from .selectors import recordable_drugs, site_by_reference, warrant_by_reference

REQUIRED_MESSAGES = {
    "crime_reference": "Enter the crime reference",
    "recorded_date": "Enter the date recorded",
    "force": "Choose the force",
    "area": "Choose the district",
    "offence_type": "Choose the offence",
    "outcome": "Choose the outcome, or investigation ongoing",
}


def _helper(*layout):
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def _yes(value):
    return value in (True, "True", "true", "yes")


class OffenceForm(forms.ModelForm):
    recorded_date = DateInputField(label="Date recorded", help_text="For example, 27 3 2025")
    cultivation = forms.TypedChoiceField(
        label="Was cannabis being grown?",
        choices=(("yes", "Yes"), ("no", "No")),
        coerce=_yes,
        empty_value=False,
        widget=forms.RadioSelect,
        error_messages={"required": "Answer whether cannabis was being grown"},
    )
    plants = forms.IntegerField(
        label="Number of plants found",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the number of plants as a whole number, like 24"},
    )
    outcome_date = DateInputField(
        label="Outcome date", required=False, help_text="Leave blank while the investigation is ongoing"
    )
    drug = forms.ModelChoiceField(
        queryset=recordable_drugs(),
        required=False,
        label="Drug (optional)",
        empty_label="Not recorded",
        help_text="Its class on the date recorded is counted with the offence",
    )
    # Analysts know a warrant or a site by its reference, not by a database id: looked up in
    # the force.
    site = forms.CharField(
        label="Cannabis factory reference (optional)",
        required=False,
        max_length=30,
        help_text="If the offence was at a cannabis factory, the factory's reference in the same force",
    )
    warrant = forms.CharField(
        label="Warrant reference (optional)",
        required=False,
        max_length=30,
        help_text="If the offence came from a drugs warrant, the warrant's reference in the same force",
    )

    class Meta:
        model = Offence
        fields = [
            "crime_reference",
            "recorded_date",
            "force",
            "area",
            "offence_type",
            "cultivation",
            "plants",
            "site_type",
            "drug",
            "site",
            "outcome",
            "outcome_date",
            "warrant",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        self.fields["force"].queryset = Force.objects.filter(in_alliance=True)
        self.fields["force"].empty_label = None
        self.fields["area"].queryset = Area.objects.in_alliance().select_related("force")
        self.fields["area"].label_from_instance = lambda area: f"{area.name} ({area.force.name})"
        self.fields["offence_type"].choices = [("", "Choose an offence"), *grouped_offence_type_choices()]
        self.fields["offence_type"].label = "Offence (Home Office classification)"
        self.fields["site_type"].choices = SiteType.choices
        self.fields["site_type"].widget = forms.RadioSelect(choices=SiteType.choices)
        self.fields["drug"].queryset = recordable_drugs()
        outcomes = list(CURRENT_OUTCOMES)
        if self.instance.pk and self.instance.outcome not in dict(outcomes):
            # A legacy outcome stays offered on the offence that has it, and nowhere else.
            outcomes.append((self.instance.outcome, Outcome(self.instance.outcome).label))
        self.fields["outcome"].choices = outcomes
        self.fields["outcome"].error_messages["invalid_choice"] = (
            "Choose one of the Home Office outcome types"
        )
        self.initial["cultivation"] = "yes" if self.instance.cultivation else "no"
        if self.instance.warrant_id:
            self.initial["warrant"] = self.instance.warrant.reference
        if self.instance.site_id:
            self.initial["site"] = self.instance.site.reference
        self.helper = _helper(
            Field.text("crime_reference", field_width=20),
            Field("recorded_date"),
            Field.select("force"),
            Field.select("area"),
            Field.select("offence_type"),
            Field.select("drug"),
            ConditionalRadios(
                "cultivation",
                ConditionalQuestion(
                    "Yes",
                    Field.text("plants", field_width=5),
                    Field.radios("site_type", legend_size=Size.SMALL),
                ),
                "No",
            ),
            Field.text("site", field_width=20),
            Fieldset(
                Field.select("outcome"), Field("outcome_date"), legend="Outcome", legend_size=Size.MEDIUM
            ),
            Field.text("warrant", field_width=20),
        )

    def clean_crime_reference(self):
        return self.cleaned_data["crime_reference"].strip().upper()

    def clean_site(self):
        reference = (self.cleaned_data.get("site") or "").strip()
        force = self.cleaned_data.get("force")
        if not reference or force is None:
            return None
        site = site_by_reference(force=force, reference=reference)
        if site is None:
            raise forms.ValidationError(f"{force} has no cannabis factory with the reference {reference}")
        return site

    def clean_warrant(self):
        reference = (self.cleaned_data.get("warrant") or "").strip()
        force = self.cleaned_data.get("force")
        if not reference or force is None:
            return None
        warrant = warrant_by_reference(force=force, reference=reference)
        if warrant is None:
            raise forms.ValidationError(f"{force} has no warrant with the reference {reference}")
        return warrant

"""GOV.UK-style forms. They validate (through the model's clean()) and hand cleaned data to the
services; they never save."""

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    HTML,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Layout,
    Size,
)
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db.models import Q

from accounts.models import Agency
from core.forms import RenderedOnce
from geography.models import Area

from .choices import RECEIVING_AGENCY_KINDS, DipTestResult, Pathway, Sex, Status, Substance, TriggerOffence
from .models import Referral
from .personal_data import NOTE_MAX_LENGTH, contact_details_problem


class GovDateField(DateInputField):
    """Day, month and year boxes whose errors name the date, as the Design System asks."""

    def __init__(self, *, subject, **kwargs):
        super().__init__(require_all_fields=False, **kwargs)
        self.subject = subject
        real = f"{subject} must be a real date"
        self.error_messages.update(
            {
                "required": f"Enter {subject.lower()}",
                "incomplete": f"{subject} must include a day, month and year",
            }
        )
        for part, sub_field in zip(("day", "month", "year"), self.fields, strict=True):
            sub_field.validators = [RegexValidator(r"^\s*[0-9]+\s*$", real)]
            sub_field.error_messages["incomplete"] = f"{subject} must include a {part}"

    def compress(self, data_list):
        day, month, year = (str(part).strip() if part else "" for part in data_list)
        if not (day and month and year):
            return None
        if len(year) != 4:
            raise ValidationError(f"{self.subject} must include a year with 4 numbers, for example 2025")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as error:
            raise ValidationError(f"{self.subject} must be a real date") from error


def _helper(*layout):
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def _messages(required, invalid=None):
    return {"required": required, "invalid_choice": invalid or required, "invalid": invalid or required}


class ReferralForm(RenderedOnce, forms.ModelForm):
    referral_date = GovDateField(
        subject="Date of referral", label="Date of referral", help_text="For example, 27 3 2026"
    )
    subject_date_of_birth = GovDateField(
        subject="Date of birth", label="Date of birth", help_text="For example, 31 8 1990"
    )
    substances = forms.MultipleChoiceField(
        label="Which substances does the person use?",
        choices=Substance.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select at least one substance the person uses",
            "invalid_choice": "Select substances from the list",
        },
    )
    consent_recorded = forms.BooleanField(
        label="The person has consented to this referral and to their details being shared",
        error_messages={"required": "Confirm the person has consented to the referral"},
    )

    class Meta:
        model = Referral
        fields = [
            "pathway",
            "dip_test_result",
            "trigger_offence",
            "referral_date",
            "receiving_agency",
            "area",
            "subject_first_initial",
            "subject_surname_initial",
            "subject_date_of_birth",
            "subject_sex",
            "substances",
            "notes",
            "consent_recorded",
        ]
        labels = {
            "pathway": "Which pathway is the person being referred through?",
            "dip_test_result": "Result of the test on arrest",
            "trigger_offence": "Trigger offence the person was arrested for",
            "receiving_agency": "Which agency are you referring the person to?",
            "area": "District where the person lives",
            "subject_first_initial": "First letter of their first name",
            "subject_surname_initial": "First letter of their surname",
            "subject_sex": "Sex",
            "notes": "Reason for referral",
        }
        widgets = {
            "pathway": forms.RadioSelect,
            "dip_test_result": forms.RadioSelect,
            "subject_sex": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "pathway": _messages("Select the pathway"),
            "dip_test_result": _messages("Select the result of the test on arrest"),
            "trigger_offence": _messages("Select the trigger offence the person was arrested for"),
            "receiving_agency": _messages("Select the agency you are referring the person to"),
            "area": _messages("Select the district where the person lives"),
            "subject_sex": _messages("Select the person's sex"),
            "subject_first_initial": {
                "required": "Enter the first letter of the person's first name",
                "max_length": "Enter only the first letter of the person's first name",
            },
            "subject_surname_initial": {
                "required": "Enter the first letter of the person's surname",
                "max_length": "Enter only the first letter of the person's surname",
            },
        }

    def __init__(self, *args, agency, **kwargs):
        """`agency`: the signed-in user's, which submits (or submitted) the referral."""
        super().__init__(*args, **kwargs)
        if self.instance.submitting_agency_id is None:
            self.instance.submitting_agency = agency
        self.fields["pathway"].choices = Pathway.choices
        self.fields["dip_test_result"].choices = DipTestResult.choices
        self.fields["dip_test_result"].required = False
        self.fields["trigger_offence"].choices = [("", "Select the offence"), *TriggerOffence.choices]
        self.fields["trigger_offence"].required = False
        self.fields["trigger_offence"].help_text = (
            "Only for a test on arrest: the offence that allowed the test (Criminal Justice and "
            "Court Services Act 2000, schedule 6), or one an inspector authorised"
        )
        self.fields["subject_sex"].choices = Sex.choices
        for name in ("subject_first_initial", "subject_surname_initial"):
            self.fields[name].required = True
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["notes"].validators += [
            MaxLengthValidator(NOTE_MAX_LENGTH, "Reason for referral must be 2,000 characters or fewer"),
            _no_contact_details,
        ]
        self.fields[
            "notes"
        ].help_text = "Do not include names, addresses, postcodes, phone numbers or email addresses"
        # Agencies taking referrals, never the user's own; a referral being changed keeps the
        # agency it was sent to even if that agency has stopped taking new ones.
        self.fields["receiving_agency"].queryset = Agency.objects.filter(
            Q(active=True, kind__in=RECEIVING_AGENCY_KINDS) | Q(pk=self.instance.receiving_agency_id)
        ).exclude(pk=self.instance.submitting_agency_id)
        self.fields["receiving_agency"].help_text = (
            "The service the person is referred to. Drugs Intervention Programme referrals go to "
            "a drug and alcohol treatment service"
        )
        self.fields["receiving_agency"].empty_label = "Select an agency"
        self.fields["area"].queryset = Area.objects.in_alliance().select_related("force")
        self.fields["area"].label_from_instance = lambda area: f"{area.name} ({area.force.name})"
        self.fields["area"].empty_label = "Select a district"
        self.fields["area"].help_text = "Figures are counted in the district where the person lives"
        self.helper = _helper(
            Fieldset(
                # The test's result and trigger offence are asked only of a test on arrest:
                # revealed under that pathway.
                ConditionalRadios(
                    "pathway",
                    *(
                        ConditionalQuestion(
                            label,
                            Field.radios("dip_test_result", legend_size=Size.SMALL, small=True),
                            Field.select("trigger_offence"),
                        )
                        if value == Pathway.DIP_TEST_ON_ARREST
                        else label
                        for value, label in Pathway.choices
                    ),
                ),
                Field("referral_date"),
                Field.select("receiving_agency"),
                Field.select("area"),
                legend="About the referral",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML(
                    '<p class="govuk-body">Do not enter the person\'s name, address or phone number. '
                    "We record only their initials, date of birth and sex, as national drug treatment "
                    "reporting does.</p>"
                ),
                Field.text("subject_first_initial", field_width=2),
                Field.text("subject_surname_initial", field_width=2),
                Field("subject_date_of_birth"),
                Field.radios("subject_sex", legend_size=Size.SMALL, inline=True),
                legend="About the person",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("substances", legend_size=Size.SMALL, small=True),
            Field.textarea("notes", rows=5),
            Field.checkbox("consent_recorded"),
        )

    def clean(self):
        cleaned = super().clean()
        # A result or trigger offence picked under the test on arrest, then hidden by choosing
        # another pathway, is not an answer the user can see: it is dropped, not refused.
        if cleaned.get("pathway") and cleaned["pathway"] != Pathway.DIP_TEST_ON_ARREST:
            for name in ("dip_test_result", "trigger_offence"):
                cleaned[name] = ""
                self._errors.pop(name, None)
        return cleaned

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}

    def _update_errors(self, errors):
        # The model's clean() re-checks fields (date of birth, initials, consent) that the form
        # may already have refused: one message per mistake, the form's.
        if hasattr(errors, "error_dict"):
            errors = ValidationError(
                {field: messages for field, messages in errors.error_dict.items() if field not in self.errors}
            )
        super()._update_errors(errors)


def _no_contact_details(text):
    problem = contact_details_problem(text)
    if problem:
        raise ValidationError(problem)


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(
        label="What has happened?",
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages=_messages("Select what has happened to the referral"),
    )
    effective_on = GovDateField(
        subject="The date it happened",
        label="Date it happened",
        required=False,
        help_text="Leave blank for today. For example, 27 3 2026",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when declining, or closing the referral early. No names or contact details",
        validators=[_no_contact_details],
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )
    from_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Every status is accepted here so a refused change gets the service's clear reason;
        # only the changes this user may make are offered.
        self.fields["to_status"].widget.choices = [(move.target, move.action) for move in moves]
        self.helper = _helper(
            Field.radios("to_status", legend_size=Size.MEDIUM),
            Field("effective_on"),
            Field.textarea("note", rows=4),
            Field("from_status"),
        )

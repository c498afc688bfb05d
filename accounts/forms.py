import re

from django import forms


class TwoFactorCodeForm(forms.Form):
    """The six-digit code from an authenticator app. Spaces and dashes are ignored: apps show
    the code as "123 456"."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return code

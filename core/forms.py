"""Form pieces shared by the recording apps."""

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

from django import forms

from .reading import max_upload_bytes, megabytes


class UploadForm(forms.Form):
    """The file, and whatever else the record type asks with it (its `option_fields()`)."""

    file = forms.FileField(
        label="File",
        error_messages={"required": "Choose a CSV or XLSX file", "empty": "The file is empty"},
    )

    def __init__(self, importer, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"A CSV (UTF-8) or Excel workbook (.xlsx) of up to {megabytes(max_upload_bytes())}, "
            "with the template's columns"
        )
        self.fields.update(importer.option_fields())

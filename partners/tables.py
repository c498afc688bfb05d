"""The referral list; the same columns are exported. No column ever shows initials or a date
of birth, so neither can reach a download."""

import django_tables2 as tables
from django.utils.html import format_html

from core.exports import ExportColumn, ListExport, choice_text, iso_date
from core.tables import StableTable

from .choices import STATUS_TAG_COLOURS, AgeBand, Pathway, Sex, Status
from .models import Referral


class ReferralTable(StableTable):
    reference = tables.Column(linkify=True)
    referral_date = tables.DateColumn("j M Y", verbose_name="Referred")
    pathway = tables.Column()
    area = tables.Column(verbose_name="District", order_by=("area__name",))
    submitting_agency = tables.Column(verbose_name="Submitted by", order_by=("submitting_agency__name",))
    receiving_agency = tables.Column(verbose_name="Referred to", order_by=("receiving_agency__name",))
    age_band = tables.Column(verbose_name="Age")
    subject_sex = tables.Column(verbose_name="Sex")
    status = tables.Column()

    class Meta:
        model = Referral
        fields = (
            "reference",
            "referral_date",
            "pathway",
            "area",
            "submitting_agency",
            "receiving_agency",
            "age_band",
            "subject_sex",
            "status",
        )
        order_by = ("-referral_date",)
        attrs = {"class": "govuk-table"}
        empty_text = "No referrals match these filters."

    export = ListExport(
        ExportColumn("reference", "reference"),
        ExportColumn("referral_date", "referral_date", iso_date),
        ExportColumn("pathway", "pathway", choice_text(Pathway.choices)),
        ExportColumn("area", "area__name"),
        ExportColumn("submitting_agency", "submitting_agency__name"),
        ExportColumn("receiving_agency", "receiving_agency__name"),
        ExportColumn("age_band", "age_band", choice_text(AgeBand.choices)),
        ExportColumn("subject_sex", "subject_sex", choice_text(Sex.choices)),
        ExportColumn("status", "status", choice_text(Status.choices)),
    )

    def render_status(self, record):
        colour = STATUS_TAG_COLOURS.get(record.status, "")
        return format_html('<strong class="govuk-tag {}">{}</strong>', colour, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()


class AllReferralsTable(ReferralTable):
    """For those who see every agency's referrals: the possible-repeat flag too."""

    possible_repeat = tables.BooleanColumn(verbose_name="Possible repeat", yesno="Yes,")

    class Meta(ReferralTable.Meta):
        fields = (*ReferralTable.Meta.fields, "possible_repeat")

    export = ListExport(
        *ReferralTable.export.columns, ExportColumn("possible_repeat", "possible_repeat", str)
    )

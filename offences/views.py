"""Offence pages: the filtered list with exports, detail with history, forms, withdrawal."""

from django.http import Http404
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.views import View

from core.history import changed_after, history_of
from core.templatetags.formatting import format_total
from core.views import FilteredTableView, RolePermissionRequired, ServiceFormView, WithdrawView

from . import selectors, services
from .filters import OffenceFilter
from .forms import OffenceForm
from .models import Offence
from .tables import OffenceTable

Permission = RolePermissionRequired


def _day(value):
    return f"{value.day} {value:%B %Y}" if value else None


def _yes_no(value):
    return "Yes" if value else "No"


class OffenceListView(Permission, FilteredTableView):
    permission_required = "offences.view_offence"
    filterset_class = OffenceFilter
    table_class = OffenceTable
    template_name = "offences/offence_list.html"
    export_name = "offences"
    counted_in_figures = True

    def get_queryset(self):
        return selectors.offence_list()

    def list_totals(self, records):
        sums = selectors.plant_totals(records)
        if not sums["cultivation_offences"]:
            return []  # no plants to add up: only cultivation offences record them
        uncounted, note = sums["uncounted"], ""
        if uncounted:
            note = f"{uncounted:,} cultivation offence{pluralize(uncounted)} with no count of plants"
        return [("Cannabis plants", format_total(sums["total_plants"] or 0), note)]

    def changed_records(self, records, moment):
        return records.filter(pk__in=changed_after(Offence, moment))


class OffenceDetailView(Permission, View):
    permission_required = "offences.view_offence"

    def get(self, request, pk):
        try:
            offence = selectors.offence_for(request.user, pk)
        except Offence.DoesNotExist as missing:
            raise Http404("No such offence") from missing
        return TemplateResponse(
            request,
            "offences/offence_detail.html",
            {"offence": offence, "rows": summary_rows(offence), "history": history_of(offence)},
        )


def _link(record, text):
    return (
        format_html('<a class="govuk-link" href="{}">{}</a>', record.get_absolute_url(), text)
        if record
        else None
    )


def summary_rows(offence):
    warrant, site = offence.warrant, offence.site
    rows = [
        ("Crime reference", offence.crime_reference),
        ("Date recorded", _day(offence.recorded_date)),
        ("Force", offence.force),
        ("District", offence.area),
        ("Community safety partnership", offence.area.partnership),
        ("Offence", offence.get_offence_type_display()),
        ("Home Office group", offence.get_offence_group_display()),
        ("Drug", offence.drug),
        (
            "Class on the date recorded",
            f"Class {offence.drug_class}"
            if offence.drug_class
            else ("Not recorded" if not offence.drug else None),
        ),
        ("Cannabis cultivation", _yes_no(offence.cultivation)),
    ]
    if offence.cultivation:
        rows += [
            ("Number of plants", offence.plants),
            ("Type of site", offence.get_site_type_display()),
        ]
    rows += [
        ("Cannabis factory", _link(site, site.reference) if site else None),
        ("Outcome", offence.get_outcome_display()),
        ("Outcome date", _day(offence.outcome_date)),
        ("Warrant", _link(warrant, warrant.reference) if warrant else None),
    ]
    return rows


class OffenceFormView(ServiceFormView):
    model = Offence
    form_class = OffenceForm
    template_name = "offences/offence_form.html"
    service_fields = services.OFFENCE_FIELDS
    context_object_name = "offence"


class OffenceCreateView(OffenceFormView):
    permission_required = "offences.add_offence"

    def save(self, fields):
        return services.offence_create(user=self.request.user, **fields)


class OffenceEditView(OffenceFormView):
    permission_required = "offences.change_offence"

    def get_object(self):
        return self.get_live_object(Offence.objects.live().select_related("warrant", "site"))

    def save(self, fields):
        return services.offence_update(offence=self.get_object(), user=self.request.user, **fields)


class OffenceWithdrawView(WithdrawView):
    permission_required = "offences.change_offence"
    model = Offence
    withdraw = services.offence_withdraw

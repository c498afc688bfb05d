"""Seizure and warrant pages: filtered lists with exports, detail with history, forms, withdrawal."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Sum
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views import View

from core.history import history_of
from core.templatetags.formatting import format_pence, format_total
from core.views import (
    FilteredTableView,
    RolePermissionRequired,
    ServiceFormView,
    WithdrawView,
    report_validation_error,
)

from . import selectors, services
from .filters import SeizureFilter, StreetPriceFilter, WarrantFilter
from .forms import SeizureForm, SeizureItemFormSet, WarrantForm, item_specs
from .models import Seizure, StreetPrice, Warrant
from .tables import SeizureTable, StreetPriceTable, WarrantTable

Permission = RolePermissionRequired


# --- lists --------------------------------------------------------------------------------


def _weight(kilograms):
    # In kilograms, as the figures are; grams too where a kilogram's thousandths would be unread.
    shown = f"{format_total(kilograms)} kg"
    return f"{shown} ({format_total(kilograms * 1000)} g)" if kilograms < 1 else shown


# The quantities the dashboards add up, each in the unit of its figures.
QUANTITY_TOTALS = [
    ("kilograms", "Weight", _weight),
    ("plants", "Cannabis plants", format_total),
    ("doses", "Tablets or doses", format_total),
    ("millilitres", "Volume", lambda millilitres: f"{format_total(millilitres)} ml"),
]


class SeizureListView(Permission, FilteredTableView):
    permission_required = "seizures.view_seizure"
    filterset_class = SeizureFilter
    table_class = SeizureTable
    template_name = "seizures/seizure_list.html"
    export_name = "seizures"
    counted_in_figures = True

    def get_queryset(self):
        return selectors.seizure_list()

    def list_totals(self, records):
        # Of the matching items only, as the figures by drug, class and unit add them up.
        sums = selectors.item_totals(records, self.filterset.matching_items())
        unpriced = sums["unpriced"]
        # An item with no price on its date is never dropped silently: every £ figure says so.
        note = f"includes {unpriced:,} unpriced item{pluralize(unpriced)} — a minimum" if unpriced else ""
        totals = [("Street value", format_pence(sums["street_value_pence"] or 0), note)]
        for name, label, shown in QUANTITY_TOTALS:
            if sums[name] is not None:
                totals.append((label, shown(sums[name]), ""))
        return totals

    def changed_records(self, records, moment):
        return records.filter(pk__in=selectors.seizures_changed_after(moment))


class WarrantListView(Permission, FilteredTableView):
    permission_required = "seizures.view_warrant"
    filterset_class = WarrantFilter
    table_class = WarrantTable
    template_name = "seizures/warrant_list.html"
    export_name = "warrants"
    counted_in_figures = True

    def get_queryset(self):
        return selectors.warrant_list()

    def list_totals(self, records):
        return [("Arrests", format_total(records.aggregate(arrests=Sum("arrests"))["arrests"] or 0), "")]

    def changed_records(self, records, moment):
        return records.filter(pk__in=selectors.warrants_changed_after(moment))


class StreetPriceListView(Permission, FilteredTableView):
    permission_required = "seizures.view_streetprice"
    filterset_class = StreetPriceFilter
    table_class = StreetPriceTable
    template_name = "seizures/street_price_list.html"
    export_name = "street-prices"

    def get_queryset(self):
        return StreetPrice.objects.select_related("drug")  # drug column


# --- detail -------------------------------------------------------------------------------


def _or_404(lookup, *args):
    try:
        return lookup(*args)
    except ObjectDoesNotExist as missing:
        raise Http404("No such record") from missing


class SeizureDetailView(Permission, View):
    permission_required = "seizures.view_seizure"

    def get(self, request, pk):
        seizure = _or_404(selectors.seizure_for, request.user, pk)
        warrant = seizure.warrant
        rows = [
            ("Reference", seizure.reference),
            ("Date seized", f"{seizure.seized_on.day} {seizure.seized_on:%B %Y}"),
            ("Force", seizure.force),
            ("District", seizure.area),
            ("Community safety partnership", seizure.area.partnership),
            ("Place", seizure.place),
            ("Postcode", seizure.postcode or None),
            (
                "Warrant",
                format_html(
                    '<a class="govuk-link" href="{}">{}</a>', warrant.get_absolute_url(), warrant.reference
                )
                if warrant
                else None,
            ),
            ("Street value", format_pence(seizure.total_value_pence)),
            ("Notes", seizure.notes or None),
        ]
        return TemplateResponse(
            request,
            "seizures/seizure_detail.html",
            {
                "seizure": seizure,
                "rows": rows,
                "items": seizure.items.all(),
                "history": selectors.seizure_history(seizure),
            },
        )


class WarrantDetailView(Permission, View):
    permission_required = "seizures.view_warrant"

    def get(self, request, pk):
        warrant = _or_404(selectors.warrant_for, request.user, pk)

        def day(value):
            return f"{value.day} {value:%B %Y}" if value else None

        rows = [
            ("Reference", warrant.reference),
            ("Force", warrant.force),
            ("District", warrant.area),
            ("Date applied for", day(warrant.applied_on)),
            ("Date issued", day(warrant.issued_on)),
            ("Date executed", day(warrant.executed_on)),
            ("Result", warrant.get_result_display()),
            ("Arrests", warrant.arrests),
            ("Notes", warrant.notes or None),
        ]
        seizures_url = reverse("seizures:seizure_list") + f"?warrant={warrant.pk}"
        return TemplateResponse(
            request,
            "seizures/warrant_detail.html",
            {
                "warrant": warrant,
                "rows": rows,
                "seizure_count": warrant.seizures.live().count(),
                "seizures_url": seizures_url,
                "history": history_of(warrant),
            },
        )


# --- forms --------------------------------------------------------------------------------


class CombinedErrors:
    """The form and its item forms as one thing for the shared error summary partial."""

    def __init__(self, form, formset=None):
        self.forms = [form, *(formset.forms if formset is not None else [])]
        self.non_field_errors = list(form.non_field_errors())
        if formset is not None:
            self.non_field_errors += list(formset.non_form_errors())
            for item in formset.forms:
                self.non_field_errors += list(item.non_field_errors())
        self.errors = bool(self.non_field_errors) or any(f.errors for f in self.forms)

    def __iter__(self):
        for form in self.forms:
            yield from form


def _quiet(*forms):
    """Show what was typed without judging it: "add another item" is not a submission."""
    for form in forms:
        if hasattr(form, "forms"):
            form._errors, form._non_form_errors = [], ErrorList()
            _quiet(*form.forms)
        else:
            form._errors = ErrorDict()
            form.cleaned_data = {}


class SeizureFormView(Permission, View):
    template_name = "seizures/seizure_form.html"

    def get_seizure(self):
        return None

    def get(self, request, pk=None):
        seizure = self.get_seizure() or Seizure()
        form = SeizureForm(instance=seizure)
        formset = SeizureItemFormSet(instance=seizure, prefix="items")
        return self.render(form, formset)

    def post(self, request, pk=None):
        seizure = self.get_seizure()
        data = request.POST.copy()
        adding = "add_item" in data
        if adding:
            data["items-TOTAL_FORMS"] = str(int(data.get("items-TOTAL_FORMS") or 0) + 1)
        form = SeizureForm(data, instance=seizure or Seizure())
        formset = SeizureItemFormSet(data, instance=seizure or Seizure(), prefix="items")
        if adding:
            _quiet(form, formset)
            return self.render(form, formset)
        if form.is_valid() & formset.is_valid():
            fields = {
                name: form.cleaned_data[name] for name in services.SEIZURE_FIELDS if name in form.cleaned_data
            }
            try:
                saved = self.save(fields, item_specs(formset))
            except ValidationError as invalid:
                report_validation_error(form, invalid)
            else:
                messages.success(request, f"Seizure {saved.reference} saved")
                return redirect(saved)
        return self.render(form, formset)

    def render(self, form, formset):
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "form": form,
                "formset": formset,
                "errors": CombinedErrors(form, formset),
                "seizure": self.get_seizure(),
            },
        )


class SeizureCreateView(SeizureFormView):
    permission_required = "seizures.add_seizure"

    def save(self, fields, items):
        return services.seizure_create(user=self.request.user, items=items, **fields)


class SeizureEditView(SeizureFormView):
    permission_required = "seizures.change_seizure"

    def get_seizure(self):
        if not hasattr(self, "_seizure"):
            self._seizure = get_object_or_404(Seizure.objects.live(), pk=self.kwargs["pk"])
        return self._seizure

    def save(self, fields, items):
        return services.seizure_update(
            seizure=self.get_seizure(), user=self.request.user, items=items, **fields
        )


class WarrantFormView(ServiceFormView):
    model = Warrant
    form_class = WarrantForm
    template_name = "seizures/warrant_form.html"
    service_fields = services.WARRANT_FIELDS
    context_object_name = "warrant"


class WarrantCreateView(WarrantFormView):
    permission_required = "seizures.add_warrant"

    def save(self, fields):
        return services.warrant_create(user=self.request.user, **fields)


class WarrantEditView(WarrantFormView):
    permission_required = "seizures.change_warrant"

    def get_object(self):
        return self.get_live_object()

    def save(self, fields):
        return services.warrant_update(warrant=self.get_object(), user=self.request.user, **fields)


# --- withdraw and re-price ----------------------------------------------------------------


class SeizureWithdrawView(WithdrawView):
    permission_required = "seizures.change_seizure"
    model = Seizure
    withdraw = services.seizure_withdraw


class WarrantWithdrawView(WithdrawView):
    permission_required = "seizures.change_warrant"
    model = Warrant
    withdraw = services.warrant_withdraw


class SeizureRepriceView(Permission, View):
    """Shows each item's stored value beside its value at today's table for the date seized;
    re-pricing happens only when the analyst confirms."""

    permission_required = "seizures.change_seizure"

    def get(self, request, pk):
        seizure = get_object_or_404(Seizure.objects.live(), pk=pk)
        return TemplateResponse(
            request,
            "seizures/seizure_reprice.html",
            {"seizure": seizure, "proposals": selectors.reprice_preview(seizure)},
        )

    def post(self, request, pk):
        seizure = get_object_or_404(Seizure.objects.live(), pk=pk)
        changed = services.seizure_reprice(seizure=seizure, user=request.user)
        messages.success(
            request, f"Seizure {seizure.reference} re-priced: {len(changed)} item(s) changed value"
        )
        return redirect(seizure)

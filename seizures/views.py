"""Seizure and warrant pages: filtered lists with exports, detail with history, forms, withdrawal."""

import functools
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Sum
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views import View

from accounts.access import access_of
from core import freshness, generations
from core.history import history_of
from core.models import month_versions
from core.templatetags.formatting import format_pence, format_total
from core.templatetags.rendering import RENDERED_FORM_SECONDS
from core.views import (
    FilteredTableView,
    RolePermissionRequired,
    ServiceFormView,
    WithdrawView,
    active_filters,
    report_validation_error,
)
from geography.models import Area, CommunitySafetyPartnership, Force

from . import repricing, selectors, services
from .filters import SeizureFilter, SiteFilter, StreetPriceFilter, WarrantFilter
from .forms import SeizureForm, SeizureItemFormSet, SiteForm, StreetPriceForm, WarrantForm, item_specs
from .models import (
    Drug,
    RepriceJob,
    Seizure,
    SeizureItem,
    Site,
    SizeBand,
    StreetPrice,
    Warrant,
    execution_deadline,
)
from .tables import SeizureTable, SiteTable, StreetPriceTable, WarrantTable

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


# What a row of the seizure list names, and what its filters offer, beside the seizures and their
# items: a drug or a district renamed, a warrant's reference corrected, a force or a partnership
# added moves the key of every kept page of the list. Named here rather than followed through
# their foreign keys (generations.rows_stamp), which would reach the users, saved at every
# sign-in: the pages would be thrown away each time someone signs in.
LIST_READS = (Seizure, SeizureItem, Drug, Force, Area, CommunitySafetyPartnership, Warrant, Site)
LIST_GENERATIONS = [generations.rows_of(model) for model in LIST_READS]
# How long `{% rendered_once %}` keeps the content (core.templatetags.rendering).
KEPT_SECONDS = RENDERED_FORM_SECONDS
# What filtered_list.html shows of the view (FilteredTableView's context).
CONTENT_NAMES = (
    "filter",
    "table",
    "noun",
    "nouns",
    "export_links",
    "active_filters",
    "list_totals",
    "figures_lag",
)


class NotShown(LookupError):
    """A name the computed context does not have (an invalid filter lists nothing, and says
    nothing of the figures): the template takes it as missing, as it would from the context."""

    silent_variable_failure = True


class KeptContent:
    """The key `{% rendered_once %}` keeps a list page's content under (seizure_list.html)."""

    def __init__(self, key):
        self.key = key

    def rendering_key(self):
        return self.key


class SeizureListView(Permission, FilteredTableView):
    """A page of a million seizures, kept: its content — the filter panel, the count, the totals,
    how many of its rows the figures leave out, the table with its sort headers and pagination —
    is rendered once and kept in the cache (seizure_list.html) under a key naming everything it
    shows (page_key). Asked for again, the page reads none of it: the view computes what the
    content shows only if the template finds it gone. Around it, the CSRF token, the user's name,
    the navigation and the messages are rendered on every request."""

    permission_required = "seizures.view_seizure"
    filterset_class = SeizureFilter
    table_class = SeizureTable
    template_name = "seizures/seizure_list.html"
    export_name = "seizures"
    counted_in_figures = True
    kept_key = None  # set by get() for a page, not for a download

    def get(self, request, *args, **kwargs):
        exporting = self.export_class.is_valid_format(request.GET.get(self.export_trigger_param))
        # A transaction that has written what the list shows, and not yet committed, reads its
        # own rows: they are neither taken from the cache nor kept there.
        if not exporting and not generations.changing(*LIST_GENERATIONS):
            self.kept_key = self.page_key()
            if cache.get(self._kept_mark()):
                return self.kept_response()
        response = super().get(request, *args, **kwargs)
        if self.kept_key:
            response.add_post_render_callback(self._content_kept)
        return response

    def _kept_mark(self):
        return f"{self.kept_key}:kept"

    def _content_kept(self, response):
        # Once the page is rendered the template has kept its content: the next request of the
        # same page may leave it to the template.
        cache.set(self._kept_mark(), True, KEPT_SECONDS)

    def kept_response(self):
        """The page of a list whose content the template keeps. What the content shows is given
        as callables, which the template calls only if the content has gone from the cache
        since (evicted): it is then computed as for a first request, and kept again."""
        computed = {}

        def shown(name):
            if not computed:
                # FilterView.get's response, not rendered: the context it would render.
                computed.update(super(SeizureListView, self).get(self.request).context_data)
            if name not in computed:
                raise NotShown(name)  # as the template takes a name the context does not have
            return computed[name]

        context = {name: functools.partial(shown, name) for name in CONTENT_NAMES}
        context["kept_content"] = KeptContent(self.kept_key)
        return TemplateResponse(self.request, self.template_name, context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.kept_key:
            context["kept_content"] = KeptContent(self.kept_key)
        return context

    def get_queryset(self):
        return selectors.seizure_list_page()

    def data_versions(self):
        """month_versions("seizures"), read once a request: the page's key and the unfiltered
        totals both name them."""
        if not hasattr(self, "_versions"):
            self._versions = month_versions("seizures")
        return self._versions

    def page_key(self):
        """Everything the kept content shows depends on: the list asked for (path, filters, sort,
        page, page size), the seizures and their items (every service, import and re-pricing
        counts up the versions of the months it writes; an ORM save anywhere moves their
        generation), the rows the table names or the filters offer (LIST_READS), the build the
        figures count from and the next, and what the user may do (the button to record a
        seizure; a link or a column may depend on it too)."""
        user = self.request.user
        clock = freshness.read()
        parts = (
            self.request.get_full_path(),
            sorted(self.data_versions().items()),
            generations.stamp(*LIST_GENERATIONS),
            (clock.built_from, clock.next_build) if clock else None,
            user.is_superuser,
            sorted(access_of(user)["permissions"]),
        )
        return "seizures.list:" + hashlib.sha256(repr(parts).encode()).hexdigest()

    def unfiltered_totals(self):
        """The unfiltered list's count and totals, kept month by month (selectors.list_item_totals);
        None when a filter is in use (or the filter is not valid: nothing is listed)."""
        if not hasattr(self, "_unfiltered_totals"):
            filterset = self.filterset
            unfiltered = not filterset.is_bound or (filterset.is_valid() and not active_filters(filterset))
            self._unfiltered_totals = selectors.list_item_totals(self.data_versions()) if unfiltered else None
        return self._unfiltered_totals

    def known_count(self):
        totals = self.unfiltered_totals()
        return totals["seizures"] if totals else None

    def list_totals(self, records):
        # Of the matching items only, as the figures by drug, class and unit add them up.
        sums = self.unfiltered_totals() or selectors.item_totals(records, self.filterset.matching_items())
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
        # The names differ from the fields': an alias would shadow its field in the filters.
        sums = records.aggregate(total_arrests=Sum("arrests"), total_cash=Sum("cash_seized_pence"))
        return [
            ("Arrests", format_total(sums["total_arrests"] or 0), ""),
            ("Cash seized", format_pence(sums["total_cash"] or 0), ""),
        ]

    def changed_records(self, records, moment):
        return records.filter(pk__in=selectors.warrants_changed_after(moment))


class SiteListView(Permission, FilteredTableView):
    permission_required = "seizures.view_site"
    filterset_class = SiteFilter
    table_class = SiteTable
    template_name = "seizures/site_list.html"
    export_name = "cannabis-factories"
    counted_in_figures = True
    noun = ("cannabis factory", "cannabis factories")

    def get_queryset(self):
        return selectors.site_list()

    def list_totals(self, records):
        plants = records.aggregate(total_plants=Sum("plants"))["total_plants"] or 0
        return [("Cannabis plants", format_total(plants), "")]

    def changed_records(self, records, moment):
        return records.filter(pk__in=selectors.sites_changed_after(moment))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["size_bands"] = SizeBand.objects.all()
        return context


class StreetPriceListView(Permission, FilteredTableView):
    permission_required = "seizures.view_streetprice"
    filterset_class = StreetPriceFilter
    table_class = StreetPriceTable
    template_name = "seizures/street_price_list.html"
    export_name = "street-prices"

    def get_queryset(self):
        return StreetPrice.objects.select_related("drug", "force", "entered_by")  # table columns


# --- detail -------------------------------------------------------------------------------


def _day(value):
    return f"{value.day} {value:%B %Y}" if value else None


def _link(record, text):
    return format_html('<a class="govuk-link" href="{}">{}</a>', record.get_absolute_url(), text)


def _offences_shown(request, record):
    """The record's live offences, for users who may read offences (None for the others)."""
    if not request.user.has_perm("offences.view_offence"):
        return None
    return list(selectors.linked_offences(record).select_related("drug"))


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
            ("Warrant", _link(warrant, warrant.reference) if warrant else None),
            ("Cannabis factory", _link(seizure.site, seizure.site.reference) if seizure.site else None),
            ("Street value", _street_value(seizure)),
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


def _street_value(seizure):
    """The seizure's value, saying how many items it leaves out for want of a price."""
    unpriced = sum(1 for item in seizure.items.all() if item.value_pence is None)
    value = format_pence(seizure.total_value_pence or 0)
    if not unpriced:
        return value
    return f"{value} (includes {unpriced:,} unpriced item{pluralize(unpriced)} — a minimum)"


class WarrantDetailView(Permission, View):
    permission_required = "seizures.view_warrant"

    def get(self, request, pk):
        warrant = _or_404(selectors.warrant_for, request.user, pk)
        executable_until = None
        if not warrant.executed_on:
            executable_until = f"{_day(execution_deadline(warrant.issued_on))} (PACE s16(3))"
        rows = [
            ("Reference", warrant.reference),
            ("Force", warrant.force),
            ("District", warrant.area),
            ("Date applied for", _day(warrant.applied_on)),
            ("Date issued", _day(warrant.issued_on)),
            ("Date executed", _day(warrant.executed_on)),
            *([("Could be executed until", executable_until)] if executable_until else []),
            ("Result", warrant.get_result_display()),
            ("Arrests", warrant.arrests),
            ("Cash seized", format_pence(warrant.cash_seized_pence) if warrant.executed_on else None),
            ("Other property seized", warrant.other_property or None),
            ("Notes", warrant.notes or None),
        ]
        seizures = list(selectors.seizures_of(warrant))
        return TemplateResponse(
            request,
            "seizures/warrant_detail.html",
            {
                "warrant": warrant,
                "rows": rows,
                "seizures": seizures,
                "seizures_url": reverse("seizures:seizure_list") + f"?warrant={warrant.pk}",
                "offences": _offences_shown(request, warrant),
                "offences_url": reverse("offences:offence_list") + f"?warrant={warrant.pk}",
                "sites": list(warrant.cannabis_sites.live().select_related("size_band")),
                "history": history_of(warrant),
            },
        )


class SiteDetailView(Permission, View):
    permission_required = "seizures.view_site"

    def get(self, request, pk):
        site = _or_404(selectors.site_for, request.user, pk)
        warrant = site.warrant
        band = site.size_band
        rows = [
            ("Reference", site.reference),
            ("Force", site.force),
            ("District", site.area),
            ("Community safety partnership", site.area.partnership),
            ("Postcode sector", site.postcode_sector or None),
            ("Type of premises", site.get_premises_display()),
            ("Date discovered", _day(site.discovered_on)),
            ("Date closed", _day(site.closed_on) or "Still open"),
            ("Number of plants", format_total(site.plants)),
            (
                "Size band",
                format_html(
                    'Category {}: {} <span class="govuk-hint govuk-!-font-size-16">(<a class="govuk-link" '
                    'href="{}">{}</a>)</span>',
                    band.category,
                    band.description,
                    band.source_url,
                    band.source,
                ),
            ),
            ("Warrant", _link(warrant, warrant.reference) if warrant else None),
            ("Notes", site.notes or None),
        ]
        seizures = list(selectors.seizures_of(site))
        return TemplateResponse(
            request,
            "seizures/site_detail.html",
            {
                "site": site,
                "rows": rows,
                "seizures": seizures,
                "offences": _offences_shown(request, site),
                "history": history_of(site),
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
            # The new row takes the focus, as after adding anything to a page: the user goes on
            # typing there, and a screen reader announces its "Item N" group.
            formset.forms[-1].fields["drug"].widget.attrs["autofocus"] = True
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


class SiteFormView(ServiceFormView):
    model = Site
    form_class = SiteForm
    template_name = "seizures/site_form.html"
    service_fields = services.SITE_FIELDS
    context_object_name = "site"


class SiteCreateView(SiteFormView):
    permission_required = "seizures.add_site"

    def save(self, fields):
        return services.site_create(user=self.request.user, **fields)


class SiteEditView(SiteFormView):
    permission_required = "seizures.change_site"

    def get_object(self):
        return self.get_live_object()

    def save(self, fields):
        return services.site_update(site=self.get_object(), user=self.request.user, **fields)


# --- withdraw and re-price ----------------------------------------------------------------


class SeizureWithdrawView(WithdrawView):
    permission_required = "seizures.change_seizure"
    model = Seizure
    withdraw = services.seizure_withdraw


class WarrantWithdrawView(WithdrawView):
    permission_required = "seizures.change_warrant"
    model = Warrant
    withdraw = services.warrant_withdraw


class SiteWithdrawView(WithdrawView):
    permission_required = "seizures.change_site"
    model = Site
    withdraw = services.site_withdraw


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


# --- street prices and bulk re-pricing ------------------------------------------------------


class StreetPriceDetailView(Permission, View):
    """A price row with its history, and (for those who keep prices) the offer to re-price
    every item it affects."""

    permission_required = "seizures.view_streetprice"

    def get(self, request, pk):
        price = get_object_or_404(StreetPrice.objects.select_related("drug", "force", "entered_by"), pk=pk)
        return TemplateResponse(
            request,
            "seizures/street_price_detail.html",
            {
                "price": price,
                "affected": repricing.affected_items(price).count(),
                "jobs": price.reprice_jobs.select_related("requested_by")[:10],
                "history": history_of(price),
            },
        )


class StreetPriceFormView(ServiceFormView):
    model = StreetPrice
    form_class = StreetPriceForm
    template_name = "seizures/street_price_form.html"
    context_object_name = "price"


class StreetPriceCreateView(StreetPriceFormView):
    permission_required = "seizures.add_streetprice"
    service_fields = services.STREET_PRICE_FIELDS

    def save(self, fields):
        return services.street_price_introduce(user=self.request.user, **fields)


class StreetPriceEditView(StreetPriceFormView):
    permission_required = "seizures.change_streetprice"
    service_fields = services.STREET_PRICE_CORRECTABLE

    def get_object(self):
        if not hasattr(self, "_price"):
            self._price = get_object_or_404(
                StreetPrice.objects.select_related("drug", "force"), pk=self.kwargs["pk"]
            )
        return self._price

    def save(self, fields):
        return services.street_price_update(price=self.get_object(), user=self.request.user, **fields)


class RepriceStartView(Permission, View):
    """Queue the re-pricing of every item a price row affects (POST only)."""

    permission_required = "seizures.change_streetprice"

    def post(self, request, pk):
        price = get_object_or_404(StreetPrice, pk=pk)
        job = repricing.reprice_job_start(price=price, user=request.user)
        return redirect(job)


def _job_for(pk):
    return get_object_or_404(
        RepriceJob.objects.select_related("price__drug", "price__force", "requested_by"), pk=pk
    )


class RepriceJobView(Permission, View):
    permission_required = "seizures.view_streetprice"

    def get(self, request, pk):
        job = _job_for(pk)
        return TemplateResponse(
            request,
            "seizures/reprice_job.html",
            {"job": job, "progress": repricing.reprice_job_progress(job)},
        )


class RepriceJobStatusView(Permission, View):
    """The progress the job page polls (the same keys as an import's)."""

    permission_required = "seizures.view_streetprice"

    def get(self, request, pk):
        return JsonResponse(repricing.reprice_job_progress(_job_for(pk)))

"""One FilterSet per list, shared by the HTML list, its exports, the API and the dashboards'
drill-down links. The parameter names are a contract: date_from, date_to, force, area,
partnership, drug, drug_class, result, q."""

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import ChosenRecordsFilter, YesNoFilter, date_filter
from core.forms import RenderedOnceFilterForm
from geography.filters import area_filter, force_filter, partnership_filter
from geography.models import Force

from .models import (
    Drug,
    DrugClass,
    Premises,
    Seizure,
    SeizureItem,
    Site,
    SizeBand,
    StreetPrice,
    Unit,
    Warrant,
)

CHECKBOXES = forms.CheckboxSelectMultiple
MEASURES = {
    "weight": ("By weight", [Unit.GRAMS, Unit.KILOGRAMS]),
    "plants": ("By plant", [Unit.PLANTS]),
    "doses": ("By tablet or dose", [Unit.DOSES]),
    "volume": ("By volume", [Unit.MILLILITRES]),
}


@extend_schema_field(OpenApiTypes.STR)
class DrugCodeFilter(ChosenRecordsFilter):
    """Drugs by their code (herbal-cannabis), the value dashboards carry in their links."""


class _PlaceFilters(filters.FilterSet):
    # The place filters add no SELECT DISTINCT, which would stop PostgreSQL reading the newest
    # rows from an index (the list, the export and the API page through a million seizures).
    q = filters.CharFilter(label="Reference", field_name="reference", lookup_expr="icontains")
    force = force_filter()
    area = area_filter()
    partnership = partnership_filter()


class SeizureFilter(_PlaceFilters):
    date_from = date_filter("Seized on or after", "seized_on", "gte")
    date_to = date_filter("Seized on or before", "seized_on", "lte")
    drug = DrugCodeFilter(
        queryset=Drug.objects.all(),
        to_field_name="code",
        method="filter_items",
        widget=CHECKBOXES,
        label="Drug",
    )
    drug_class = filters.MultipleChoiceFilter(
        choices=DrugClass.choices,
        method="filter_items",
        widget=CHECKBOXES,
        label="Class (in force on the date seized)",
    )
    unit = filters.MultipleChoiceFilter(
        choices=Unit.choices, method="filter_items", widget=CHECKBOXES, label="Recorded in"
    )
    measure = filters.MultipleChoiceFilter(
        choices=[(kind, label) for kind, (label, _) in MEASURES.items()],
        method="filter_items",
        widget=CHECKBOXES,
        label="Measured",
    )
    unpriced = filters.BooleanFilter(
        method="filter_unpriced",
        label="Holds items with no street price",
        help_text="Items no price table covered on the date seized: left out of the street value",
    )
    min_value = filters.NumberFilter(
        method="filter_min_value", label="Street value at least (£)", min_value=0
    )
    place = filters.CharFilter(label="Place description contains", lookup_expr="icontains")
    postcode = filters.CharFilter(label="Postcode starts with", method="filter_postcode")
    has_warrant = YesNoFilter(
        field_name="warrant", lookup_expr="isnull", exclude=True, label="Under a warrant"
    )
    warrant = filters.ModelChoiceFilter(queryset=Warrant.objects.all(), widget=forms.HiddenInput)
    site = filters.ModelChoiceFilter(queryset=Site.objects.all(), widget=forms.HiddenInput)

    class Meta:
        model = Seizure
        fields = []
        form = RenderedOnceFilterForm

    # A seizure matches when one of its items does (the Home Office counting rule: a seizure
    # counts under each drug and class it contains). Exists, not a join, so a seizure is
    # listed once and the page count stays one query.
    ITEM_LOOKUPS = {
        "drug": "drug__in",
        "drug_class": "drug_class__in",
        "unit": "unit__in",
        "measure": "unit__in",
    }

    def _item_condition(self, name, value):
        if name == "measure":
            value = [unit for kind in value for unit in MEASURES[kind][1]]
        return Q(**{self.ITEM_LOOKUPS[name]: value})

    def filter_items(self, queryset, name, value):
        if not value:
            return queryset
        matching = SeizureItem.objects.filter(self._item_condition(name, value), seizure=OuterRef("pk"))
        return queryset.filter(Exists(matching))

    def matching_items(self):
        """The items the drug, class, unit and measure filters in use pick out (every item when
        none is used): what a figure by drug, class or unit adds up, where a seizure is listed
        for one matching item and may hold others. For a valid or unbound filter."""
        if not self.is_bound:
            return Q()
        condition = self._other_item_conditions()
        if self.form.cleaned_data.get("unpriced"):
            condition &= Q(value_pence__isnull=True)
        return condition

    def filter_unpriced(self, queryset, name, value):
        """Yes: the seizures holding an unpriced item of the drug, class or unit filtered on (one
        item both unpriced and matching, as the unpriced figure by drug counts them); no: the
        seizures whose every item is priced."""
        if value is None:
            return queryset
        condition = Q(value_pence__isnull=True)
        if value:
            condition &= self._other_item_conditions()
        unpriced = Exists(SeizureItem.objects.filter(condition, seizure=OuterRef("pk")))
        return queryset.filter(unpriced) if value else queryset.exclude(unpriced)

    def _other_item_conditions(self):
        condition = Q()
        for name in self.ITEM_LOOKUPS:
            value = self.form.cleaned_data.get(name)
            if value:
                condition &= self._item_condition(name, value)
        return condition

    def filter_min_value(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(total_value_pence__gte=int(value * 100))

    def filter_postcode(self, queryset, name, value):
        return queryset.filter(postcode__istartswith=value.strip()) if value.strip() else queryset


class WarrantFilter(_PlaceFilters):
    date_from = date_filter("Executed (or issued) on or after", "dated_on", "gte")
    date_to = date_filter("Executed (or issued) on or before", "dated_on", "lte")
    result = filters.MultipleChoiceFilter(
        choices=Warrant.Result.choices,
        widget=CHECKBOXES,
        label="Result",
        distinct=False,  # own column
    )
    executed = YesNoFilter(field_name="executed_on", lookup_expr="isnull", exclude=True, label="Executed")
    issued_from = date_filter("Issued on or after", "issued_on", "gte")
    issued_to = date_filter("Issued on or before", "issued_on", "lte")
    min_arrests = filters.NumberFilter(
        field_name="arrests", lookup_expr="gte", label="Arrests at least", min_value=0
    )
    cash_seized = filters.BooleanFilter(
        method="filter_cash_seized", label="Cash seized", widget=forms.NullBooleanSelect
    )

    class Meta:
        model = Warrant
        fields = []

    def filter_cash_seized(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(cash_seized_pence__gt=0) if value else queryset.filter(cash_seized_pence=0)


class SiteFilter(_PlaceFilters):
    """Cannabis factories. date_from/date_to are the date closed (what "factories closed"
    counts by); discovered_from/discovered_to the date discovered."""

    date_from = date_filter("Closed on or after", "closed_on", "gte")
    date_to = date_filter("Closed on or before", "closed_on", "lte")
    discovered_from = date_filter("Discovered on or after", "discovered_on", "gte")
    discovered_to = date_filter("Discovered on or before", "discovered_on", "lte")
    closed = filters.BooleanFilter(
        field_name="closed_on",
        lookup_expr="isnull",
        exclude=True,
        label="Closed",
        widget=forms.NullBooleanSelect,
    )
    size_band = filters.ModelMultipleChoiceFilter(
        queryset=SizeBand.objects.all(),
        to_field_name="category",
        widget=CHECKBOXES,
        label="Size band (harm category)",
        distinct=False,
    )
    premises = filters.MultipleChoiceFilter(
        choices=Premises.choices, widget=CHECKBOXES, label="Type of premises", distinct=False
    )
    plants_min = filters.NumberFilter(
        field_name="plants", lookup_expr="gte", label="Plants at least", min_value=0
    )
    postcode_sector = filters.CharFilter(label="Postcode sector starts with", lookup_expr="istartswith")
    warrant = filters.ModelChoiceFilter(queryset=Warrant.objects.all(), widget=forms.HiddenInput)

    class Meta:
        model = Site
        fields = []


class DrugFilter(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    measured_by = filters.CharFilter()
    active = filters.BooleanFilter()

    class Meta:
        model = Drug
        fields = []


class StreetPriceFilter(filters.FilterSet):
    drug = DrugCodeFilter(field_name="drug__code", queryset=Drug.objects.all(), to_field_name="code")
    force = filters.ModelChoiceFilter(
        queryset=Force.objects.filter(in_alliance=True), null_label="Alliance default", label="Table"
    )
    unit = filters.MultipleChoiceFilter(choices=Unit.choices)
    valid_on = filters.DateFilter(method="filter_valid_on", label="In force on")
    q = filters.CharFilter(field_name="source", lookup_expr="icontains", label="Source")

    class Meta:
        model = StreetPrice
        fields = []

    def filter_valid_on(self, queryset, name, value):
        return queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=value), valid_from__lte=value)

from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FiguresFollowAdmin, NeverDeletedAdmin

from . import repricing, services
from .models import (
    Drug,
    DrugClassification,
    RepriceJob,
    Seizure,
    SeizureItem,
    Site,
    SizeBand,
    StreetPrice,
    Warrant,
)


class ClassificationInline(admin.TabularInline):
    model = DrugClassification
    extra = 0


@admin.register(Drug)
class DrugAdmin(FiguresFollowAdmin, NeverDeletedAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "measured_by", "reporting_unit", "active", "unidentified"]
    inlines = [ClassificationInline]


@admin.register(StreetPrice)
class StreetPriceAdmin(NeverDeletedAdmin, SimpleHistoryAdmin):
    list_display = [
        "drug",
        "force",
        "unit",
        "price_per_unit_pence",
        "yield_grams_per_plant",
        "valid_from",
        "valid_to",
        "source",
        "entered_by",
    ]
    list_filter = ["force", "drug", "unit"]
    list_select_related = ["drug", "force", "entered_by"]  # list columns

    def get_readonly_fields(self, request, obj=None):
        # A price of another drug, unit or table is a new row, not a correction.
        return ["force", "drug", "unit"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        """Through the services, as every other writer: a new price ends the one it replaces,
        and records who entered it; then the page offers to re-price what it affects."""
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            saved = services.street_price_update(price=obj, user=request.user, **changed)
        else:
            saved = services.street_price_introduce(user=request.user, **form.cleaned_data)
        obj.pk = saved.pk  # the admin's messages and links name the saved row
        affected = repricing.affected_items(saved).count()
        if affected:
            messages.info(
                request,
                format_html(
                    '{} item(s) may change value: <a href="{}">re-price them</a>.',
                    affected,
                    saved.get_absolute_url(),
                ),
            )


@admin.register(RepriceJob)
class RepriceJobAdmin(admin.ModelAdmin):
    """Bulk re-pricing runs, read only: they are started from a price's page."""

    list_display = ["pk", "price", "requested_by", "requested_at", "status", "total", "changed"]
    list_select_related = ["price__drug", "price__force", "requested_by"]  # list columns

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyRecordAdmin(SimpleHistoryAdmin):
    """Records are changed through the service's pages (which price, validate and audit),
    so the admin only shows them, withdrawn ones included."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Every field, on every page: the history's version pages build their form from this,
        # and an editable warrant field would list every warrant stored (90,000 at a million
        # items: five seconds a page).
        return [field.name for field in self.model._meta.fields]


class ItemInline(admin.TabularInline):
    model = SeizureItem
    extra = 0
    readonly_fields = [
        "drug",
        "quantity",
        "unit",
        "plant_count",
        "drug_class",
        "value_pence",
        "price",
        "plant_yield",
    ]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Seizure)
class SeizureAdmin(ReadOnlyRecordAdmin):
    list_display = ["reference", "seized_on", "force", "area", "withdrawn_at"]
    list_filter = ["force", "withdrawn_at"]
    list_select_related = ["force", "area"]  # list columns
    search_fields = ["reference"]
    inlines = [ItemInline]


@admin.register(Warrant)
class WarrantAdmin(ReadOnlyRecordAdmin):
    list_display = ["reference", "dated_on", "force", "area", "result", "withdrawn_at"]
    list_filter = ["force", "result", "withdrawn_at"]
    list_select_related = ["force", "area"]  # list columns
    search_fields = ["reference"]


@admin.register(SizeBand)
class SizeBandAdmin(FiguresFollowAdmin, NeverDeletedAdmin, admin.ModelAdmin):
    """The Sentencing Council's harm categories for cultivation, as the guideline states them:
    administrators correct the rows (and their source) when the guideline is revised."""

    list_display = ["category", "description", "indicative_plants", "source"]
    # An address typed without a scheme is taken as https (Django 6's default), as the
    # Sentencing Council's pages are.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    """Cannabis factories, written through the services as the pages write them (the size band
    found or checked, the figures' months marked, the change audited); never deleted."""

    list_display = ["reference", "discovered_on", "closed_on", "force", "area", "plants", "size_band"]
    list_filter = ["force", "size_band", "withdrawn_at"]
    list_select_related = ["force", "area", "size_band"]  # list columns
    search_fields = ["reference"]
    raw_id_fields = ["warrant"]  # a select would list every warrant stored
    fields = [*services.SITE_FIELDS]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_withdrawn:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.SITE_FIELDS if name in form.cleaned_data}
        if change:
            saved = services.site_update(site=obj, user=request.user, **fields)
        else:
            saved = services.site_create(user=request.user, **fields)
        obj.pk = saved.pk

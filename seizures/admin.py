from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FiguresFollowAdmin, NeverDeletedAdmin

from . import services
from .models import Drug, DrugClassification, Seizure, SeizureItem, StreetPrice, Warrant


class ClassificationInline(admin.TabularInline):
    model = DrugClassification
    extra = 0


@admin.register(Drug)
class DrugAdmin(FiguresFollowAdmin, NeverDeletedAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "measured_by", "reporting_unit", "active"]
    inlines = [ClassificationInline]


@admin.register(StreetPrice)
class StreetPriceAdmin(NeverDeletedAdmin, SimpleHistoryAdmin):
    list_display = [
        "drug",
        "unit",
        "price_per_unit_pence",
        "yield_grams_per_plant",
        "valid_from",
        "valid_to",
        "source",
    ]
    list_filter = ["drug", "unit"]
    list_select_related = ["drug"]  # drug column

    def save_model(self, request, obj, form, change):
        """Through the services, as every other writer: a new price ends the one it replaces."""
        if change:
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            saved = services.street_price_update(price=obj, user=request.user, **changed)
        else:
            saved = services.street_price_introduce(user=request.user, **form.cleaned_data)
        obj.pk = saved.pk  # the admin's messages and links name the saved row


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
    readonly_fields = ["drug", "quantity", "unit", "drug_class", "value_pence", "price"]

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

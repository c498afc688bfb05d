from django.contrib import admin

from core.admin import NeverDeletedAdmin

from .models import Area, CommunitySafetyPartnership, Force


@admin.register(Force)
class ForceAdmin(NeverDeletedAdmin, admin.ModelAdmin):
    list_display = ["name", "ons_code", "in_alliance"]


@admin.register(CommunitySafetyPartnership)
class CommunitySafetyPartnershipAdmin(NeverDeletedAdmin, admin.ModelAdmin):
    list_display = ["name", "ons_code", "force"]
    list_filter = ["force"]


@admin.register(Area)
class AreaAdmin(NeverDeletedAdmin, admin.ModelAdmin):
    list_display = ["name", "ons_code", "partnership", "force"]
    list_filter = ["force", "partnership"]
    list_select_related = ["force", "partnership"]  # list_display columns

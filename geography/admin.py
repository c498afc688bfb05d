from django.contrib import admin

from .models import Area, CommunitySafetyPartnership, Force


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_code", "in_alliance"]


@admin.register(CommunitySafetyPartnership)
class CommunitySafetyPartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_code", "force"]
    list_filter = ["force"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "ons_code", "partnership", "force"]
    list_filter = ["force", "partnership"]
    list_select_related = ["force", "partnership"]  # list_display columns

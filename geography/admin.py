from django.contrib import admin

from core.admin import FiguresFollowAdmin, NeverDeletedAdmin

from .models import Area, CommunitySafetyPartnership, Force


@admin.register(Force)
class ForceAdmin(FiguresFollowAdmin, NeverDeletedAdmin, admin.ModelAdmin):
    list_display = ["name", "ons_code", "in_alliance"]


@admin.register(CommunitySafetyPartnership)
class CommunitySafetyPartnershipAdmin(FiguresFollowAdmin, NeverDeletedAdmin, admin.ModelAdmin):
    list_display = ["name", "ons_code", "force"]
    list_filter = ["force"]


@admin.register(Area)
class AreaAdmin(FiguresFollowAdmin, NeverDeletedAdmin, admin.ModelAdmin):
    list_display = ["name", "ons_code", "partnership", "force"]
    list_filter = ["force", "partnership"]
    list_select_related = ["force", "partnership"]  # list_display columns

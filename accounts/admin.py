from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Agency, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("Agency", {"fields": ("agency",)}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("Agency", {"fields": ("agency",)}),)
    list_display = ["username", "email", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["groups", "agency", "is_active"]
    list_select_related = ["agency"]  # list_display column


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["areas"]
    search_fields = ["name"]

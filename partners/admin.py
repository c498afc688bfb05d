"""Administrators see referrals pseudonymised, like analysts: the identifying fields are not
on these pages. Referrals are changed through the service's pages, not here."""

from django.contrib import admin

from .models import Referral, ReferralTransition, RetentionRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = ReferralTransition
    fields = ["from_status", "to_status", "by", "by_agency", "at", "effective_on", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "referral_date",
        "pathway",
        "area",
        "submitting_agency",
        "receiving_agency",
        "status",
    ]
    list_filter = ["pathway", "status", "area__force"]
    search_fields = ["reference"]
    fields = [
        "reference",
        "pathway",
        "dip_test_result",
        "trigger_offence",
        "referral_date",
        "area",
        "submitting_agency",
        "submitted_by",
        "receiving_agency",
        "substances",
        "age_band",
        "subject_sex",
        "possible_repeat",
        "journey",
        "counted_entry",
        "status",
        "assessed_on",
        "entered_treatment_on",
        "closed_on",
        "represented_on",
        "reviewed_on",
        "identifiers_cleared_at",
        "withdrawn_at",
        "withdrawal_reason",
    ]
    readonly_fields = fields
    inlines = [TransitionInline]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "cutoff", "cleared", "cleared_open"]

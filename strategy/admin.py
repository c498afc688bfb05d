from django import forms
from django.contrib import admin

from . import signoff
from .models import (
    AggregationRun,
    Commentary,
    Fact,
    Goal,
    Indicator,
    QuarterSignOff,
    SignOffEvent,
    SignOffPolicy,
    Strategy,
    Target,
    metric_choices,
)


class IndicatorForm(forms.ModelForm):
    """Metrics are chosen from those the apps declare, not typed."""

    class Meta:
        model = Indicator
        fields = [
            "goal",
            "title",
            "slug",
            "metric",
            "aggregation",
            "denominator_metric",
            "dimension",
            "dimension_value",
            "higher_is_better",
            "display_unit",
            "display_divisor",
            "small_count_threshold",
            "description",
            "order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"] = forms.ChoiceField(
            choices=metric_choices(), help_text=self.fields["metric"].help_text
        )
        self.fields["denominator_metric"] = forms.ChoiceField(
            choices=[("", "—"), *metric_choices()], required=False, help_text="For shares only"
        )


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end"]
    inlines = [GoalInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = []


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorForm
    list_display = ["title", "goal", "metric", "aggregation", "higher_is_better"]
    list_filter = ["goal__strategy", "goal__strand"]
    list_select_related = ["goal"]  # list_display column
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TargetInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "strand", "strategy", "order"]
    list_filter = ["strategy", "strand"]


@admin.register(AggregationRun)
class AggregationRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "outcome", "months", "rows", "finished_at"]
    list_filter = ["outcome", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fact)
class FactAdmin(AggregationRunAdmin):
    list_display = ["metric", "dimension", "dimension_value", "month", "force", "area", "value"]
    list_filter = ["metric", "force"]
    list_select_related = ["force", "area"]  # list_display columns


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the sign-off services only (so the locks, the kept facts and the history stay
    consistent); shown to administrators as they are."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SignOffEventInline(admin.TabularInline):
    model = SignOffEvent
    fields = ["action", "by", "at", "reason", "through", "in_bulk"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuarterSignOff)
class QuarterSignOffAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "published"]
    list_filter = ["status", "force"]
    list_select_related = ["force", "published__by"]  # list_display columns
    inlines = [SignOffEventInline]


@admin.register(SignOffPolicy)
class SignOffPolicyAdmin(admin.ModelAdmin):
    list_display = ["force", "changes_after_sign_off", "changed_by", "changed_at"]
    fields = ["force", "changes_after_sign_off"]

    def save_model(self, request, obj, form, change):
        # Through the service: the force's locks in force follow the new choice.
        signoff.policy_set(force=obj.force, mode=obj.changes_after_sign_off, user=request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Commentary)
class CommentaryAdmin(ReadOnlyAdmin):
    list_display = ["indicator", "start", "force", "written_by", "updated_at"]
    list_filter = ["force", "start"]
    list_select_related = ["indicator", "force", "written_by"]  # list_display columns

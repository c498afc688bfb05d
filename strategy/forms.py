import datetime

from django import forms
from django.utils import timezone

from core.forms import RenderedOnce
from core.periods import Period, financial_quarter, financial_year, financial_year_of
from geography.models import Area, CommunitySafetyPartnership, Force

from .facts import add_months, month_start
from .scopes import Scope


class DashboardFilterForm(RenderedOnce, forms.Form):
    """Which period and which part of the alliance a dashboard shows."""

    cache_bound = True  # periods and places, nothing about anyone

    PERIOD_KINDS = [
        ("year", "Financial year"),
        ("quarter", "Quarter"),
        ("strategy", "The whole strategy, to date"),
        ("custom", "Custom months"),
    ]

    period = forms.ChoiceField(label="Period", choices=PERIOD_KINDS, required=False)
    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=int,
        required=False,
        choices=[
            (1, "Q1 April to June"),
            (2, "Q2 July to September"),
            (3, "Q3 October to December"),
            (4, "Q4 January to March"),
        ],
    )
    month_from = forms.DateField(
        label="From month",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    month_to = forms.DateField(
        label="To month",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    force = forms.ModelChoiceField(
        label="Force",
        queryset=Force.objects.filter(in_alliance=True),
        required=False,
        empty_label="Whole alliance",
    )
    partnership = forms.ModelChoiceField(
        label="Community safety partnership",
        queryset=CommunitySafetyPartnership.objects.filter(force__in_alliance=True).select_related("force"),
        required=False,
        empty_label="All partnerships",
    )
    area = forms.ModelChoiceField(
        label="District",
        queryset=Area.objects.in_alliance().select_related("force"),
        required=False,
        empty_label="All districts",
    )

    def __init__(self, *args, strategy=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.today = today or timezone.localdate()
        current = financial_year_of(self.today)
        first = financial_year_of(strategy.start) - 1 if strategy else current - 3
        last = max(financial_year_of(strategy.end) if strategy else current, current)
        self.fields["year"].choices = [
            (year, financial_year(year).label) for year in range(last, first - 1, -1)
        ]

    def clean(self):
        data = super().clean()
        area, partnership, force = data.get("area"), data.get("partnership"), data.get("force")
        if area and partnership and area.partnership_id != partnership.pk:
            self.add_error("area", f"{area} is not in {partnership}")
        elif area and force and area.force_id != force.pk:
            self.add_error("area", f"{area} is not in {force}")
        if partnership and force and partnership.force_id != force.pk:
            self.add_error("partnership", f"{partnership} is not in {force}")
        if data.get("period") == "strategy" and self.strategy is None:
            self.add_error("period", "There is no strategy to show yet")
        if data.get("period") == "custom":
            start, end = data.get("month_from"), data.get("month_to")
            if not start or not end:
                self.add_error("month_from", "Enter the first and last month of the custom period")
            elif end < start:
                self.add_error("month_to", "The last month must be the same as or after the first month")
            elif (end.year - start.year) * 12 + end.month - start.month >= 36:
                self.add_error("month_to", "A custom period can be at most 36 months")
        return data

    def selected_period(self):
        """The chosen period; the current financial year when nothing (or nothing valid) is chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = data.get("year") or financial_year_of(self.today)
        kind = data.get("period") or "year"
        if kind == "quarter":
            return financial_quarter(year, data.get("quarter") or 1)
        if kind == "strategy" and self.strategy is not None:
            return Period(
                month_start(self.strategy.start),
                add_months(month_start(self.strategy.end), 1) - datetime.timedelta(days=1),
                f"{self.strategy.name} ({self.strategy.start:%B %Y} to {self.strategy.end:%B %Y})",
            )
        if kind == "custom" and data.get("month_from") and data.get("month_to"):
            start, end = month_start(data["month_from"]), add_months(month_start(data["month_to"]), 1)
            end = end - datetime.timedelta(days=1)
            return Period(start, end, f"{start:%B %Y} to {end:%B %Y}")
        return financial_year(year)

    def selected_scope(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Scope.of(force=data.get("force"), partnership=data.get("partnership"), area=data.get("area"))


# --- quarter sign-off -------------------------------------------------------------------------


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is the quarter being reopened?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: 14 seizures of June were recorded against the wrong force",
        error_messages={"required": "Enter why the quarter is being reopened"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.forms import gds_helper

        self.helper = gds_helper("reason")


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="Commentary",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        help_text="What explains the figure, what is being done about it, and what to expect next quarter",
        error_messages={"required": "Enter the commentary"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.forms import gds_helper

        self.helper = gds_helper("text")


class BulkQuartersForm(forms.Form):
    """Quarters chosen on the quarters page ("2025-1" is 2025-26 Q1), and what to do with them."""

    ACTIONS = [("ready", "Mark ready for sign-off"), ("sign_off", "Sign off")]

    action = forms.ChoiceField(choices=ACTIONS)
    quarters = forms.MultipleChoiceField(
        label="Quarters",
        error_messages={"required": "Select at least one quarter"},
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, quarters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarters"].choices = [(key_of(q), q.label) for q in quarters]
        self.by_key = {key_of(q): q for q in quarters}

    def chosen(self):
        return [self.by_key[key] for key in self.cleaned_data["quarters"]]


def key_of(quarter):
    return f"{financial_year_of(quarter.start)}-{(quarter.start.month - 4) % 12 // 3 + 1}"  # as quarter_code


class PolicyForm(forms.Form):
    changes_after_sign_off = forms.ChoiceField(
        label="When a record dated in a signed-off quarter is recorded, changed or withdrawn",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what a change after sign-off does"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.models import PeriodLock

        self.fields["changes_after_sign_off"].choices = PeriodLock.Mode.choices


class PackSubscriptionForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Email me this pack (PDF attached)",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often to get the pack, or never"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import PackSubscription

        self.fields["frequency"].choices = [*PackSubscription.Frequency.choices, ("never", "Never")]

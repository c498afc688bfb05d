import django_filters

from .models import Fact, Goal, Indicator


class IndicatorFilter(django_filters.FilterSet):
    strand = django_filters.ChoiceFilter(field_name="goal__strand", choices=Goal.Strand.choices)
    strategy = django_filters.NumberFilter(field_name="goal__strategy")

    class Meta:
        model = Indicator
        fields = ["strand", "strategy", "goal", "metric"]


class FactFilter(django_filters.FilterSet):
    totals = django_filters.BooleanFilter(
        method="filter_totals", label="Only the metric's totals (no dimension)", help_text="true or false"
    )
    month_from = django_filters.DateFilter(
        field_name="month", lookup_expr="gte", label="From month (first day)"
    )
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte", label="To month (first day)")

    class Meta:
        model = Fact
        fields = [
            "metric",
            "totals",
            "dimension",
            "dimension_value",
            "force",
            "area",
            "month_from",
            "month_to",
        ]

    def filter_totals(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(dimension="") if value else queryset.exclude(dimension="")

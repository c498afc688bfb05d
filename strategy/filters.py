import django_filters

from .models import Fact, Indicator


class IndicatorFilter(django_filters.FilterSet):
    strand = django_filters.ChoiceFilter(
        field_name="goal__strand", choices=Indicator._meta.get_field("goal").related_model.Strand.choices
    )
    strategy = django_filters.NumberFilter(field_name="goal__strategy")

    class Meta:
        model = Indicator
        fields = ["strand", "strategy", "goal", "metric"]


class FactFilter(django_filters.FilterSet):
    month_from = django_filters.DateFilter(
        field_name="month", lookup_expr="gte", label="From month (first day)"
    )
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte", label="To month (first day)")

    class Meta:
        model = Fact
        fields = ["metric", "dimension", "dimension_value", "force", "area", "month_from", "month_to"]

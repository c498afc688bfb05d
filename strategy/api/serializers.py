from rest_framework import serializers

from ..models import Fact, Goal, Indicator, Target


class TargetSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", read_only=True)

    class Meta:
        model = Target
        fields = [
            "start",
            "end",
            "period",
            "force",
            "partnership",
            "area",
            "value",
            "profile",
            "amber_tolerance_percent",
        ]


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "strand", "title"]


class IndicatorSerializer(serializers.ModelSerializer):
    goal = GoalSerializer(read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "slug",
            "title",
            "goal",
            "metric",
            "aggregation",
            "denominator_metric",
            "dimension",
            "dimension_value",
            "higher_is_better",
            "display_unit",
            "display_divisor",
            "description",
            "targets",
        ]


class FactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fact
        fields = ["metric", "month", "force", "area", "dimension", "dimension_value", "value"]

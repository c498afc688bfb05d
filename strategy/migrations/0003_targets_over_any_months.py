import datetime

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


def _year_or_quarter_window(financial_year, quarter):
    if not quarter:
        return datetime.date(financial_year, 4, 1), datetime.date(financial_year + 1, 3, 31)
    first_month = 4 + 3 * (quarter - 1)
    year = financial_year + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    start = datetime.date(year, month, 1)
    after = datetime.date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
    return start, after - datetime.timedelta(days=1)


def windows_from_years(apps, schema_editor):
    """Each year or quarter target keeps its period as the months it covers."""
    Target = apps.get_model("strategy", "Target")
    for target in Target.objects.all():
        target.start, target.end = _year_or_quarter_window(target.financial_year, target.quarter)
        target.save(update_fields=["start", "end"])


def years_from_windows(apps, schema_editor):
    """Back to years and quarters: possible only for targets that are one."""
    Target = apps.get_model("strategy", "Target")
    for target in Target.objects.all():
        year = target.start.year if target.start.month >= 4 else target.start.year - 1
        for quarter in (None, 1, 2, 3, 4):
            if _year_or_quarter_window(year, quarter) == (target.start, target.end):
                target.financial_year, target.quarter = year, quarter
                target.save(update_fields=["financial_year", "quarter"])
                break
        else:
            raise RuntimeError(
                f"Target {target.pk} runs from {target.start} to {target.end}: it is not a financial "
                "year or quarter, so it cannot be kept before this migration. Remove it first."
            )


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0003_lsoa"),
        ("strategy", "0002_goal_and_indicator_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="aggregationrun",
            name="through",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="DailyFact",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("metric", models.CharField(max_length=100)),
                ("day", models.DateField()),
                ("dimension", models.CharField(blank=True, max_length=50)),
                ("dimension_value", models.CharField(blank=True, max_length=100)),
                ("value", models.DecimalField(decimal_places=3, max_digits=20)),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="geography.area"
                    ),
                ),
                (
                    "force",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="geography.force"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["metric", "dimension", "dimension_value", "day"], name="daily_fact_lookup"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("metric", "dimension", "dimension_value", "day", "force", "area"),
                        name="one_daily_fact_per_cell",
                    )
                ],
            },
        ),
        migrations.AddField(model_name="target", name="start", field=models.DateField(null=True)),
        migrations.AddField(model_name="target", name="end", field=models.DateField(null=True)),
        migrations.RunPython(windows_from_years, years_from_windows),
        migrations.RemoveConstraint(model_name="target", name="one_target_per_scope_and_period"),
        migrations.RemoveConstraint(model_name="target", name="quarter_1_to_4"),
        migrations.AlterModelOptions(name="target", options={"ordering": ["indicator", "start", "end"]}),
        migrations.AlterField(
            model_name="target",
            name="financial_year",
            field=models.PositiveSmallIntegerField(null=True, help_text="The year it starts: 2025 means 2025-26"),
        ),
        migrations.RemoveField(model_name="target", name="financial_year"),
        migrations.RemoveField(model_name="target", name="quarter"),
        migrations.AlterField(
            model_name="target",
            name="start",
            field=models.DateField(help_text="The first day of its first month"),
        ),
        migrations.AlterField(
            model_name="target",
            name="end",
            field=models.DateField(help_text="The last day of its last month"),
        ),
        migrations.AddField(
            model_name="target",
            name="partnership",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="geography.communitysafetypartnership",
                verbose_name="community safety partnership",
            ),
        ),
        migrations.AddField(
            model_name="target",
            name="profile",
            field=models.CharField(
                choices=[
                    ("even", "Evenly over the days of the period"),
                    ("seasonal", "By season: each month's share of the year over the last three years"),
                ],
                default="even",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="geography.area",
                verbose_name="district",
            ),
        ),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.UniqueConstraint(
                models.F("indicator"),
                models.F("start"),
                models.F("end"),
                django.db.models.functions.comparison.Coalesce("force", 0),
                django.db.models.functions.comparison.Coalesce("partnership", 0),
                django.db.models.functions.comparison.Coalesce("area", 0),
                name="one_target_per_scope_and_period",
                violation_error_message="This indicator already has a target for that period and scope",
            ),
        ),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__gt", models.F("start"))), name="target_ends_after_it_starts"
            ),
        ),
        migrations.AddConstraint(
            model_name="target",
            constraint=models.CheckConstraint(condition=models.Q(("start__day", 1)), name="target_starts_on_a_first"),
        ),
    ]

"""The demo strategy, modelled on a real alliance drug strategy: supply reduction (dismantle
dealer networks, close drug factories, take drugs off the streets) and demand reduction
(divert people into treatment, intervene early with young people)."""

import datetime

from django.utils import timezone

from core import metrics
from core.periods import financial_year_of

from .models import Goal, Indicator, Strategy

STRATEGY_NAME = "Warwickshire and West Mercia Drug Strategy 2024–2027"
STRATEGY_START = datetime.date(2024, 4, 1)
STRATEGY_END = datetime.date(2027, 3, 31)

# (strand, goal title, [(slug, title, metric, options)])
GOALS = [
    (
        Goal.Strand.SUPPLY,
        "Dismantle dealer networks",
        [
            (
                "warrants-executed",
                "Drugs warrants executed",
                "warrants.executed",
                {"display_unit": "warrants"},
            ),
            (
                "positive-warrants",
                "Share of warrants finding drugs",
                "warrants.positive",
                {
                    "aggregation": Indicator.Aggregation.RATIO,
                    "denominator_metric": "warrants.executed",
                    "display_unit": "%",
                },
            ),
        ],
    ),
    (
        Goal.Strand.SUPPLY,
        "Close drug factories",
        [
            (
                "commercial-cultivation-sites",
                "Commercial cannabis factories closed",
                "offences.commercial_sites",
                {"display_unit": "sites"},
            ),
            (
                "cultivation-offences",
                "Cannabis cultivation offences recorded",
                "offences.cultivation",
                {"display_unit": "offences"},
            ),
        ],
    ),
    (
        Goal.Strand.SUPPLY,
        "Take drugs off the streets",
        [
            (
                "street-value-seized",
                "Street value of drugs seized",
                "seizures.street_value_pence",
                {"display_unit": "£", "display_divisor": 100},
            ),
            (
                "class-a-seizures",
                "Class A drug seizures",
                "seizures.count",
                {"dimension": "drug_class", "dimension_value": "A", "display_unit": "seizures"},
            ),
            (
                "cannabis-plants-seized",
                "Cannabis plants seized",
                "seizures.cannabis_plants",
                {"display_unit": "plants"},
            ),
        ],
    ),
    (
        Goal.Strand.DEMAND,
        "Divert people who use drugs into treatment",
        [
            (
                "dip-referrals",
                "Drugs Intervention Programme referrals",
                "referrals.dip",
                {"display_unit": "referrals"},
            ),
            (
                "arrest-referrals",
                "Arrest referrals",
                "referrals.arrest_referrals",
                {"display_unit": "referrals"},
            ),
            (
                "entries-into-treatment",
                "Entries into treatment",
                "referrals.entered_treatment",
                {"display_unit": "people"},
            ),
        ],
    ),
    (
        Goal.Strand.DEMAND,
        "Intervene early with young people",
        [
            (
                "young-people-early-intervention",
                "Young people in early intervention",
                "referrals.early_intervention_young_people",
                {"display_unit": "young people"},
            ),
        ],
    ),
]

# Improvement asked of each year over the one before, for counts where higher is better.
YEARLY_IMPROVEMENT = 1.05
TARGET_SHARE_OF_POSITIVE_WARRANTS = 60
# The strategy's headline goal: more than £10m of drugs, at street value, seized over its first
# 24 months.
HEADLINE_STREET_VALUE_PENCE = 10_000_000 * 100


def load_strategy(stdout):
    from .rollups import rollup_run

    strategy, _ = Strategy.objects.update_or_create(
        name=STRATEGY_NAME,
        defaults={
            "start": STRATEGY_START,
            "end": STRATEGY_END,
            "description": "Three years to reduce the supply of drugs and the demand for them.",
        },
    )
    known = metrics.discover()
    created = 0
    for order, (strand, title, indicators) in enumerate(GOALS):
        goal, _ = Goal.objects.update_or_create(
            strategy=strategy, title=title, defaults={"strand": strand, "order": order}
        )
        for position, (slug, indicator_title, metric, options) in enumerate(indicators):
            if metric not in known:
                stdout.write(f"  (skipped indicator {slug}: no metric {metric} is installed)")
                continue
            Indicator.objects.update_or_create(
                slug=slug,
                defaults={
                    "goal": goal,
                    "title": indicator_title,
                    "metric": metric,
                    "order": position,
                    **options,
                },
            )
            created += 1

    run = rollup_run(full=True)
    set_demo_targets(strategy, today=timezone.localdate())
    stdout.write(f"Demo strategy: {created} indicators; figures rolled up ({run.rows} facts).")


def set_demo_targets(strategy, *, today):
    """Targets for each force and year: the year before's figure improved by 5% (shares: 60%);
    and the strategy's headline for the whole alliance, street value seized over the strategy's
    first 24 months."""
    from core.periods import Period, financial_year
    from geography.models import Force

    from .facts import FactTable, add_months
    from .models import Target
    from .scopes import Scope

    indicators = list(Indicator.objects.filter(goal__strategy=strategy))
    forces = list(Force.objects.filter(in_alliance=True))
    last_year = min(financial_year_of(strategy.end), financial_year_of(today))
    for year in range(financial_year_of(strategy.start), last_year + 1):
        baseline = financial_year(year - 1)
        for force in forces:
            facts = FactTable(
                indicators,
                first_month=baseline.start,
                last_month=baseline.end.replace(day=1),
                scope=Scope.of(force=force),
            )
            for indicator in indicators:
                if indicator.is_ratio:
                    value = TARGET_SHARE_OF_POSITIVE_WARRANTS
                else:
                    before = facts.figure(indicator, baseline)
                    factor = YEARLY_IMPROVEMENT if indicator.higher_is_better else 1 / YEARLY_IMPROVEMENT
                    value = round(float(before) * factor)
                Target.objects.update_or_create(
                    indicator=indicator,
                    start=financial_year(year).start,
                    end=financial_year(year).end,
                    force=force,
                    partnership=None,
                    area=None,
                    defaults={"value": value},
                )
    headline = next((i for i in indicators if i.metric == "seizures.street_value_pence"), None)
    if headline is not None:
        window = Period(strategy.start, add_months(strategy.start, 24) - datetime.timedelta(days=1), "")
        Target.objects.update_or_create(
            indicator=headline,
            start=window.start,
            end=window.end,
            force=None,
            partnership=None,
            area=None,
            defaults={"value": HEADLINE_STREET_VALUE_PENCE},
        )

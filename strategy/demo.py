"""The demo strategy, modelled on a real alliance drug strategy: supply reduction (dismantle
dealer networks, close drug factories, take drugs off the streets) and demand reduction
(divert people into treatment, intervene early with young people)."""

import datetime

from django.utils import timezone

from core import metrics
from core.periods import financial_year, financial_year_of

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
            (
                "cash-seized",
                "Cash seized on drugs warrants",
                "warrants.cash_seized_pence",
                {"display_unit": "£", "display_divisor": 100},
            ),
            (
                "class-a-supply-offences",
                "Class A supply offences",
                "offences.supply",
                {"dimension": "drug_class", "dimension_value": "A", "display_unit": "offences"},
            ),
        ],
    ),
    (
        Goal.Strand.SUPPLY,
        "Close drug factories",
        [
            (
                "commercial-cultivation-sites",
                "Cannabis factories closed",
                "sites.closed",
                {"display_unit": "factories"},
            ),
            (
                "cultivation-offences",
                "Cannabis production offences recorded",
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
                "Drugs Intervention Programme journeys",
                "referrals.dip",
                {
                    "display_unit": "journeys",
                    "description": "Counts journeys: a test on arrest and what follows it are one.",
                },
            ),
            (
                "dip-assessments-attended",
                "Required assessments attended",
                "dip.assessments_attended",
                {
                    "aggregation": Indicator.Aggregation.RATIO,
                    "denominator_metric": "dip.assessments_required",
                    "display_unit": "%",
                    "description": "Of positive tests with a required assessment, the share attended.",
                },
            ),
            (
                "dip-positive-tests-into-treatment",
                "Positive tests leading to treatment",
                "dip.entered_treatment",
                {
                    "aggregation": Indicator.Aggregation.RATIO,
                    "denominator_metric": "dip.positive",
                    "display_unit": "%",
                    "description": "Of positive tests on arrest, the share whose person entered treatment.",
                },
            ),
            (
                "arrest-referrals",
                "Arrest referrals",
                "referrals.arrest_referrals",
                {"display_unit": "referrals", "description": "Counts referrals."},
            ),
            (
                "entries-into-treatment",
                "People entering treatment",
                "referrals.entered_treatment",
                {
                    "display_unit": "people",
                    "description": (
                        "Counts people: each person once when they enter treatment while not already "
                        "in it, whichever agencies referred them. Early intervention is not counted."
                    ),
                },
            ),
            (
                "completions-without-representation",
                "Successful completions without re-presentation",
                "referrals.completed_without_representation",
                {
                    "aggregation": Indicator.Aggregation.RATIO,
                    "denominator_metric": "referrals.completed",
                    "display_unit": "%",
                    "description": (
                        "Of successful completions of treatment, the share whose person was not "
                        "referred again within six months (the national measure of success)."
                    ),
                },
            ),
        ],
    ),
    (
        Goal.Strand.DEMAND,
        "Intervene early with young people",
        [
            (
                "young-people-early-intervention",
                "Young people referred for early intervention",
                "referrals.early_intervention_young_people",
                {"display_unit": "referrals", "description": "Counts referrals of young people under 25."},
            ),
            (
                "young-people-starting-early-intervention",
                "Young people starting early intervention",
                "referrals.early_intervention_started",
                {
                    "display_unit": "young people",
                    "description": "Counts young people, each once when their early intervention starts.",
                },
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


# The last complete financial year of the demo is published: its quarters signed off for each
# force, the forces allowing later changes (listed as changed since sign-off), so the demo's
# records stay editable and the dashboards show published figures beside today's.
DEMO_PUBLISHED_YEAR = 2024
DEMO_COMMENTARY = (
    "Figures as expected for the quarter. Warrant activity followed the county lines operation's "
    "timetable; the next quarter's plan is on the tasking board."
)


def load_published_quarters(stdout):
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from core.models import PeriodLock
    from core.periods import financial_quarter
    from geography.models import Force

    from . import signoff

    users = {
        user.username: user for user in get_user_model().objects.filter(username__in=["analyst", "manager"])
    }
    if len(users) < 2:
        stdout.write("Published quarters: skipped (the demo analyst and manager are missing).")
        return
    analyst, manager = users["analyst"], users["manager"]
    today = timezone.localdate()
    strategy = Strategy.objects.filter(name=STRATEGY_NAME).first()
    signed = 0
    for force in Force.objects.filter(in_alliance=True):
        signoff.policy_set(force=force, mode=PeriodLock.Mode.FLAG, user=manager)
        for number in (1, 2, 3, 4):
            quarter = financial_quarter(DEMO_PUBLISHED_YEAR, number)
            state = signoff.sign_off_of(quarter, force)
            if state is not None and state.status == state.Status.SIGNED_OFF:
                continue
            try:
                if strategy is not None:
                    for indicator in Indicator.objects.filter(goal__strategy=strategy):
                        signoff.commentary_write(
                            indicator=indicator,
                            quarter=quarter,
                            force=force,
                            user=analyst,
                            text=DEMO_COMMENTARY,
                        )
                if state is None or state.status != state.Status.READY:
                    signoff.quarter_mark_ready(quarter=quarter, force=force, user=analyst, today=today)
                signoff.quarter_sign_off(quarter=quarter, force=force, user=manager, today=today)
            except ValidationError as refused:
                stdout.write(f"  {force} {quarter.label} not signed off: {' '.join(refused.messages)}")
            else:
                signed += 1
    stdout.write(f"Published quarters: {signed} signed off ({financial_year(DEMO_PUBLISHED_YEAR).label}).")

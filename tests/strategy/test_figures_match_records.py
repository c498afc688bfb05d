"""Every dashboard figure equals a live count or sum of the records its link leads to."""

import datetime
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from core.periods import financial_quarter, financial_year
from geography.models import Area
from seizures.models import Warrant
from strategy.figures import Scope, overview_cards, records_url
from strategy.rollups import rollup_run
from tests.factories.seizures import SeizureFactory, WarrantFactory, item

from .conftest import TODAY, live_figure

DRUG_ITEMS = [
    ("cocaine", 3, "g"),
    ("crack", 2, "g"),
    ("heroin", 1, "g"),
    ("herbal-cannabis", 25, "g"),
    ("cannabis-plants", 12, "plants"),
    ("ecstasy", 10, "doses"),
]
FIRST_DAY = datetime.date(2024, 4, 1)
ONE_DAY = datetime.timedelta(days=1)

seizures_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=(TODAY - FIRST_DAY).days),  # day
        st.integers(min_value=0, max_value=13),  # district
        st.sets(st.integers(min_value=0, max_value=len(DRUG_ITEMS) - 1), min_size=1, max_size=3),  # drugs
        st.booleans(),  # withdrawn later
    ),
    min_size=1,
    max_size=10,
)
warrants_strategy = st.lists(
    st.tuples(
        st.integers(min_value=3, max_value=(TODAY - FIRST_DAY).days),
        st.integers(min_value=0, max_value=13),
        st.sampled_from([Warrant.Result.DRUGS_FOUND, Warrant.Result.NOTHING_FOUND]),
    ),
    max_size=8,
)


def scopes(areas):
    some_area = areas[3]
    return [
        Scope(),
        Scope.of(force=some_area.force),
        Scope.of(partnership=some_area.partnership),
        Scope.of(area=some_area),
    ]


def check_every_card_matches_its_records(indicators, areas):
    periods = [
        financial_year(2024),
        financial_year(2025),
        financial_quarter(2025, 3),
        financial_quarter(2025, 4),
    ]
    for period in periods:
        for scope in scopes(areas):
            for card in overview_cards(indicators, period=period, scope=scope, through=TODAY - ONE_DAY):
                indicator = card.indicator
                if indicator.is_ratio:
                    positives = live_figure(indicator.metric, card.records_url)
                    all_url = records_url(indicator, card.window, scope, denominator=True)
                    executed = live_figure(indicator.denominator_metric, all_url)
                    share = None if executed == 0 else Decimal(positives) * 100 / Decimal(executed)
                    assert card.figure == share, (indicator.slug, period.label, scope.label)
                else:
                    assert card.figure == live_figure(indicator.metric, card.records_url), (
                        indicator.slug,
                        period.label,
                        scope.label,
                    )
                    assert card.previous == live_figure(indicator.metric, card.previous_url), (
                        indicator.slug,
                        card.compared_with.label,
                        scope.label,
                    )


# Deterministic in CI; no shrinking (each example builds records through the services, so
# shrinking a failure would take minutes — the failing example is printed as it is).
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seizure_rows=seizures_strategy, warrant_rows=warrants_strategy)
def test_after_the_nightly_job_every_figure_equals_the_records_behind_its_link(
    seizure_rows, warrant_rows, seizure_count, class_a_seizures, street_value, positive_share, analyst
):
    indicators = [seizure_count, class_a_seizures, street_value, positive_share]
    areas = list(Area.objects.select_related("force").order_by("ons_code"))
    with transaction.atomic():
        for day, district, drugs, withdraw in seizure_rows:
            area = areas[district]
            seizure = SeizureFactory(
                seized_on=FIRST_DAY + datetime.timedelta(days=day),
                force=area.force,
                area=area,
                items=[item(*DRUG_ITEMS[index]) for index in sorted(drugs)],
                user=analyst,
            )
            if withdraw:
                from seizures.services import seizure_withdraw

                seizure_withdraw(seizure=seizure, user=analyst, reason="Entered twice")
        for day, district, result in warrant_rows:
            area = areas[district]
            executed = FIRST_DAY + datetime.timedelta(days=day)
            WarrantFactory(
                force=area.force,
                area=area,
                applied_on=executed - datetime.timedelta(days=3),
                issued_on=executed - datetime.timedelta(days=2),
                executed_on=executed,
                result=result,
                user=analyst,
            )

        run = rollup_run(today=TODAY)

        assert run.outcome == "succeeded"
        check_every_card_matches_its_records(indicators, areas)
        transaction.set_rollback(True)  # the next example starts from no records

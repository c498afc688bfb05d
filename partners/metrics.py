"""The referral figures the nightly rollup counts, each linked to the list of its records.

Every metric counts live referrals (withdrawn ones are not referrals any more). The list page's
FilterSet parameters and the fixed filters below list exactly the records a figure counts.
Each says what one of its units is: a referral, a person or a journey (partners.journeys).

People are counted without counting anyone twice and still add up over months and districts:
a person's entry into treatment is counted once, on the referral on which they entered while
not already in treatment (`counted_entry`), in its month and district. A distinct count of
keys per month could not be summed into a quarter, nor kept once the keys are cleared.

The Drugs Intervention Programme funnel counts tests on arrest by the test's date and district,
each with how far the journey it began went (tests → positive → assessment required →
attended → treatment entry → completion), so each step is a share of the one before.

referrals.median_days_to_treatment is not additive: a median of a quarter is not the sum, nor
the mean, of its months' medians. It is declared summable=False, so the rollup leaves it out;
the figure for a period and area is computed from the records with
`partners.selectors.median_days_to_treatment`.
"""

from django.db.models import Count

from core.metrics import Metric, Unit, register

from .aggregates import Median
from .choices import DIP_PATHWAYS, POSITIVE_RESULTS, TREATMENT_PATHWAYS, Pathway, Status
from .models import JourneyAssessment, Referral
from .selectors import entered_treatment

LIST = "partners:referral_list"
PLACE = {"force_field": "area__force", "area_field": "area"}
BY_REFERRAL_DATE = {"date_from": "date_from", "date_to": "date_to", "force": "force", "area": "area"}
BY_TREATMENT_DATE = {
    "date_from": "treatment_from",
    "date_to": "treatment_to",
    "force": "force",
    "area": "area",
}
BY_CLOSED_DATE = {"date_from": "closed_from", "date_to": "closed_to", "force": "force", "area": "area"}
DIMENSIONS = {"pathway": "pathway", "agency_kind": "submitting_agency__kind"}
DIMENSION_PARAMS = {
    "pathway": "pathway",
    "agency_kind": "agency_kind",
    "dip_test_result": "dip_test_result",
    "trigger_offence": "trigger_offence",
}


def live_referrals():
    return Referral.objects.live()


def tests_on_arrest():
    return live_referrals().filter(pathway=Pathway.DIP_TEST_ON_ARREST)


def positive_tests():
    return tests_on_arrest().filter(dip_test_result__in=POSITIVE_RESULTS)


TESTS = {"pathway": Pathway.DIP_TEST_ON_ARREST.value}
POSITIVE = {**TESTS, "dip_test_result": [result.value for result in POSITIVE_RESULTS]}
BY_TEST_RESULT = {"dip_test_result": "dip_test_result"}


def _count(name, label, *, description, queryset=live_referrals, fixed=None, dimensions=None):
    dimensions = DIMENSIONS if dimensions is None else dimensions
    register(
        Metric(
            name=name,
            label=label,
            unit=Unit.COUNT,
            queryset=queryset,
            date_field="referral_date",
            value=Count("pk"),
            dimensions=dimensions,
            list_url_name=LIST,
            filter_params={**BY_REFERRAL_DATE, **{key: DIMENSION_PARAMS[key] for key in dimensions}},
            fixed_filters=fixed or {},
            description=description,
            **PLACE,
        )
    )


_count(
    "referrals.count",
    "Referrals from partner agencies",
    description="Counts referrals, by the date referred, by pathway and by the kind of agency that referred.",
)
_count(
    "referrals.dip",
    "Drugs Intervention Programme journeys",
    queryset=lambda: live_referrals().filter(pathway__in=DIP_PATHWAYS, journey__isnull=True),
    fixed={"pathway_group": "dip", "journey_start": "true"},
    description=(
        "Counts journeys: a test on arrest and the required assessments that follow it are one "
        "journey of one person (an assessment without a test before it begins one), by the date "
        "the journey began."
    ),
)
_count(
    "referrals.arrest_referrals",
    "Arrest referrals",
    queryset=lambda: live_referrals().filter(pathway=Pathway.ARREST_REFERRAL),
    fixed={"pathway": Pathway.ARREST_REFERRAL.value},
    dimensions={"agency_kind": "submitting_agency__kind"},
    description="Counts referrals: arrest referrals, by the date referred.",
)
_count(
    "referrals.early_intervention_young_people",
    "Young people referred for early intervention",
    queryset=lambda: live_referrals().filter(pathway=Pathway.EARLY_INTERVENTION),
    fixed={"pathway": Pathway.EARLY_INTERVENTION.value},
    dimensions={"agency_kind": "submitting_agency__kind"},
    description="Counts referrals: early intervention referrals of young people, by the date referred.",
)

# --- the Drugs Intervention Programme funnel, by the date of the test on arrest ----------------
TEST_DIMENSIONS = {"dip_test_result": "dip_test_result"}
_count(
    "dip.tests",
    "Tests on arrest",
    queryset=tests_on_arrest,
    fixed=TESTS,
    dimensions={**TEST_DIMENSIONS, "trigger_offence": "trigger_offence"},
    description="Counts tests on arrest (positive, negative or refused), by the date of the test.",
)
_count(
    "dip.positive",
    "Positive tests on arrest",
    queryset=positive_tests,
    fixed=POSITIVE,
    dimensions=TEST_DIMENSIONS,
    description="Counts tests on arrest positive for opiates, cocaine or both, by the date of the test.",
)
_count(
    "dip.assessments_required",
    "Required assessments after a positive test",
    queryset=lambda: positive_tests().exclude(journey_assessment=""),
    fixed={**POSITIVE, "journey": "assessment_required"},
    dimensions=TEST_DIMENSIONS,
    description=(
        "Counts positive tests whose journey has a required (initial) assessment, by the date of the test."
    ),
)
_count(
    "dip.assessments_attended",
    "Required assessments attended",
    queryset=lambda: positive_tests().filter(journey_assessment=JourneyAssessment.ATTENDED),
    fixed={**POSITIVE, "journey": "assessment_attended"},
    dimensions=TEST_DIMENSIONS,
    description=(
        "Counts positive tests whose person attended the required assessment, by the date of the test."
    ),
)
_count(
    "dip.entered_treatment",
    "Positive tests leading to treatment",
    queryset=lambda: positive_tests().filter(journey_entered_treatment_on__isnull=False),
    fixed={**POSITIVE, "journey": "entered_treatment"},
    dimensions=TEST_DIMENSIONS,
    description=(
        "Counts positive tests whose person entered treatment in the same journey (on the test's "
        "referral or one that followed it), by the date of the test."
    ),
)
_count(
    "dip.completed",
    "Positive tests leading to a successful completion",
    queryset=lambda: positive_tests().filter(journey_completed_on__isnull=False),
    fixed={**POSITIVE, "journey": "completed"},
    dimensions=TEST_DIMENSIONS,
    description=(
        "Counts positive tests whose person completed treatment successfully in the same journey, "
        "by the date of the test."
    ),
)


def _by_date(name, label, *, queryset, date_field, params, fixed, description, dimensions=None):
    dimensions = DIMENSIONS if dimensions is None else dimensions
    register(
        Metric(
            name=name,
            label=label,
            unit=Unit.COUNT,
            queryset=queryset,
            date_field=date_field,
            value=Count("pk"),
            dimensions=dimensions,
            list_url_name=LIST,
            filter_params={**params, **{key: DIMENSION_PARAMS[key] for key in dimensions}},
            fixed_filters=fixed,
            description=description,
            **PLACE,
        )
    )


def treatment_entries():
    return live_referrals().filter(
        pathway__in=TREATMENT_PATHWAYS, counted_entry=True, entered_treatment_on__isnull=False
    )


def completions():
    return live_referrals().filter(pathway__in=TREATMENT_PATHWAYS, status=Status.COMPLETED)


_by_date(
    "referrals.entered_treatment",
    "People entering treatment",
    queryset=treatment_entries,
    date_field="entered_treatment_on",
    params=BY_TREATMENT_DATE,
    fixed={"entry": "treatment"},
    description=(
        "Counts people: each person once when they enter treatment while not already in it, "
        "whichever agencies referred them (a second referral of a person in treatment is not "
        "another entry), by the date treatment started. Early intervention is counted apart; a "
        "negative or refused test on arrest is never an entry."
    ),
)
_by_date(
    "referrals.early_intervention_started",
    "Young people starting early intervention",
    queryset=lambda: live_referrals().filter(
        pathway=Pathway.EARLY_INTERVENTION, counted_entry=True, entered_treatment_on__isnull=False
    ),
    date_field="entered_treatment_on",
    params=BY_TREATMENT_DATE,
    fixed={"entry": "early_intervention"},
    dimensions={"agency_kind": "submitting_agency__kind"},
    description=(
        "Counts young people: each once when their early intervention starts while they are not "
        "already in it, by the date it started. Not counted as treatment."
    ),
)
_by_date(
    "referrals.completed",
    "Successful completions of treatment",
    queryset=completions,
    date_field="closed_on",
    params=BY_CLOSED_DATE,
    fixed={"status": Status.COMPLETED.value, "pathway_group": "treatment"},
    description="Counts referrals whose treatment was completed successfully, by the date it was completed.",
)
_by_date(
    "referrals.completed_without_representation",
    "Successful completions without re-presentation",
    queryset=lambda: completions().filter(represented_on__isnull=True),
    date_field="closed_on",
    params=BY_CLOSED_DATE,
    fixed={"status": Status.COMPLETED.value, "pathway_group": "treatment", "represented": "false"},
    description=(
        "Counts successful completions of treatment after which the person was not referred "
        "again, by any agency, within six months (the national measure of treatment success), by "
        "the date of completion. A completion less than six months ago counts while no "
        "re-presentation is known."
    ),
)
register(
    Metric(
        name="referrals.median_days_to_treatment",
        label="Median days from referral to treatment",
        unit=Unit.DAYS,
        queryset=lambda: entered_treatment(Referral.objects.all()),
        date_field="entered_treatment_on",
        value=Median("days_to_treatment"),
        list_url_name=LIST,
        filter_params=BY_TREATMENT_DATE,
        fixed_filters={"entered_treatment": "true"},
        summable=False,
        description=(
            "Not additive, so not rolled up into facts: for a period or an area compute it from "
            "the records (partners.selectors.median_days_to_treatment)."
        ),
        **PLACE,
    )
)

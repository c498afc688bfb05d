"""The referral figures the nightly rollup counts, each linked to the list of its records.

Every metric counts live referrals (withdrawn ones are not referrals any more). The list page's
FilterSet parameters and the fixed filters below list exactly the records a figure counts.

referrals.median_days_to_treatment is not additive: a median of a quarter is not the sum, nor
the mean, of its months' medians. It is declared summable=False, so the rollup leaves it out;
the figure for a period and area is computed from the records with
`partners.selectors.median_days_to_treatment`.
"""

from django.db.models import Count

from core.metrics import Metric, Unit, register

from .aggregates import Median
from .choices import DIP_PATHWAYS, Pathway, Status
from .models import Referral
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
DIMENSION_PARAMS = {"pathway": "pathway", "agency_kind": "agency_kind"}


def live_referrals():
    return Referral.objects.live()


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
    description="Referrals by the date referred, by pathway and by the kind of agency that referred.",
)
_count(
    "referrals.dip",
    "Drugs Intervention Programme referrals",
    queryset=lambda: live_referrals().filter(pathway__in=DIP_PATHWAYS),
    fixed={"pathway_group": "dip"},
    description="Tests on arrest and required assessments (initial and follow-up), by the date referred.",
)
_count(
    "referrals.arrest_referrals",
    "Arrest referrals",
    queryset=lambda: live_referrals().filter(pathway=Pathway.ARREST_REFERRAL),
    fixed={"pathway": Pathway.ARREST_REFERRAL.value},
    dimensions={"agency_kind": "submitting_agency__kind"},
    description="Arrest referrals, by the date referred.",
)
_count(
    "referrals.early_intervention_young_people",
    "Young people referred for early intervention",
    queryset=lambda: live_referrals().filter(pathway=Pathway.EARLY_INTERVENTION),
    fixed={"pathway": Pathway.EARLY_INTERVENTION.value},
    dimensions={"agency_kind": "submitting_agency__kind"},
    description="Early intervention referrals of young people, by the date referred.",
)

register(
    Metric(
        name="referrals.entered_treatment",
        label="Entries into treatment",
        unit=Unit.COUNT,
        queryset=lambda: entered_treatment(Referral.objects.all()),
        date_field="entered_treatment_on",
        value=Count("pk"),
        dimensions=DIMENSIONS,
        list_url_name=LIST,
        filter_params={**BY_TREATMENT_DATE, **DIMENSION_PARAMS},
        fixed_filters={"entered_treatment": "true"},
        description="Referred people who entered treatment, by the date treatment started.",
        **PLACE,
    )
)
register(
    Metric(
        name="referrals.completed",
        label="Treatment completed",
        unit=Unit.COUNT,
        queryset=lambda: live_referrals().filter(status=Status.COMPLETED),
        date_field="closed_on",
        value=Count("pk"),
        dimensions=DIMENSIONS,
        list_url_name=LIST,
        filter_params={**BY_CLOSED_DATE, **DIMENSION_PARAMS},
        fixed_filters={"status": Status.COMPLETED.value},
        description="Referrals whose treatment was completed, by the date it was completed.",
        **PLACE,
    )
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

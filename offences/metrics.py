"""The offence metrics the nightly rollup counts, each linking back to the offence list.

`filter_params` maps the rollup's date range, force, district and dimensions to the
OffenceFilter parameters; `fixed_filters` narrows the list to the metric's own subset, so the
list reached from a figure shows exactly the offences counted in it."""

from django.db.models import Case, CharField, Count, F, Sum, Value, When

from core.metrics import Metric, Unit, register

from .filters import NO_CLASS
from .models import SUPPLY_TYPES, Offence, Outcome

LIST = "offences:offence_list"
# The class in force on the date recorded; offences recorded without a drug under "none", so
# that their slice links to them alone (the filter's own value for them).
DRUG_CLASS = Case(
    When(drug_class="", then=Value(NO_CLASS)), default=F("drug_class"), output_field=CharField()
)
BY_RECORDED_DATE = {"date_from": "date_from", "date_to": "date_to", "force": "force", "area": "area"}


def live_offences():
    return Offence.objects.live()


register(
    Metric(
        name="offences.recorded",
        label="Drug offences recorded",
        unit=Unit.COUNT,
        queryset=live_offences,
        date_field="recorded_date",
        value=Count("pk"),
        dimensions={
            "offence_group": "offence_group",
            "offence_type": "offence_type",
            "outcome": "outcome",
            "drug_class": DRUG_CLASS,
        },
        list_url_name=LIST,
        filter_params={
            **BY_RECORDED_DATE,
            "offence_group": "offence_group",
            "offence_type": "offence_type",
            "outcome": "outcome",
            "drug_class": "drug_class",
        },
        description=(
            "Drug offences by the date recorded, by Home Office group (92A–92E), offence, outcome and "
            "the class of the drug on that date (offences recorded without a drug have no class)."
        ),
    )
)

register(
    Metric(
        name="offences.supply",
        label="Drug supply offences recorded",
        unit=Unit.COUNT,
        queryset=lambda: live_offences().filter(offence_type__in=SUPPLY_TYPES),
        date_field="recorded_date",
        value=Count("pk"),
        dimensions={"drug_class": DRUG_CLASS, "drug": "drug__code"},
        list_url_name=LIST,
        filter_params={**BY_RECORDED_DATE, "drug_class": "drug_class", "drug": "drug"},
        fixed_filters={"offence_type": [t.value for t in SUPPLY_TYPES]},
        description=(
            "Possession with intent to supply, supply or offering to supply, and being concerned in "
            "supply, by the date recorded; by class (Class A supply offences) and drug."
        ),
    )
)

register(
    Metric(
        name="offences.cultivation",
        label="Cannabis production offences recorded",
        unit=Unit.COUNT,
        queryset=lambda: live_offences().filter(cultivation=True),
        date_field="recorded_date",
        value=Count("pk"),
        dimensions={"offence_type": "offence_type", "site_type": "site_type"},
        list_url_name=LIST,
        filter_params={**BY_RECORDED_DATE, "offence_type": "offence_type", "site_type": "site_type"},
        fixed_filters={"cultivation": "true"},
        description=(
            "Production or cultivation of cannabis offences, by the date recorded (within 92A). Each "
            "offender is an offence: cannabis factories closed are counted as sites."
        ),
    )
)

register(
    Metric(
        name="offences.cannabis_plants",
        label="Cannabis plants found in cultivation offences",
        unit=Unit.PLANTS,
        queryset=lambda: live_offences().filter(cultivation=True),
        date_field="recorded_date",
        value=Sum("plants"),
        dimensions={"site_type": "site_type"},
        list_url_name=LIST,
        filter_params={**BY_RECORDED_DATE, "site_type": "site_type"},
        fixed_filters={"cultivation": "true"},
    )
)

register(
    Metric(
        name="offences.charged",
        label="Drug offences charged or summonsed",
        unit=Unit.COUNT,
        queryset=lambda: live_offences().filter(outcome=Outcome.CHARGED),
        # Counted when the charge is made, as the Home Office outcome tables do.
        date_field="outcome_date",
        value=Count("pk"),
        dimensions={"offence_group": "offence_group", "offence_type": "offence_type"},
        list_url_name=LIST,
        filter_params={
            "date_from": "outcome_from",
            "date_to": "outcome_to",
            "force": "force",
            "area": "area",
            "offence_group": "offence_group",
            "offence_type": "offence_type",
        },
        fixed_filters={"outcome": Outcome.CHARGED.value},
        description="Offences whose outcome was a charge or summons, by the outcome date.",
    )
)

"""The offence metrics the nightly rollup counts, each linking back to the offence list.

`filter_params` maps the rollup's date range, force, district and dimensions to the
OffenceFilter parameters; `fixed_filters` narrows the list to the metric's own subset, so the
list reached from a figure shows exactly the offences counted in it."""

from django.db.models import Count, Sum

from core.metrics import Metric, Unit, register

from .models import Offence, Outcome

LIST = "offences:offence_list"
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
        dimensions={"offence_group": "offence_group", "offence_type": "offence_type", "outcome": "outcome"},
        list_url_name=LIST,
        filter_params={
            **BY_RECORDED_DATE,
            "offence_group": "offence_group",
            "offence_type": "offence_type",
            "outcome": "outcome",
        },
        description="Drug offences by the date recorded, by Home Office group (92A–92E) and offence.",
    )
)

register(
    Metric(
        name="offences.cultivation",
        label="Cannabis cultivation offences recorded",
        unit=Unit.COUNT,
        queryset=lambda: live_offences().filter(cultivation=True),
        date_field="recorded_date",
        value=Count("pk"),
        dimensions={"offence_type": "offence_type", "site_type": "site_type"},
        list_url_name=LIST,
        filter_params={**BY_RECORDED_DATE, "offence_type": "offence_type", "site_type": "site_type"},
        fixed_filters={"cultivation": "true"},
        description="Offences where cannabis was being grown (counted by the Home Office within 92A).",
    )
)

register(
    Metric(
        name="offences.commercial_sites",
        label="Commercial cannabis factories closed",
        unit=Unit.COUNT,
        queryset=lambda: live_offences().filter(factory=True),
        date_field="recorded_date",
        value=Count("pk"),
        dimensions={"site_type": "site_type"},
        list_url_name=LIST,
        filter_params={**BY_RECORDED_DATE, "site_type": "site_type"},
        fixed_filters={"factory": "true"},
        description="Cultivation offences at a commercial-scale cannabis factory, by the date recorded.",
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

"""The named metrics this app publishes for the nightly rollups and the dashboards.

Each names the list page and FilterSet parameters that show exactly the records it counts.
Seizure counting follows the Home Office rule: a seizure counts once in the total and once under
each drug and class it contains, so per-drug counts need not sum to the total. The class is the
one in force on the date seized (stored on each item from DrugClassification).
"""

from django.db.models import Count, Sum

from core.metrics import Metric, Unit, register

from .models import Seizure, SeizureItem, Site, Warrant
from .models import Unit as DrugUnit
from .selectors import WEIGHTS, in_kilograms, plants_counted

SEIZURE_LIST = "seizures:seizure_list"
WARRANT_LIST = "seizures:warrant_list"
SITE_LIST = "seizures:site_list"
SEIZURE_PARAMS = {
    "date_from": "date_from",
    "date_to": "date_to",
    "force": "force",
    "area": "area",
    "drug": "drug",
    "drug_class": "drug_class",
}
PLACE_PARAMS = {"date_from": "date_from", "date_to": "date_to", "force": "force", "area": "area"}
SEIZURE_DIMENSIONS = {"drug": "items__drug__code", "drug_class": "items__drug_class"}
ITEM_DIMENSIONS = {"drug": "drug__code", "drug_class": "drug_class"}
# Item metrics count by their seizure's date and place.
ITEM_PLACE = {
    "date_field": "seizure__seized_on",
    "force_field": "seizure__force",
    "area_field": "seizure__area",
}

KILOGRAMS = in_kilograms()


def live_seizures():
    return Seizure.objects.live()


def live_items(**conditions):
    return SeizureItem.objects.filter(seizure__withdrawn_at__isnull=True, **conditions)


def executed_warrants(**conditions):
    return Warrant.objects.live().filter(executed_on__isnull=False, **conditions)


register(
    Metric(
        name="seizures.count",
        label="Drug seizures",
        unit=Unit.COUNT,
        queryset=live_seizures,
        date_field="seized_on",
        value=Count("pk", distinct=True),
        dimensions=SEIZURE_DIMENSIONS,
        list_url_name=SEIZURE_LIST,
        filter_params=SEIZURE_PARAMS,
        description="Seizures by date seized; one seizure with several drugs counts once in the total.",
    )
)
register(
    Metric(
        name="seizures.with_warrant",
        label="Drug seizures under a warrant",
        unit=Unit.COUNT,
        queryset=lambda: Seizure.objects.live().filter(warrant__isnull=False),
        date_field="seized_on",
        value=Count("pk", distinct=True),
        dimensions=SEIZURE_DIMENSIONS,
        list_url_name=SEIZURE_LIST,
        filter_params=SEIZURE_PARAMS,
        fixed_filters={"has_warrant": "true"},
    )
)
register(
    Metric(
        name="seizures.street_value_pence",
        label="Street value of drugs seized",
        unit=Unit.PENCE,
        queryset=live_items,
        value=Sum("value_pence"),
        dimensions=ITEM_DIMENSIONS,
        list_url_name=SEIZURE_LIST,
        filter_params=SEIZURE_PARAMS,
        description="Each item's stored street value, priced at its force's table (else the alliance "
        "default) in force on the date seized. Items with no price then are counted apart: the figure "
        "is a minimum when there are any.",
        unpriced_metric="seizures.unpriced_items",
        **ITEM_PLACE,
    )
)
register(
    Metric(
        name="seizures.unpriced_items",
        label="Items seized with no street price",
        unit=Unit.COUNT,
        queryset=lambda: live_items(value_pence__isnull=True),
        value=Count("pk"),
        dimensions=ITEM_DIMENSIONS,
        list_url_name=SEIZURE_LIST,
        filter_params=SEIZURE_PARAMS,
        fixed_filters={"unpriced": "true"},
        description="Items no table priced on the date seized: left out of every street value figure.",
        **ITEM_PLACE,
    )
)
# The Home Office's "All cannabis" column: a seizure of herbal cannabis and plants counts once.
ALL_CANNABIS = ["herbal-cannabis", "cannabis-resin", "cannabis-plants", "other-cannabis"]
register(
    Metric(
        name="seizures.all_cannabis",
        label="Cannabis seizures (all cannabis)",
        unit=Unit.COUNT,
        queryset=lambda: Seizure.objects.live().filter(items__drug__code__in=ALL_CANNABIS),
        date_field="seized_on",
        value=Count("pk", distinct=True),
        list_url_name=SEIZURE_LIST,
        filter_params=PLACE_PARAMS,
        fixed_filters={"drug": ALL_CANNABIS},
        description="Seizures holding herbal cannabis, resin, plants or other cannabis, each counted once.",
    )
)
register(
    Metric(
        name="seizures.quantity_kg",
        label="Drugs seized by weight (kilograms)",
        unit=Unit.KILOGRAMS,
        queryset=lambda: live_items(unit__in=WEIGHTS),
        value=KILOGRAMS,
        dimensions=ITEM_DIMENSIONS,
        list_url_name=SEIZURE_LIST,
        filter_params=SEIZURE_PARAMS,
        fixed_filters={"measure": "weight"},
        description="Weights only; break it down by drug, as kilograms of different drugs rarely add up.",
        **ITEM_PLACE,
    )
)
register(
    Metric(
        name="seizures.doses",
        label="Tablets and doses seized",
        unit=Unit.DOSES,
        queryset=lambda: live_items(unit=DrugUnit.DOSES),
        value=Sum("quantity"),
        dimensions=ITEM_DIMENSIONS,
        list_url_name=SEIZURE_LIST,
        filter_params=SEIZURE_PARAMS,
        fixed_filters={"unit": DrugUnit.DOSES.value},
        **ITEM_PLACE,
    )
)
register(
    Metric(
        name="seizures.cannabis_plants",
        label="Cannabis plants seized",
        unit=Unit.PLANTS,
        queryset=lambda: live_items(drug__code="cannabis-plants"),
        value=plants_counted(),
        list_url_name=SEIZURE_LIST,
        filter_params=PLACE_PARAMS,
        fixed_filters={"drug": "cannabis-plants"},
        **ITEM_PLACE,
    )
)
register(
    Metric(
        name="seizures.herbal_cannabis_kg",
        label="Herbal cannabis seized (kilograms)",
        unit=Unit.KILOGRAMS,
        queryset=lambda: live_items(drug__code="herbal-cannabis"),
        value=KILOGRAMS,
        list_url_name=SEIZURE_LIST,
        filter_params=PLACE_PARAMS,
        fixed_filters={"drug": "herbal-cannabis"},
        **ITEM_PLACE,
    )
)
register(
    Metric(
        name="seizures.cocaine_kg",
        label="Cocaine and crack seized (kilograms)",
        unit=Unit.KILOGRAMS,
        queryset=lambda: live_items(drug__code__in=["cocaine", "crack"]),
        value=KILOGRAMS,
        dimensions={"drug": "drug__code"},
        list_url_name=SEIZURE_LIST,
        filter_params={**PLACE_PARAMS, "drug": "drug"},
        fixed_filters={"drug": ["cocaine", "crack"]},
        **ITEM_PLACE,
    )
)
register(
    Metric(
        name="warrants.issued",
        label="Drugs warrants issued",
        unit=Unit.COUNT,
        queryset=lambda: Warrant.objects.live(),
        date_field="issued_on",
        value=Count("pk"),
        list_url_name=WARRANT_LIST,
        filter_params={"date_from": "issued_from", "date_to": "issued_to", "force": "force", "area": "area"},
    )
)
register(
    Metric(
        name="warrants.executed",
        label="Drugs warrants executed",
        unit=Unit.COUNT,
        queryset=executed_warrants,
        date_field="executed_on",
        value=Count("pk"),
        dimensions={"result": "result"},
        list_url_name=WARRANT_LIST,
        filter_params={**PLACE_PARAMS, "result": "result"},
        fixed_filters={"executed": "true"},
    )
)
register(
    Metric(
        name="warrants.positive",
        label="Drugs warrants that found drugs",
        unit=Unit.COUNT,
        queryset=lambda: executed_warrants(result=Warrant.Result.DRUGS_FOUND),
        date_field="executed_on",
        value=Count("pk"),
        list_url_name=WARRANT_LIST,
        filter_params=PLACE_PARAMS,
        fixed_filters={"result": Warrant.Result.DRUGS_FOUND.value},
    )
)
register(
    Metric(
        name="warrants.positive_rate",
        label="Share of executed warrants that found drugs",
        unit=Unit.PERCENT,
        queryset=lambda: executed_warrants(result=Warrant.Result.DRUGS_FOUND),
        date_field="executed_on",
        value=Count("pk"),
        list_url_name=WARRANT_LIST,
        filter_params=PLACE_PARAMS,
        fixed_filters={"result": Warrant.Result.DRUGS_FOUND.value},
        ratio_of=("warrants.positive", "warrants.executed"),
    )
)
register(
    Metric(
        name="warrants.arrests",
        label="Arrests on executing drugs warrants",
        unit=Unit.COUNT,
        queryset=executed_warrants,
        date_field="executed_on",
        value=Sum("arrests"),
        list_url_name=WARRANT_LIST,
        filter_params=PLACE_PARAMS,
        fixed_filters={"executed": "true"},
    )
)
register(
    Metric(
        name="warrants.cash_seized_pence",
        label="Cash seized on executing drugs warrants",
        unit=Unit.PENCE,
        queryset=executed_warrants,
        date_field="executed_on",
        value=Sum("cash_seized_pence"),
        list_url_name=WARRANT_LIST,
        filter_params=PLACE_PARAMS,
        fixed_filters={"executed": "true"},
        description="Cash seized under the Proceeds of Crime Act 2002 when warrants were executed.",
    )
)
# A cannabis factory is a site, not an offender: two people charged at one farm close one
# factory. Counted by the date the site was closed (dismantled).
register(
    Metric(
        name="sites.closed",
        label="Cannabis factories closed",
        unit=Unit.COUNT,
        queryset=lambda: Site.objects.live().filter(closed_on__isnull=False),
        date_field="closed_on",
        value=Count("pk"),
        dimensions={"size_band": "size_band__category", "premises": "premises"},
        list_url_name=SITE_LIST,
        filter_params={**PLACE_PARAMS, "size_band": "size_band", "premises": "premises"},
        fixed_filters={"closed": "true"},
        description=(
            "Cannabis factories (sites) closed, by the date closed, by the Sentencing Council size band "
            "and type of premises; however many offences or seizures each holds."
        ),
    )
)

"""Open-data metrics, so dashboards can show police-recorded drug crime and drug searches
beside the strategy's own figures.

A rollup fact needs a district. Rows without one (police.uk drug crimes published without an
LSOA; searches whose map point is not known from street crime) are not rolled up: the context
pages list them and say how many there are. The Home Office quarterly figures are by force
only, so they are not a metric here: they are shown as context on their own page.
"""

from django.db.models import Count

from core.metrics import Metric, Unit, register

from .models import StopSearch, StreetCrime

PLACE_AND_TIME = {"date_from": "month_from", "date_to": "month_to", "force": "force", "area": "area"}

register(
    Metric(
        name="opendata.street_drug_crimes",
        label="Police-recorded drug crime (police.uk)",
        unit=Unit.COUNT,
        queryset=lambda: StreetCrime.objects.filter(area__isnull=False),
        date_field="month",
        value=Count("pk"),
        dimensions={"outcome": "outcome"},
        list_url_name="opendata:street_crime_list",
        filter_params={**PLACE_AND_TIME, "outcome": "outcome"},
        fixed_filters={"has_area": "true"},
        context_forces=True,
        description="Street-level crimes of type Drugs published by police.uk, by month and district.",
    )
)

register(
    Metric(
        name="opendata.drug_searches",
        label="Stop and search for controlled drugs (police.uk)",
        unit=Unit.COUNT,
        queryset=lambda: StopSearch.objects.filter(area__isnull=False),
        date_field="month",
        value=Count("pk"),
        dimensions={"outcome": "outcome"},
        list_url_name="opendata:stop_search_list",
        filter_params={**PLACE_AND_TIME, "outcome": "outcome"},
        fixed_filters={"has_area": "true"},
        context_forces=True,
        description="Searches for controlled drugs published by police.uk, where the district is known.",
    )
)

"""Open-data metrics, so dashboards can show police-recorded drug crime and drug searches
beside the strategy's own figures.

A rollup fact needs a district. Rows without one (police.uk drug crimes published without an
LSOA; searches whose map point is not known from street crime) are not rolled up: the context
pages list them and say how many there are. The Home Office quarterly figures are by force
only, so they are not a metric here: they are shown as context on their own page.
"""

import datetime

from django.db.models import Count

from core import comparisons
from core.metrics import Metric, Unit, register
from core.periods import Period
from geography.models import PopulationEstimate
from geography.populations import populations

from .models import ForceSeizures, PartnershipRecordedCrime, StopSearch, StreetCrime

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


# --- national comparisons -------------------------------------------------------------------------
# Published figures for every force or partnership, which the alliance's figures of the same
# measure are set against (core.comparisons; the strategy app draws the funnel plots).


def _seizure_years():
    """Financial years, newest first."""
    years = set(ForceSeizures.objects.values_list("financial_year", "year_start"))
    return [
        Period(start, datetime.date(start.year + 1, 3, 31), label)
        for label, start in sorted(years, key=lambda year: year[1], reverse=True)
    ]


def _force_peers(field):
    def peers(period):
        residents = populations(PopulationEstimate.Kind.FORCE)
        return [
            comparisons.Peer(
                code=row.force_code,
                name=row.force_name,
                force_code=row.force_code,
                count=getattr(row, field),
                population=residents.get(row.force_code),
            )
            for row in ForceSeizures.objects.filter(year_start=period.start).order_by("force_name")
        ]

    return peers


SEIZURE_SOURCE = (
    "Home Office, Seizures of drugs in England and Wales, financial years 2009-10 to 2018-19 "
    "(the tables by police force); residents: ONS mid-2018 population estimates by district, "
    "summed to police force areas."
)
SEIZURE_NOTES = (
    "The tables list the 39 police forces of England, British Transport Police and Border Force; "
    "the four Welsh forces are not in them, so the national rate is England's: the seizures of "
    "England's 39 forces per 1,000 of England's residents. British Transport Police and Border "
    "Force police no area of residents and are listed apart.",
    "Every year is divided by the mid-2018 population, the one estimate held: rates of earlier "
    "years follow their counts.",
    "The City of London has few residents and many visitors: its rate per resident is far above "
    "any other and says little about its policing.",
    "Hampshire (2012-13, 2014-15) and Bedfordshire (2014-15) published no figures for those years.",
)
OWN_SEIZURES_DIFFER = (
    "The Home Office counts every seizure each force returned for the year, by the Home Office "
    "counting rules; this portal counts the seizures recorded here, by the date seized, as the "
    "figures stood at their last rebuild — records not entered here (or withdrawn) are not in it."
)

comparisons.register(
    comparisons.Comparison(
        slug="seizures",
        title="Drug seizures per 1,000 residents, every police force",
        measure="drug seizures",
        peer_kind="force",
        metric="seizures.count",
        periods=_seizure_years,
        peers=_force_peers("all_drugs"),
        national_label="England",
        source=SEIZURE_SOURCE,
        own_figures_differ=OWN_SEIZURES_DIFFER,
        notes=SEIZURE_NOTES,
    )
)
comparisons.register(
    comparisons.Comparison(
        slug="class-a-seizures",
        title="Class A drug seizures per 1,000 residents, every police force",
        measure="class A seizures",
        peer_kind="force",
        metric="seizures.count",
        dimension="drug_class",
        dimension_value="A",
        periods=_seizure_years,
        peers=_force_peers("class_a"),
        national_label="England",
        source=SEIZURE_SOURCE,
        own_figures_differ=OWN_SEIZURES_DIFFER,
        notes=SEIZURE_NOTES,
    )
)


def _crime_years():
    """Calendar years (the ONS's "year ending December"), newest first."""
    ends = set(PartnershipRecordedCrime.objects.values_list("year_ending", flat=True))
    return [
        Period(datetime.date(end.year, 1, 1), end, f"Year ending December {end.year}")
        for end in sorted(ends, reverse=True)
    ]


def _partnership_peers(period):
    return [
        comparisons.Peer(
            code=row.partnership_code,
            name=row.partnership_name,
            force_code=row.force_code,
            count=row.drug_offences,
            population=row.population,
            force_name=row.force_name,
        )
        for row in PartnershipRecordedCrime.objects.filter(year_ending=period.end).order_by(
            "force_name", "partnership_name"
        )
    ]


comparisons.register(
    comparisons.Comparison(
        slug="drug-offences",
        title="Drug offences per 1,000 residents, every community safety partnership",
        measure="drug offences",
        peer_kind="partnership",
        metric="offences.recorded",
        periods=_crime_years,
        peers=_partnership_peers,
        national_label="England and Wales",
        source=(
            "ONS, Police recorded crime by community safety partnership, year ending December 2024 "
            "(tables C2 and C5: drug offences; table C4: the population the ONS divides by, its "
            "mid-2022 estimates rounded to 100)."
        ),
        own_figures_differ=(
            "The ONS counts every drug offence (trafficking, possession and other drug offences) "
            "the forces recorded and notified to the Home Office, placed in a partnership by where "
            "it happened, as the data stood when published; offences with no exact place are "
            "'Unassigned' and in no partnership. This portal counts the drug offences recorded "
            "here by the alliance's analysts, by the date recorded and the district entered, as the "
            "figures stood at their last rebuild: offences not entered here, withdrawn here, or "
            "recorded under another crime type are not in it."
        ),
        notes=(
            "Unassigned offences (no exact place), Manchester Airport and the City of London (for "
            "which the ONS publishes no rate, its resident population being so small) are listed "
            "apart and not plotted; the national rate is that of the partnerships plotted.",
            "Both years are divided by the same population (mid-2022), as the ONS table gives it.",
        ),
    )
)

"""The alliance set against every force or partnership of England and Wales (funnel plots), its
figures per 1,000 residents, and its districts on a map.

The national figures come from the apps' declared comparisons (core.comparisons), residents from
the ONS estimates (geography.populations), the portal's own figures from the rollup facts."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core import funnel
from core.metrics import Unit
from geography.models import Area, CommunitySafetyPartnership, Force, PopulationEstimate
from geography.populations import population_of_places, populations

from .facts import FactTable, month_start
from .figures import records_url, to_date
from .models import Indicator
from .scopes import Scope

RATE_PLACES = Decimal("0.01")


def shows_rates(indicator):
    """Figures per 1,000 residents are offered for counts (not shares, money or weights)."""
    return not indicator.is_ratio and indicator.metric_definition.unit == Unit.COUNT


def per_thousand(figure, population):
    """A figure per 1,000 residents, to two decimal places; None without residents or figure."""
    rate = funnel.rate_per_thousand(figure, population)
    return None if rate is None else Decimal(rate).quantize(RATE_PLACES, ROUND_HALF_UP)


def scope_population(scope):
    """The residents of a scope: the alliance (its forces), a force, a partnership, a district."""
    if scope.kind == "area":
        return population_of_places(areas=[scope.area])
    if scope.kind == "partnership":
        return population_of_places(partnerships=[scope.partnership])
    if scope.kind == "force":
        return population_of_places(forces=[scope.force])
    return population_of_places(forces=list(Force.objects.filter(in_alliance=True)))


def add_rates(breakdown_rows):
    """Each breakdown row (force, its partnerships, their districts) with its figure per 1,000."""
    K = PopulationEstimate.Kind
    residents = {
        "force": populations(K.FORCE),
        "partnership": populations(K.PARTNERSHIP),
        "area": populations(K.DISTRICT),
    }

    def rate(row):
        place = row["scope"].narrowest
        row["population"] = residents[row["scope"].kind].get(place.ons_code)
        row["rate"] = per_thousand(row["figure"], row["population"])

    for force_row in breakdown_rows:
        rate(force_row)
        for partnership_row in force_row["partnerships"]:
            rate(partnership_row)
            for area_row in partnership_row["areas"]:
                rate(area_row)


# --- funnel plots ---------------------------------------------------------------------------------


@dataclass
class PeerRow:
    peer: object
    rate: Decimal | None
    limits: funnel.Limits | None
    verdict: funnel.Verdict | None
    in_alliance: bool

    @property
    def plotted(self):
        return self.limits is not None

    def limit_rates(self):
        return _rounded(self.limits.rates)


def _rounded(rates):
    return {name: Decimal(value).quantize(RATE_PLACES, ROUND_HALF_UP) for name, value in rates.items()}


def alliance_codes(peer_kind):
    if peer_kind == "force":
        return set(Force.objects.filter(in_alliance=True).values_list("ons_code", flat=True))
    return set(
        CommunitySafetyPartnership.objects.filter(force__in_alliance=True).values_list("ons_code", flat=True)
    )


def funnel_of(comparison, period):
    """Every peer of the period with its rate, limits and verdict against the national rate (of
    the peers with a count and residents), the alliance together, and the limit lines."""
    peers = comparison.peers(period)
    ours = alliance_codes(comparison.peer_kind)
    usable = [peer for peer in peers if peer.count is not None and peer.population]
    if not usable:
        return None
    national_rate = sum(peer.count for peer in usable) / sum(peer.population for peer in usable)
    rows = []
    for peer in peers:
        if peer in usable:
            limits = funnel.limits_for(peer.population, national_rate)
            rows.append(
                PeerRow(peer, per_thousand(peer.count, peer.population), limits,
                        funnel.verdict(peer.count, limits), peer.code in ours)
            )  # fmt: skip
        else:
            rows.append(PeerRow(peer, None, None, None, peer.code in ours))
    mine = [peer for peer in usable if peer.code in ours]
    alliance = None
    if mine:
        count, population = sum(p.count for p in mine), sum(p.population for p in mine)
        limits = funnel.limits_for(population, national_rate)
        alliance = {
            "count": count,
            "population": population,
            "rate": per_thousand(count, population),
            "verdict": funnel.verdict(count, limits),
            "limits": _rounded(limits.rates),
        }
    smallest = min(peer.population for peer in usable)
    largest = max(peer.population for peer in usable)
    return {
        "period": period,
        "national_rate": Decimal(national_rate * funnel.PER).quantize(Decimal("0.001"), ROUND_HALF_UP),
        "national_count": sum(peer.count for peer in usable),
        "national_population": sum(peer.population for peer in usable),
        "rows": rows,
        "plotted": [row for row in rows if row.plotted],
        "apart": [row for row in rows if not row.plotted],
        "alliance": alliance,
        "lines": funnel.funnel_lines(national_rate, smallest * 0.8, largest * 1.2),
    }


def trend_of(comparison):
    """The alliance's rate and the national rate in each period, oldest first."""
    points = []
    for period in reversed(comparison.periods()):
        plot = funnel_of(comparison, period)
        if plot is None:
            continue
        points.append(
            {
                "period": period,
                "national_rate": plot["national_rate"],
                "alliance": plot["alliance"],
            }
        )
    return points


def own_figures(comparison, period, rows, *, through):
    """The portal's own figure for each of the alliance's peers over the same period, beside the
    published one, each linking to the records it counts."""
    window = to_date(period, through)
    slice_ = Indicator(
        metric=comparison.metric, dimension=comparison.dimension, dimension_value=comparison.dimension_value
    )
    group = ("force",) if comparison.peer_kind == "force" else ("area__partnership",)
    facts = None
    if window is not None:
        facts = FactTable(
            [slice_], first_month=month_start(window.start), last_month=month_start(window.end),
            scope=None, through=through, group_by=group,
        )  # fmt: skip
    model = Force if comparison.peer_kind == "force" else CommunitySafetyPartnership
    codes = [row.peer.code for row in rows]
    places = {place.ons_code: place for place in model.objects.filter(ons_code__in=codes)}
    result = []
    for row in rows:
        place = places.get(row.peer.code)
        if place is None or not row.in_alliance:
            continue
        scope = Scope.of(force=place) if comparison.peer_kind == "force" else Scope.of(partnership=place)
        own = facts.figure(slice_, window, (place.pk,)) if facts else None
        result.append(
            {
                "name": row.peer.name,
                "published": row.peer.count,
                "own": own,
                "difference": None if own is None or row.peer.count is None else int(own) - row.peer.count,
                "records_url": records_url(slice_, window, scope) if window else "",
            }
        )
    # Nothing recorded here for the period (a year before the portal's records begin): there is
    # nothing to set beside the published figures, rather than a column of noughts.
    if not any(row["own"] for row in result):
        return {"window": None, "rows": []}
    return {"window": window, "rows": result}


# --- the district map ---------------------------------------------------------------------------

# Five shades of GOV.UK blue, light to dark, each distinct from its neighbours and from the
# white page; the legend and the table give the figures in words as well.
SHADES = ("#d2e2f1", "#a5c5e4", "#5694ca", "#1d70b8", "#003078")
NO_FIGURE = "#b1b4b6"


def legend_classes(maximum):
    """Five equal bands from 0 to a round number at or above `maximum`."""
    top = _round_up(maximum) if maximum and maximum > 0 else Decimal(5)
    step = top / len(SHADES)
    return [
        {"low": step * index, "high": step * (index + 1), "colour": shade, "css": f"app-shade-{index}"}
        for index, shade in enumerate(SHADES)
    ]


def _round_up(value):
    """The smallest of 1, 2, 2.5 or 5 × a power of ten that is at least `value`, times 5 so that
    the bands' edges are round numbers."""
    value = Decimal(value) / 5
    power = Decimal(1)
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for multiple in (1, 2, Decimal("2.5"), 5, 10):
        if power * multiple >= value:
            return power * multiple * 5
    return power * 50


NO_FIGURE_BAND = {"colour": NO_FIGURE, "css": "app-shade-none"}


def band_for(value, classes):
    """The legend band a value falls in (a band includes its upper edge)."""
    if value is None:
        return NO_FIGURE_BAND
    for band in classes:
        if value <= band["high"]:
            return band
    return classes[-1]


def district_map(indicator, *, period, scope, through, measure):
    """Each of the scope's alliance districts with its figure, rate, shade and records link."""
    window = to_date(period, through)
    areas = Area.objects.in_alliance().select_related("partnership", "force").order_by("name")
    if scope.kind == "force":
        areas = areas.filter(force=scope.force)
    elif scope.kind == "partnership":
        areas = areas.filter(partnership=scope.partnership)
    elif scope.kind == "area":
        areas = areas.filter(pk=scope.area.pk)
    areas = list(areas)
    residents = populations(PopulationEstimate.Kind.DISTRICT, [area.ons_code for area in areas])
    facts = None
    if window is not None:
        facts = FactTable(
            [indicator], first_month=month_start(window.start), last_month=month_start(window.end),
            scope=None, through=through, group_by=("area",),
        )  # fmt: skip
    rows = []
    for area in areas:
        figure = facts.figure(indicator, window, (area.pk,)) if facts else None
        population = residents.get(area.ons_code)
        rate = per_thousand(figure, population)
        rows.append(
            {
                "area": area,
                "figure": figure,
                "population": population,
                "rate": rate,
                "value": rate if measure == "rate" else figure,
                "records_url": records_url(indicator, window, Scope.of(area=area)) if window else "",
            }
        )
    divisor = 1 if measure == "rate" else (indicator.display_divisor or 1)
    values = [row["value"] / divisor for row in rows if row["value"] is not None]
    classes = legend_classes(max(values) if values else None)
    for row in rows:
        shown = None if row["value"] is None else row["value"] / divisor
        row["shown"] = shown
        row["band"] = band_for(shown, classes)
    return {"window": window, "rows": rows, "classes": classes}

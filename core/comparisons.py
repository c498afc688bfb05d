"""National comparisons: figures published for every force or every community safety
partnership of England and Wales, which an indicator of the same measure can be set against.

An app that holds such figures declares them in its `metrics.py` with `register(Comparison(...))`
(the strategy app discovers those modules with the metrics); the strategy app draws the funnel
plot, the table and the trend from them and never reads the app's models itself."""

from collections.abc import Callable
from dataclasses import dataclass, field

from core.periods import Period


@dataclass(frozen=True)
class Peer:
    """One force or partnership in a national table, in one period."""

    code: str  # ONS code (E23/W15 force area, E22/W14 partnership); "" where it has none
    name: str
    force_code: str  # the force area it lies in (a force: its own code)
    count: int | None  # None where the publisher gives no figure
    population: int | None  # residents; None where there are none to divide by
    force_name: str = ""


@dataclass(frozen=True)
class Comparison:
    slug: str
    title: str  # "Drug seizures per 1,000 residents, every police force"
    measure: str  # "drug seizures", as in "N drug seizures"
    peer_kind: str  # "force" or "partnership"
    # The portal's own metric (and slice) measuring the same thing: indicators of it link here,
    # and its figures are set beside the national ones.
    metric: str
    periods: Callable[[], list]  # () -> [Period], newest first
    peers: Callable[[Period], list]  # (period) -> [Peer]
    national_label: str  # what the national rate is of: "England", "England and Wales"
    source: str
    dimension: str = ""
    dimension_value: str = ""
    # Why the portal's own count of the same period differs from the published one.
    own_figures_differ: str = ""
    notes: tuple = field(default_factory=tuple)

    def matches(self, metric, dimension="", dimension_value=""):
        return (self.metric, self.dimension, self.dimension_value) == (metric, dimension, dimension_value)


_registry: dict[str, Comparison] = {}


def register(comparison):
    _registry[comparison.slug] = comparison
    return comparison


def all_comparisons():
    from core import metrics

    metrics.discover()  # the apps' metrics modules register their comparisons
    return dict(_registry)


def get(slug):
    return all_comparisons()[slug]


def for_indicator(indicator):
    """The comparisons of an indicator's measure (none for a share)."""
    if indicator.is_ratio:
        return []
    return [
        comparison
        for comparison in all_comparisons().values()
        if comparison.matches(indicator.metric, indicator.dimension, indicator.dimension_value)
    ]

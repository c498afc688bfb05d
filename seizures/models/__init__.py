from .drugs import CANNABIS_PLANTS, HERBAL_CANNABIS, Drug, DrugClassification, StreetPrice
from .repricing import RepriceJob
from .seizure import MAX_ITEMS_PER_SEIZURE, TOO_MANY_ITEMS, Seizure, SeizureItem
from .site import MAX_SITE_PLANTS, Premises, Site, SizeBand
from .units import DrugClass, Measure, Unit
from .warrant import Warrant, execution_deadline

__all__ = [
    "CANNABIS_PLANTS",
    "HERBAL_CANNABIS",
    "MAX_ITEMS_PER_SEIZURE",
    "MAX_SITE_PLANTS",
    "TOO_MANY_ITEMS",
    "Drug",
    "DrugClass",
    "DrugClassification",
    "Measure",
    "RepriceJob",
    "Premises",
    "Seizure",
    "SeizureItem",
    "Site",
    "SizeBand",
    "StreetPrice",
    "Unit",
    "Warrant",
    "execution_deadline",
]

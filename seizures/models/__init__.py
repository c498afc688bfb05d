from .drugs import Drug, DrugClassification, StreetPrice
from .seizure import MAX_ITEMS_PER_SEIZURE, TOO_MANY_ITEMS, Seizure, SeizureItem
from .units import DrugClass, Measure, Unit
from .warrant import Warrant

__all__ = [
    "MAX_ITEMS_PER_SEIZURE",
    "TOO_MANY_ITEMS",
    "Drug",
    "DrugClass",
    "DrugClassification",
    "Measure",
    "Seizure",
    "SeizureItem",
    "StreetPrice",
    "Unit",
    "Warrant",
]

from .drugs import Drug, DrugClassification, StreetPrice
from .seizure import Seizure, SeizureItem
from .units import DrugClass, Measure, Unit
from .warrant import Warrant

__all__ = [
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

"""Units a drug is recorded in, and which units fit which drug."""

from decimal import Decimal

from django.db import models


class DrugClass(models.TextChoices):
    A = "A", "Class A"
    B = "B", "Class B"
    C = "C", "Class C"


class Unit(models.TextChoices):
    GRAMS = "g", "grams"
    KILOGRAMS = "kg", "kilograms"
    PLANTS = "plants", "plants"
    DOSES = "doses", "tablets or doses"
    MILLILITRES = "ml", "millilitres"


SINGULAR = {
    Unit.GRAMS: "gram",
    Unit.KILOGRAMS: "kilogram",
    Unit.PLANTS: "plant",
    Unit.DOSES: "dose",
    Unit.MILLILITRES: "millilitre",
}


class Measure(models.TextChoices):
    """How a drug is measured: the Home Office returns count powders and herbs by weight,
    pills and blotters by dose, cultivation by plant."""

    MASS = "mass", "By weight"
    PLANTS = "plants", "By plant or by weight"
    DOSES = "doses", "By tablet or dose"
    DOSES_OR_MASS = "doses_mass", "By tablet or by weight"
    LIQUID = "liquid", "By volume or dose"
    ANY = "any", "By weight, dose or volume"


UNITS_BY_MEASURE = {
    Measure.MASS: (Unit.GRAMS, Unit.KILOGRAMS),
    # Cannabis plants are counted, weighed, or both (a farm's crop is often weighed whole:
    # "544 kg of cannabis plants"); the item's unit is what it is valued by.
    Measure.PLANTS: (Unit.PLANTS, Unit.GRAMS, Unit.KILOGRAMS),
    Measure.DOSES: (Unit.DOSES,),
    # Ecstasy comes as tablets or as MDMA powder and crystal, which is weighed.
    Measure.DOSES_OR_MASS: (Unit.DOSES, Unit.GRAMS, Unit.KILOGRAMS),
    Measure.LIQUID: (Unit.MILLILITRES, Unit.DOSES),
    # The Home Office's "Other Class A/B/C" and "Unknown": any form a substance comes in.
    Measure.ANY: (Unit.GRAMS, Unit.KILOGRAMS, Unit.DOSES, Unit.MILLILITRES),
}

WEIGHTS = (Unit.GRAMS, Unit.KILOGRAMS)

GRAMS_IN = {Unit.GRAMS: Decimal(1), Unit.KILOGRAMS: Decimal(1000)}

# The largest quantity accepted per unit. The biggest UK seizures are a few tonnes of cocaine
# at a port; anything above these is a slip of the unit (grams typed as kilograms).
MAX_QUANTITY = {
    Unit.GRAMS: Decimal(10_000_000),
    Unit.KILOGRAMS: Decimal(10_000),
    Unit.PLANTS: Decimal(100_000),
    Unit.DOSES: Decimal(10_000_000),
    Unit.MILLILITRES: Decimal(10_000_000),
}
MAX_ANY_QUANTITY = max(MAX_QUANTITY.values())


def convertible(from_unit, to_unit):
    return from_unit == to_unit or (from_unit in GRAMS_IN and to_unit in GRAMS_IN)


def convert(quantity, from_unit, to_unit):
    if from_unit == to_unit:
        return quantity
    return quantity * GRAMS_IN[Unit(from_unit)] / GRAMS_IN[Unit(to_unit)]

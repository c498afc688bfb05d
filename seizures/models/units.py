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
    PLANTS = "plants", "By plant"
    DOSES = "doses", "By tablet or dose"
    LIQUID = "liquid", "By volume or dose"


UNITS_BY_MEASURE = {
    Measure.MASS: (Unit.GRAMS, Unit.KILOGRAMS),
    Measure.PLANTS: (Unit.PLANTS,),
    Measure.DOSES: (Unit.DOSES,),
    Measure.LIQUID: (Unit.MILLILITRES, Unit.DOSES),
}

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

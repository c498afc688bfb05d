"""The forces and districts are seeded by a migration: factories look them up, never invent them."""

from geography.models import Area, Force


def force(name="Warwickshire"):
    return Force.objects.get(name=name)


def area(name="Rugby"):
    return Area.objects.select_related("force", "partnership").get(name=name)

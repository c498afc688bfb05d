"""Matching the force names the publishers use to the forces configured here."""

import re

from geography.models import Force

_NOISE = re.compile(r"\b(police|constabulary|service|force)\b")


def name_key(name):
    """'West Yorkshire Police', 'west yorkshire ' and 'West Yorkshire' -> 'west yorkshire'."""
    return " ".join(_NOISE.sub(" ", str(name or "").lower().replace("&", "and")).split())


class ForceDirectory:
    """Every configured force (in the alliance or configured for context), by published name."""

    def __init__(self):
        self._by_key = {name_key(force.name): force for force in Force.objects.all()}

    def find(self, published_name):
        return self._by_key.get(name_key(published_name))


def force_choices():
    return [(force.name, force.name) for force in Force.objects.order_by("-in_alliance", "name")]

"""A saved or removed target makes every cached overview stale at once (selectors.targets_version)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Target
from .selectors import TARGETS_GENERATION


@receiver([post_save, post_delete], sender=Target)
def targets_changed(**kwargs):
    cache.add(TARGETS_GENERATION, 0, timeout=None)
    cache.incr(TARGETS_GENERATION)

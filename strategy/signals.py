"""A saved or removed target, indicator, goal or strategy makes every cached dashboard page stale
at once (selectors.targets_version)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Goal, Indicator, Strategy, Target
from .selectors import TARGETS_GENERATION


@receiver([post_save, post_delete], sender=Target)
@receiver([post_save, post_delete], sender=Indicator)
@receiver([post_save, post_delete], sender=Goal)
@receiver([post_save, post_delete], sender=Strategy)
def targets_changed(**kwargs):
    cache.add(TARGETS_GENERATION, 0, timeout=None)
    cache.incr(TARGETS_GENERATION)

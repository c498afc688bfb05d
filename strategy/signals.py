"""A saved or removed target, indicator, goal or strategy makes every cached dashboard page stale
at once (selectors.targets_version)."""

import logging

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import generations

from .models import Goal, Indicator, Strategy, Target
from .selectors import TARGETS_GENERATION

logger = logging.getLogger(__name__)


@receiver([post_save, post_delete], sender=Target)
@receiver([post_save, post_delete], sender=Indicator)
@receiver([post_save, post_delete], sender=Goal)
@receiver([post_save, post_delete], sender=Strategy)
def targets_changed(**kwargs):
    generations.advance(TARGETS_GENERATION)
    # The pages as they open are rendered again once the edit is committed (after the number
    # moved on), so that the first manager to look after an edit does not wait for them.
    generations.on_commit_once("strategy.render-dashboard-pages", _queue_dashboard_pages_render)


def _queue_dashboard_pages_render():
    from kombu.exceptions import OperationalError as BrokerUnavailable

    from .tasks import dashboard_pages_render

    try:
        dashboard_pages_render.delay()
    except (BrokerUnavailable, OSError):
        logger.warning("Could not queue the dashboard pages' rendering; they render when first asked for")

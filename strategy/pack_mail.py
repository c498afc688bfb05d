"""The performance pack by email: every month (the quarter so far) or every quarter (once it is
signed off), to the managers who asked for it, with the PDF attached. Each edition goes to each
subscriber once, however often the beat runs."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from core.links import absolute_url

from .facts import add_months, month_end, month_start
from .figures import figures_through
from .models import PackDelivery, PackSubscription, QuarterSignOff
from .pack import pack_for, render_pdf
from .signoff import quarter_url, quarters_between

logger = logging.getLogger(__name__)

# A quarter signed off within this many days is sent to quarterly subscribers (a subscriber who
# joins later finds older packs on the site).
SIGNED_OFF_RECENTLY = datetime.timedelta(days=31)


def due_editions(subscription, *, today, through, now):
    """(quarter, edition name) of each pack due to the subscriber now."""
    if subscription.frequency == PackSubscription.Frequency.MONTHLY:
        last_month = add_months(month_start(today), -1)
        # Sent once the figures count the whole month before (the night after it ends).
        if through is None or through < month_end(last_month):
            return []
        (quarter,) = quarters_between(last_month, last_month)
        return [(quarter, f"{quarter.label} to {last_month:%B %Y}")]
    signed = QuarterSignOff.objects.filter(
        force=subscription.force,
        status=QuarterSignOff.Status.SIGNED_OFF,
        published__at__gte=now - SIGNED_OFF_RECENTLY,
    ).select_related("published")
    return [
        (s.quarter, f"{s.quarter.label} signed off at {s.published.at:%Y-%m-%d %H:%M:%S}") for s in signed
    ]


def packs_send_due(*, today=None):
    """Send every pack due; returns how many emails went."""
    now = timezone.now()
    today = today or timezone.localdate()
    through = figures_through()
    built = {}
    sent = 0
    subscriptions = (
        PackSubscription.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "force")
        .order_by("pk")
    )
    for subscription in subscriptions:
        if not subscription.user.has_perm("strategy.view_indicator"):
            continue
        for quarter, edition in due_editions(subscription, today=today, through=through, now=now):
            delivery, created = PackDelivery.objects.get_or_create(
                subscription=subscription, edition=edition, defaults={"sent_at": now}
            )
            if not created:
                continue
            key = (subscription.force_id, quarter.start)
            if key not in built:
                pack = pack_for(quarter, subscription.force, today=today)
                built[key] = (pack, render_pdf(pack, site_url=settings.SITE_URL))
            pack, pdf = built[key]
            try:
                _send(subscription, pack, pdf, edition)
            except Exception:
                # Not sent: the next run tries again.
                delivery.delete()
                raise
            sent += 1
    return sent


def _send(subscription, pack, pdf, edition):
    link = absolute_url(quarter_url("pack", pack.quarter, subscription.force))
    status = "signed off" if pack.published else "not signed off yet: today's figures"
    message = EmailMessage(
        subject=f"{pack.title} ({edition})",
        body=(
            f"The quarterly performance pack for {pack.scope.label}, {pack.quarter.label}, is attached "
            f"({status}).\n\n"
            f"Off track: {len(pack.exceptions)} of {len(pack.rows)} indicators.\n\n"
            f"Read it in the Strategy Portal: {link}\n\n"
            "You get this email because you asked for the pack on that page, where you can stop it.\n"
        ),
        to=[subscription.user.email],
    )
    message.attach(pack.filename, pdf, "application/pdf")
    message.send()
    logger.info("Performance pack %s sent to user %s", edition, subscription.user_id)

"""A rebuild of the figures now, asked for from the dashboard's freshness line or the runs page."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .rebuilds import Rebuild, next_nightly_run, rebuild_request, rebuild_state

REBUILD_FIGURES = "strategy.rebuild_figures"


@permission_required(REBUILD_FIGURES, raise_exception=True)
@require_POST
def rebuild(request):
    outcome = rebuild_request(user=request.user)
    if outcome is Rebuild.QUEUED:
        messages.success(
            request,
            "A rebuild of the figures has been queued: the months changed since the last run are "
            "rolled up again. The figures are updated when it finishes.",
        )
    else:
        messages.info(request, _not_queued(outcome))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = reverse("strategy:runs")
    return redirect(back)


def _at(moment):
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _not_queued(outcome):
    if outcome is Rebuild.RUNNING:
        return "The figures are being rebuilt now: nothing more was queued."
    if outcome is Rebuild.WAITING:
        waiting = rebuild_state().waiting
        asked = f" (asked for at {_at(waiting.requested_at)})" if waiting else ""
        return f"A rebuild of the figures is already waiting to start{asked}: nothing more was queued."
    nightly = next_nightly_run()
    then = f" at {_at(nightly)}" if nightly else ""
    return f"The rebuild could not be queued. Try again later: the figures are next built{then}."

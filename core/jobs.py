"""Scheduled jobs run now on request: while one request waits for a worker, asking again
queues nothing more."""

from django.db.models import Q
from django.utils import timezone

from .models import JobRequest


def job_request(job, *, user, lapses_after):
    """Ask for `job` to run now. True when this request is the one that waits (queue the job
    then, after commit); False when another waits already. A request not taken within
    `lapses_after` lapses, as the queued task expires."""
    now = timezone.now()
    JobRequest.objects.get_or_create(job=job)
    free = Q(requested_at__isnull=True) | Q(requested_at__lte=now - lapses_after)
    return bool(JobRequest.objects.filter(free, job=job).update(requested_at=now, requested_by=user))


def job_waiting(job, *, lapses_after):
    """The request for `job` waiting for a worker, or None."""
    return (
        JobRequest.objects.filter(job=job, requested_at__gt=timezone.now() - lapses_after)
        .select_related("requested_by")
        .first()
    )


def job_taken(job):
    """A worker has started `job`: what was asked for before now, this run does."""
    JobRequest.objects.filter(job=job).update(requested_at=None, requested_by=None)

"""Scheduled jobs run now on request: while one request waits for a worker, asking again
queues nothing more."""

from django.db.models import Q
from django.utils import timezone

from . import generations
from .models import JobRequest


def job_request(job, *, user, lapses_after):
    """Ask for `job` to run now. True when this request is the one that waits (queue the job
    then, after commit); False when another waits already. A request not taken within
    `lapses_after` lapses, as the queued task expires."""
    now = timezone.now()
    JobRequest.objects.get_or_create(job=job)
    free = Q(requested_at__isnull=True) | Q(requested_at__lte=now - lapses_after)
    taken = JobRequest.objects.filter(free, job=job).update(requested_at=now, requested_by=user)
    if taken:
        generations.advance(generations.rows_of(JobRequest))  # an UPDATE sends no signal
    return bool(taken)


def job_waiting_kept(job):
    """How job_waiting keeps its answer: (models, *key parts), for generations.prefetch_kept."""
    return ([JobRequest], "job-request", job)


def job_waiting(job, *, lapses_after):
    """The request for `job` waiting for a worker, or None. Pages showing a rebuild button ask
    on every request: the request is kept until one is made or taken."""
    models, *key_parts = job_waiting_kept(job)
    request = generations.kept_until_changed(
        models,
        lambda: (
            JobRequest.objects.filter(job=job, requested_at__isnull=False)
            .select_related("requested_by")
            .first()
        ),
        *key_parts,
    )
    return request if request is not None and request.requested_at > timezone.now() - lapses_after else None


def job_taken(job):
    """A worker has started `job`: what was asked for before now, this run does."""
    if JobRequest.objects.filter(job=job, requested_at__isnull=False).update(
        requested_at=None, requested_by=None
    ):
        generations.advance(generations.rows_of(JobRequest))

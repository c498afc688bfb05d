"""Bulk re-pricing: after a street price row is introduced or corrected, every item it may
change is valued again by a background job, item by item audited, and the months of the
changed items are marked so the nightly run (and a full rebuild alike) counts the new values.

Published figures hold: an item dated in a quarter published with its changes refused keeps the
value it was published with (counted as held, for a manager to reopen the quarter and run the
job again); one dated in a quarter that lists its changes is re-priced and listed."""

import logging

from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import pluralize
from django.utils import timezone

from core.metrics import counted_on, mark_counted
from core.periodlocks import LockBook, dated_in

from .models import CANNABIS_PLANTS, HERBAL_CANNABIS, Drug, RepriceJob, SeizureItem, Unit
from .pricing import PriceBook

logger = logging.getLogger(__name__)

# Items valued per transaction: a crash loses at most one chunk's work, which the next run of
# the job redoes (re-pricing an item twice changes it once).
CHUNK = 500
Status = RepriceJob.Status


def affected_items(price):
    """The live items whose valuation the row may decide: of its drug (for herbal cannabis, also
    cannabis plants, valued at its price; for a yield row, plants counted) seized while it is in
    force, in its force (the default's: in any force, a force's own row deciding where there is
    one), and every item valued with it now (a correction may have moved its dates away)."""
    dated = Q(seizure__seized_on__gte=price.valid_from)
    if price.valid_to:
        dated &= Q(seizure__seized_on__lte=price.valid_to)
    if price.force_id:
        dated &= Q(seizure__force_id=price.force_id)
    drugs = Q(drug_id=price.drug_id)
    if price.is_yield:
        drugs &= Q(unit=Unit.PLANTS)
    elif price.drug.code == HERBAL_CANNABIS:
        drugs |= Q(drug__code=CANNABIS_PLANTS)
    return SeizureItem.objects.filter(
        (drugs & dated) | Q(price=price) | Q(plant_yield=price), seizure__withdrawn_at__isnull=True
    )


@transaction.atomic
def reprice_job_start(*, price, user):
    """Queue a job to re-price the items `price` affects; the task starts once this commits."""
    from .tasks import reprice_items

    total = affected_items(price).count()
    job = RepriceJob.objects.create(price=price, requested_by=user, total=total)
    transaction.on_commit(lambda: _enqueue(job.pk, reprice_items))
    return job


def _enqueue(job_id, task):
    result = task.delay(job_id)
    RepriceJob.objects.filter(pk=job_id, task_id="").update(task_id=result.id or "")


def reprice_job_run(job_id):
    """Run a queued job (compare-and-swap: a job already taken is left to its runner): value
    each affected item again in chunks, each chunk one transaction with its progress."""
    if not RepriceJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    ):
        return
    job = RepriceJob.objects.select_related("price__drug", "requested_by").get(pk=job_id)
    try:
        ids = list(affected_items(job.price).order_by("pk").values_list("pk", flat=True))
        RepriceJob.objects.filter(pk=job_id).update(total=len(ids), done=0)
        drugs = Drug.objects.filter(Q(pk=job.price.drug_id) | Q(code__in=[CANNABIS_PLANTS, HERBAL_CANNABIS]))
        book = PriceBook.load(drugs.values_list("pk", flat=True))
        locks = LockBook()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            with transaction.atomic():
                changed, held = _reprice_chunk(chunk, book, job, locks)
                RepriceJob.objects.filter(pk=job_id).update(
                    done=F("done") + len(chunk), changed=F("changed") + changed, held=F("held") + held
                )
    except Exception as error:
        logger.exception("Re-pricing job %s failed", job_id)
        RepriceJob.objects.filter(pk=job_id).update(
            status=Status.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"
        )
        return
    RepriceJob.objects.filter(pk=job_id).update(status=Status.DONE, finished_at=timezone.now())


def _reprice_chunk(ids, book, job, locks):
    """Re-price the items of `ids`: (items changed, items held at their published value)."""
    from .services import reprice_item

    items = (
        SeizureItem.objects.filter(pk__in=ids)
        .select_related("seizure", "drug")
        .select_for_update(of=("self",))
    )
    changed, held, counted = 0, 0, []
    action = f"Re-priced by job {job.pk}"
    for item in items:
        cells = dated_in(item.seizure)
        if locks.refusal_for(cells):
            held += 1
            continue
        before = counted_on(item.seizure)
        if reprice_item(item, book, item.seizure, user=job.requested_by, reason=action):
            changed += 1
            counted.append(before)
            locks.note(item.seizure, cells, action)
    mark_counted(*counted)
    locks.record(user=job.requested_by)
    return changed, held


def reprice_job_progress(job):
    """{"status", "status_label", "done", "total", "percent", "finished", "message"}: what the
    progress page shows and polls (the import pages' progress bar reads the same keys)."""
    if job.status == Status.DONE:
        message = f"{_items(job.total)} checked: {job.changed:,} changed value"
        if job.held:
            message += (
                f"; {job.held:,} dated in published figures kept their published value "
                "(reopen the quarter and run the re-pricing again to change them)"
            )
    elif job.status == Status.FAILED:
        message = f"Stopped after {job.done:,} of {_items(job.total)}: {job.error}"
    elif job.status == Status.QUEUED:
        message = f"{_items(job.total)} to check: waiting for the worker"
    else:
        message = f"{job.done:,} of {_items(job.total)} ({job.percent}%): {job.changed:,} changed so far"
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.total if job.status == Status.DONE else job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "message": message,
    }


def _items(count):
    return f"{count:,} item{pluralize(count)}"

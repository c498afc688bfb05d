"""Generations: numbers in the shared cache that change whenever what they stand for changes, so
that anything cached under a key holding them is never served stale — the key moves on instead.

Every process of a deployment shares the cache (CACHE_URL), so a change saved in one is seen by
all at their next request. A generation the cache has lost (evicted, or the cache restarted)
starts again from the clock, never from a number an older entry may still be keyed by.

`rows:<app_label.model>` is kept for every model: any save or change of a many-to-many relation
through the ORM advances it, and a delete of the rows named in DELETES_HEARD (the receivers
below). Bulk writes send no signals: what writes rows that are shown as choices or labels in bulk
advances the generation itself."""

import functools
import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from .requestmemo import request_memo

PREFIX = "generation:"
EVERYTHING = "everything"


def _key(name):
    return PREFIX + name


def _fresh():
    return time.time_ns()


def stamp(*names):
    """One string for a cache key that changes whenever any of `names` (or everything) is
    advanced: their generations, read in one round trip — within a request, once for the
    whole request (every generation this process has used read together)."""
    keys = [_key(name) for name in (EVERYTHING, *names)]
    found = _generations(keys)
    return "-".join(str(found[key]) for key in keys)


_MEMO = "core.generations"
_used = set()  # every generation key this process has read: read together in each request


def _generations(keys):
    memo = request_memo()
    if memo is None:
        return _read(keys)
    known = memo.setdefault(_MEMO, {})
    missing = [key for key in keys if key not in known]
    if missing:
        known.update(_read({*missing, *(_used - known.keys())}))
    return known


def _read(keys):
    keys = list(keys)
    _used.update(keys)
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, _fresh(), timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return {key: found.get(key, 0) for key in keys}


def advance(*names):
    """Move `names` on: now, so that the writing request reads what it wrote, and again when its
    transaction commits, since until then another process reads the rows as they were and may
    cache them under the number moved on to now."""
    _advance(names)
    if not transaction.get_connection().in_atomic_block:
        return
    for name in names:
        on_commit_once(f"advance:{name}", functools.partial(_advance, (name,)))


def on_commit_once(key, function):
    """Call `function` when the current transaction commits, once however often this is asked
    within it (a form saving twenty targets moves their generation on once); at once outside a
    transaction, as `transaction.on_commit` does. A rolled-back transaction forgets it."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        function()
        return
    if _pending({key}):
        return
    hook = functools.partial(function)
    hook.once_key = key
    transaction.on_commit(hook)


def _advance(names):
    known = (request_memo() or {}).get(_MEMO, {})
    for name in names:
        key = _key(name)
        known.pop(key, None)  # read afresh by the rest of this request
        try:
            cache.incr(key)
        except ValueError:  # not in the cache: any new number will do, as long as it is new
            cache.set(key, _fresh(), timeout=None)


def rows_of(model):
    return f"rows:{model._meta.label_lower}"


def models_of(model):
    """The model and those it points at, whose rows its labels may show (an area names its force)."""
    related = [
        field.related_model
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is not None
    ]
    return [model, *related]


def rows_names(*models):
    return sorted({rows_of(related) for model in models for related in models_of(model)})


def rows_stamp(*models):
    """A stamp of these models' rows and of the rows they point at."""
    return stamp(*rows_names(*models))


def changing(*names):
    """True while the current transaction has changed what `names` stand for and not yet
    committed: what it reads of them is its own and may still be rolled back, so it is neither
    taken from the cache nor kept there."""
    return _pending({f"advance:{name}" for name in names})


def _pending(keys):
    """Whether a hook of `on_commit_once` under one of `keys` waits for this transaction's commit.
    The hooks still to run are the connection's: a rollback drops ours with them."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(
        getattr(hook, "once_key", None) in keys for _, hook, _ in connection.run_on_commit
    )


@receiver(post_save, dispatch_uid="core.generations.saved")
def _rows_changed(sender, **kwargs):
    advance(rows_of(sender))


# Deletes are heard for these apps' and models' rows only — the rows kept in the cache or shown
# as choices and labels. A receiver of every model's deletes would stop Django deleting any rows
# in bulk (QuerySet.delete then reads and signals each row), as the rollup deletes and writes
# again hundreds of thousands of facts. The service withdraws its records rather than delete them.
DELETES_HEARD = (
    "auth",
    "accounts",
    "geography",
    "core.jobrequest",
    "seizures.drug",
    "seizures.sizeband",
    "seizures.streetprice",
    "seizures.warrant",
    "seizures.site",
    "seizures.seizure",
    "seizures.seizureitem",
    "strategy.strategy",
    "strategy.goal",
    "strategy.indicator",
    "strategy.target",
    "strategy.aggregationrun",
    "strategy.quartersignoff",
    "strategy.signoffevent",
)


def hear_deletes():
    """Connect the delete receiver to DELETES_HEARD (called once the apps are loaded)."""
    for name in DELETES_HEARD:
        if "." in name:
            models = [apps.get_model(name)]
        else:
            models = apps.get_app_config(name).get_models(include_auto_created=True)
        for model in models:
            post_delete.connect(
                _rows_changed, sender=model, dispatch_uid=f"core.generations.deleted.{rows_of(model)}"
            )


@receiver(m2m_changed, dispatch_uid="core.generations.related")
def _relation_changed(sender, instance, action, model, **kwargs):
    if action.startswith("post_"):
        advance(rows_of(sender), rows_of(type(instance)), rows_of(model))


@receiver(post_migrate, dispatch_uid="core.generations.migrated")
def _migrated(sender, **kwargs):
    # A data migration writes through historical models, whose signals name no real model.
    advance_everything()


def advance_everything():
    """Every generation at once: after a migration, or a restore from backup."""
    advance(EVERYTHING)


KEPT_SECONDS = 60 * 60


def kept_until_changed(models, compute, *key_parts, timeout=KEPT_SECONDS):
    """`compute()`, kept in the cache until a row of `models` (or a row they point at) changes.
    For reads every page makes of a few rows that rarely change — the strategy in force, the
    latest runs, a period's sign-offs — asked for with `key_parts`."""
    names = rows_names(*models)
    if changing(*names):
        return compute()
    key = _kept_key(names, key_parts)
    prefetched = (request_memo() or {}).get(_PREFETCHED, {})
    kept = prefetched[key] if key in prefetched else cache.get(key)
    if kept is None:
        kept = (compute(),)  # a tuple, so that a computed None is kept too
        cache.set(key, kept, timeout)
    return kept[0]


_PREFETCHED = "core.generations.prefetched"


def _kept_key(names, key_parts):
    return ":".join(["kept", *(str(part) for part in key_parts), stamp(*names)])


def prefetch_kept(*wanted):
    """Read several `kept_until_changed` values in one round trip, for this request: `wanted` is
    (models, *key_parts) as each will be asked for. What is found is taken from here when asked;
    what is not is computed then, as before."""
    memo = request_memo()
    if memo is None:
        return
    keys = []
    for models, *key_parts in wanted:
        names = rows_names(*models)
        if not changing(*names):
            keys.append(_kept_key(names, key_parts))
    found = cache.get_many(keys)
    memo.setdefault(_PREFETCHED, {}).update({key: found.get(key) for key in keys})

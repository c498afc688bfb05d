"""Writing many new records at once, with the history django-simple-history would record.

On PostgreSQL new rows go in with COPY (ids taken from the table's own sequence first, so the
objects know them) and their "created" history rows with one INSERT … SELECT from what was
stored; elsewhere (SQLite in development) simple-history's own bulk_create_with_history. An
import of 100,000 rows spent most of its time building INSERT statements and history objects
in Python; COPY leaves the work to the database.

The objects must already be valid (full_clean): the database's constraints and foreign keys
still guard the write, but nothing here calls save() or sends signals.
"""

from operator import attrgetter

from django.db import connection, models
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter
from simple_history.utils import bulk_create_with_history

# Fields whose Python value psycopg adapts exactly as Django would prepare it on PostgreSQL.
# Any other kind of field (JSON, custom fields) is prepared by the field itself.
ADAPTED_AS_IS = (
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
)


def create_with_history(model, objects, *, user):
    """Insert `objects` (unsaved instances of `model`, pk unset) and record each one's creation
    by `user` in the model's history. Sets each object's pk."""
    objects = list(objects)
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return bulk_create_with_history(objects, model, batch_size=500, default_user=user)
    ids = _take_ids(model, objects)
    _copy(model, objects)
    _record_created(model, ids, user)
    return objects


def _take_ids(model, objects):
    """Ids from the table's own sequence, one per object, as a save() would take them."""
    pk, alias = model._meta.pk, connection.alias
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
        (sequence,) = cursor.fetchone()
        # The sequence resolved once: nextval(pg_get_serial_sequence(…)) resolves it per row.
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(objects)])
        ids = [row[0] for row in cursor.fetchall()]
    for obj, new_id in zip(objects, ids, strict=True):
        setattr(obj, pk.attname, new_id)
        obj._state.adding = False
        obj._state.db = alias
    return ids


def _copy(model, objects):
    fields = model._meta.concrete_fields
    read = attrgetter(*(field.attname for field in fields))
    # Fields whose stored value is not simply the attribute: filled on save (auto_now…) or
    # prepared by the field itself (JSON, custom fields). Usually none.
    special = [
        (position, field)
        for position, field in enumerate(fields)
        if type(field) not in ADAPTED_AS_IS
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        # Rows are formatted here while the server ingests the previous buffer.
        writer = QueuedLibpqWriter(cursor.cursor)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN", writer=writer) as copy:
            for obj in objects:
                row = read(obj)
                if special:
                    row = list(row)
                    for position, field in special:
                        row[position] = field.get_db_prep_save(field.pre_save(obj, True), connection)
                copy.write_row(row)


def _record_created(model, ids, user):
    """One history row per new record, copied from what was stored, as simple-history records
    a creation ("+")."""
    history = model.history.model
    quote = connection.ops.quote_name
    source = {field.attname: field.column for field in model._meta.concrete_fields}
    stamp = {
        "history_date": timezone.now(),
        "history_type": "+",
        "history_user_id": user.pk if user else None,
        "history_change_reason": None,
    }
    targets, selected, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.attname == "history_id":
            continue  # the history table's own identity
        targets.append(quote(field.column))
        if field.attname in stamp:
            selected.append("%s")
            params.append(stamp[field.attname])
        else:
            selected.append(quote(source[field.attname]))
    pk = quote(model._meta.pk.column)
    if ids[-1] - ids[0] + 1 == len(ids):
        # One unbroken run (no other writer took ids meanwhile): every id in it is one of ours.
        which, params = f"{pk} BETWEEN %s AND %s", [*params, ids[0], ids[-1]]
    else:
        which, params = f"{pk} = ANY(%s)", [*params, ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(targets)}) "
            f"SELECT {', '.join(selected)} FROM {quote(model._meta.db_table)} WHERE {which}",
            params,
        )

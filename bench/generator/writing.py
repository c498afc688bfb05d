"""The generator's tools: weighted choice, ids assigned ahead of the rows, and writing rows by
COPY (PostgreSQL) or INSERT (SQLite)."""

import datetime
import functools
import math
from bisect import bisect
from decimal import Decimal
from itertools import accumulate

from django.db import connection
from django.db.models import JSONField, Max
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from seizures.models.units import MAX_QUANTITY


class Picker:
    """Weighted choice with a precomputed cumulative table (random.choices is slower per call)."""

    def __init__(self, weights):
        self.values = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def __call__(self, rng):
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class IdSequence:
    """Ids handed out here, continuing after the largest already stored."""

    def __init__(self, model):
        self.model = model
        self.last = model.objects.aggregate(last=Max("pk"))["last"] or 0

    def next(self):
        self.last += 1
        return self.last


class RowWriter:
    """COPY on PostgreSQL, executemany INSERT elsewhere; rows are tuples in `columns` order."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def write(self, model, columns, rows):
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                # Rows are formatted here while the server ingests the previous buffer.
                writer = QueuedLibpqWriter(cursor.cursor)
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN", writer=writer) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    [self._prepared(model, columns, row) for row in rows],
                )

    @staticmethod
    def _prepared(model, columns, row):
        """Values as the model's fields store them (UUIDs as text on SQLite); JSON arrives encoded."""
        fields = [model._meta.get_field(column.removesuffix("_id")) for column in columns]
        return [
            value
            if value is None or isinstance(field, JSONField)
            else field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row, strict=True)
        ]

    def finish(self, models):
        """Move each id sequence past the ids given out here, and refresh the planner's statistics."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f"GREATEST((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 1))",
                    [table],
                )


@functools.cache
def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def lognormal_quantity(rng, median, sigma, places, unit):
    value = median * math.exp(rng.gauss(0, sigma))
    smallest = Decimal(1).scaleb(-places)
    quantity = max(Decimal(str(round(value, places))), smallest)
    return min(quantity, MAX_QUANTITY[unit])

"""A median aggregate for the rollup's per-month, per-district cells, on PostgreSQL and SQLite."""

import statistics

from django.db.models import Aggregate, FloatField


class Median(Aggregate):
    function = "MEDIAN"  # SQLite: the Python aggregate registered by register_sqlite_median
    name = "Median"
    output_field = FloatField()
    allow_distinct = False

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %(expressions)s)",
            **extra_context,
        )


class _SqliteMedian:
    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return float(statistics.median(self.values)) if self.values else None


def register_sqlite_median(sender, connection, **kwargs):
    """connection_created receiver: SQLite has no median of its own."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("MEDIAN", 1, _SqliteMedian)

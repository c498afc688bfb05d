"""What every list's table shares."""

import django_tables2 as tables
from django.db.models import QuerySet


class StableTable(tables.Table):
    """A table whose rows come in one order, always: records equal in the column sorted on
    (seizures of one day) are ordered by id after it. Without that, the database may return
    ties in any order — two pages could show one record twice and skip another, and a
    download could list them otherwise than the page."""

    @tables.Table.order_by.setter
    def order_by(self, value):
        tables.Table.order_by.fset(self, value)
        data = getattr(self.data, "data", None)
        if isinstance(data, QuerySet) and data.query.order_by and "pk" not in data.query.order_by:
            self.data.data = data.order_by(*data.query.order_by, "pk")

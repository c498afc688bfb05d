"""__in_array finds what __in finds, whatever the database; on PostgreSQL with one parameter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geography.models import Area

pytestmark = pytest.mark.django_db


def test_it_finds_exactly_what_in_finds():
    names = ["Rugby", "Worcester", "Nowhere", None]

    found = set(Area.objects.filter(name__in_array=names).values_list("name", flat=True))

    assert found == set(Area.objects.filter(name__in=names).values_list("name", flat=True))
    assert found == {"Rugby", "Worcester"}


def test_no_values_find_nothing():
    assert not Area.objects.filter(name__in_array=[]).exists()
    assert not Area.objects.filter(name__in_array=[None]).exists()


def test_many_values_are_bound_as_one_parameter_on_postgresql():
    names = [f"Area {number}" for number in range(5000)] + ["Rugby"]

    with CaptureQueriesContext(connection) as captured:
        found = list(Area.objects.filter(name__in_array=names).values_list("name", flat=True))

    assert found == ["Rugby"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in captured.captured_queries[0]["sql"]

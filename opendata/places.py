"""Placing police.uk searches in districts through the map points of street crime.

A search file may arrive before or after the street files of its months, so a search is
placed both ways: when its file is imported (with the points known then), and when a street
file brings new points (every search still unplaced at one of them is placed, and its month
marked for the rollup). A point keeps the first LSOA seen for it: police.uk's points each lie
in one LSOA, and the alliance's four months agree on every one of their 15,510 points.
"""

from decimal import Decimal, InvalidOperation

from django.utils import timezone

from core.metrics import counted_on, mark_counted
from geography.models import Lsoa

from .models import MapPoint, StopSearch


def point_of(latitude, longitude):
    """(latitude, longitude) as stored (6 places), or None when either is blank or not a number."""
    try:
        point = (Decimal(str(latitude).strip()), Decimal(str(longitude).strip()))
    except (InvalidOperation, ValueError):
        return None
    if not all(value.is_finite() for value in point):
        return None
    return tuple(value.quantize(Decimal("0.000001")) for value in point)


def district_of_lsoa():
    """LSOA code -> district id, for the LSOAs loaded (those of configured districts)."""
    return dict(Lsoa.objects.values_list("code", "area_id"))


class KnownPoints:
    """The stored points around a file's coordinates, loaded in one query: point -> district id."""

    def __init__(self, points):
        points = [point for point in points if point]
        self._districts = {}
        if not points:
            return
        latitudes = [latitude for latitude, _ in points]
        longitudes = [longitude for _, longitude in points]
        # A bounding box rather than a list of points: one query of four parameters, whatever
        # the file's size (a list would pass the database's limit on parameters).
        stored = MapPoint.objects.filter(
            latitude__range=(min(latitudes), max(latitudes)),
            longitude__range=(min(longitudes), max(longitudes)),
        ).values_list("latitude", "longitude", "lsoa_code")
        lsoas = district_of_lsoa()
        for latitude, longitude, code in stored:
            area_id = lsoas.get(code)
            if area_id is not None:
                self._districts[(latitude, longitude)] = area_id

    def district(self, point):
        return self._districts.get(point) if point else None


def stamp(*batches):
    """Mark rows about to be written as changed now (`changed_at`): bulk writes set no field."""
    now = timezone.now()
    for rows in batches:
        for row in rows:
            row.changed_at = now


def points_store(points):
    """Keep the points of a street file ({point: LSOA code}); those already known stay as they are."""
    MapPoint.objects.bulk_create(
        [MapPoint(latitude=lat, longitude=lon, lsoa_code=code) for (lat, lon), code in points.items()],
        batch_size=1000,
        ignore_conflicts=True,
    )


def searches_place(points):
    """Place the searches still without a district at any of `points` ({point: LSOA code}).
    Returns how many were placed."""
    if not points:
        return 0
    lsoas = district_of_lsoa()
    latitudes = [latitude for latitude, _ in points]
    longitudes = [longitude for _, longitude in points]
    unplaced = StopSearch.objects.filter(
        area__isnull=True,
        latitude__range=(min(latitudes), max(latitudes)),
        longitude__range=(min(longitudes), max(longitudes)),
    )
    placed = []
    for search in unplaced.only("pk", "latitude", "longitude", "month"):
        area_id = lsoas.get(points.get((search.latitude, search.longitude)))
        if area_id is not None:
            search.area_id = area_id
            placed.append(search)
    stamp(placed)
    StopSearch.objects.bulk_update(placed, ["area", "changed_at"], batch_size=1000)
    mark_counted(*(counted_on(search) for search in placed))
    return len(placed)

"""District outlines for maps drawn in the browser, from the ONS boundary shapefile.

The ONS publishes district boundaries in British National Grid (EPSG:27700); web maps want
longitude and latitude (WGS 84, EPSG:4326). The outlines are converted here, once, with pyshp
(reading the shapefile) and pyproj (the transformation), and written as a small GeoJSON file
the map pages load from the site itself: no tile server, nothing fetched from elsewhere.

The "ultra-generalised" (BUC) boundaries are already simplified by the ONS to about 500 m, so the
only further simplification is rounding coordinates to 4 decimal places (about 10 m) and dropping
the points that rounding makes repeat: the alliance's 14 districts come to about 20 KB.
"""

import json
from pathlib import Path

import shapefile
from pyproj import Transformer

BRITISH_NATIONAL_GRID = 27700
WGS84 = 4326
DECIMALS = 4
MAP_FILE = Path(__file__).parent / "static" / "geography" / "alliance-districts.geojson"


class BoundaryError(Exception):
    """A shapefile that cannot be read or lacks a district asked for."""


def districts_geojson(shapefile_path, codes):
    """A GeoJSON FeatureCollection of the districts with ONS `codes` (properties: code, name),
    in longitude/latitude, ordered by code."""
    path = str(shapefile_path).removesuffix(".shp")
    try:
        reader = shapefile.Reader(path)
    except (shapefile.ShapefileException, OSError) as unreadable:
        raise BoundaryError(f"Cannot read the shapefile {path}: {unreadable}") from None
    with reader:
        fields = [field.name for field in reader.fields[1:]]
        if "lad19cd" not in fields:
            raise BoundaryError(f"{path} has no district code field (lad19cd)")
        to_lonlat = Transformer.from_crs(BRITISH_NATIONAL_GRID, WGS84, always_xy=True)
        wanted, features = set(codes), {}
        for shape_record in reader.iterShapeRecords():
            record = shape_record.record.as_dict()
            if record["lad19cd"] in wanted:
                features[record["lad19cd"]] = {
                    "type": "Feature",
                    "id": record["lad19cd"],
                    "properties": {"code": record["lad19cd"], "name": record["lad19nm"]},
                    "geometry": _geometry(shape_record.shape, to_lonlat),
                }
    missing = sorted(wanted - set(features))
    if missing:
        raise BoundaryError(f"The shapefile has no district {', '.join(missing)}")
    return {"type": "FeatureCollection", "features": [features[code] for code in sorted(features)]}


def _geometry(shape, to_lonlat):
    """The shape's rings as a (Multi)Polygon: pyshp gives each ring as a part, outer rings
    clockwise and holes anticlockwise (the shapefile convention). They are kept so: the map's
    d3-geo takes an anticlockwise outer ring on the sphere as everything outside it (RFC 7946's
    anticlockwise rule is for planar tools)."""
    parts = list(shape.parts) + [len(shape.points)]
    polygons = []
    for start, end in zip(parts, parts[1:], strict=False):
        ring = _ring(shape.points[start:end], to_lonlat)
        if _clockwise(shape.points[start:end]):  # an outer ring: a new polygon
            polygons.append([ring])
        elif polygons:
            polygons[-1].append(ring)
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _ring(points, to_lonlat):
    xs, ys = zip(*points, strict=True)
    lons, lats = to_lonlat.transform(xs, ys)
    ring = []
    for lon, lat in zip(lons, lats, strict=True):
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not ring or ring[-1] != point:
            ring.append(point)
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def _clockwise(points):
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False))
    return area < 0


def write_map(collection, path=MAP_FILE):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path

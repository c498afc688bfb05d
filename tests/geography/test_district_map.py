"""The district map's outlines: converted from the ONS shapefile by the project's own command."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from geography.boundaries import MAP_FILE
from geography.models import Area

SHAPEFILE = (
    Path(settings.BASE_DIR).parent / "shared" / "data" / "ons" / "boundaries"
    / "Local_Authority_Districts_December_2019_Boundaries_UK_BUC.shp"
)  # fmt: skip


@pytest.mark.django_db
def test_the_committed_map_is_what_the_command_makes(tmp_path):
    output = tmp_path / "districts.geojson"
    call_command("build_district_map", shapefile=SHAPEFILE, output=output)
    assert output.read_text() == MAP_FILE.read_text()


def test_the_map_holds_the_alliance_districts_in_longitude_and_latitude():
    collection = json.loads(MAP_FILE.read_text())
    codes = {feature["properties"]["code"] for feature in collection["features"]}
    assert len(codes) == 14
    assert {"E07000218", "E06000019", "E07000239"} <= codes
    north_warwickshire = next(f for f in collection["features"] if f["id"] == "E07000218")
    first = north_warwickshire["geometry"]["coordinates"][0][0]
    assert first == pytest.approx([-1.590, 52.687], abs=0.001)
    # Small enough to send with a page: the ultra-generalised outlines, rounded to about 10 m.
    assert MAP_FILE.stat().st_size < 40_000


@pytest.mark.django_db
def test_by_default_the_map_is_of_the_configured_alliance_districts(tmp_path):
    output = tmp_path / "districts.geojson"
    call_command("build_district_map", shapefile=SHAPEFILE, output=output)
    codes = {feature["id"] for feature in json.loads(output.read_text())["features"]}
    assert codes == set(Area.objects.in_alliance().values_list("ons_code", flat=True))


@pytest.mark.django_db
def test_a_district_the_shapefile_lacks_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no district S99999999"):
        call_command("build_district_map", shapefile=SHAPEFILE, output=tmp_path / "x.geojson",
                     codes=["E07000218", "S99999999"])  # fmt: skip


@pytest.mark.django_db
def test_a_missing_shapefile_is_refused_with_its_name(tmp_path):
    with pytest.raises(CommandError, match="Cannot read the shapefile"):
        call_command("build_district_map", shapefile=tmp_path / "nothing.shp", output=tmp_path / "x.geojson")

"""Convert the alliance's district outlines from the ONS shapefile into the map's GeoJSON."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geography.boundaries import MAP_FILE, BoundaryError, districts_geojson, write_map
from geography.models import Area

SHAPEFILE = (
    Path(settings.BASE_DIR).parent / "shared" / "data" / "ons" / "boundaries"
    / "Local_Authority_Districts_December_2019_Boundaries_UK_BUC.shp"
)  # fmt: skip


class Command(BaseCommand):
    help = (
        "Write the outlines of the alliance's districts, in longitude and latitude, to the GeoJSON "
        "file the district maps draw (geography/static/geography/alliance-districts.geojson), from "
        "the ONS district boundaries shapefile (British National Grid). Run it after a change of "
        "the alliance's districts; the file is kept with the code."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--shapefile", metavar="FILE", default=SHAPEFILE if SHAPEFILE.is_file() else None,
            help="The ONS Local_Authority_Districts_…_BUC.shp (its .dbf, .shx beside it)",
        )  # fmt: skip
        parser.add_argument("--output", metavar="FILE", default=MAP_FILE, help="Where to write the GeoJSON")
        parser.add_argument(
            "--district", metavar="ONS_CODE", action="append", dest="codes",
            help="A district to include (repeatable); by default the alliance's districts",
        )  # fmt: skip

    def handle(self, *args, shapefile, output, codes, **options):
        if not shapefile:
            raise CommandError("Give the ONS district boundaries with --shapefile FILE")
        codes = codes or list(Area.objects.in_alliance().values_list("ons_code", flat=True))
        if not codes:
            raise CommandError("No alliance districts are configured")
        try:
            collection = districts_geojson(shapefile, codes)
        except BoundaryError as problem:
            raise CommandError(str(problem)) from None
        path = write_map(collection, output)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(collection['features'])} districts written to {path.name} "
                f"({path.stat().st_size / 1024:.0f} KB)"
            )
        )

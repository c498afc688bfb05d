"""Load the ONS mid-year population estimates of every district of England and Wales."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geography.populations import ESTIMATE_YEAR, districts_from_ons, populations_load
from geography.populations import write_extract as write_extract_file
from geography.services import OnsLookupError

SHARED_ONS = Path(settings.BASE_DIR).parent / "shared" / "data" / "ons"
POPULATION_NAME = "population/la_population_mid2018_lad19.csv"
LOOKUP_NAME = "lad19-csp19-pfa19.csv"


def _shared(name):
    path = SHARED_ONS / name
    return path if path.is_file() else None


class Command(BaseCommand):
    help = (
        "Load the ONS mid-year resident population of every district of England and Wales, with "
        "the community safety partnership and police force area it lies in (summed up to those): "
        "the residents that figures per 1,000 residents divide by. Replaces the year's estimates; "
        "safe to repeat. A new installation has the mid-2018 estimates already (a migration)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--population", metavar="FILE", default=_shared(POPULATION_NAME),
            help="ONS estimates by district, columns area_codes and all_ages "
            "(la_population_mid2018_lad19.csv); by default the shared data folder's",
        )  # fmt: skip
        parser.add_argument(
            "--lookup", metavar="FILE", default=_shared(LOOKUP_NAME),
            help=f"ONS lookup of districts, partnerships and force areas ({LOOKUP_NAME})",
        )  # fmt: skip
        parser.add_argument("--year", type=int, default=ESTIMATE_YEAR, help="The estimate's year (mid-year)")
        parser.add_argument(
            "--write-extract", action="store_true",
            help="Also rewrite the copy the migration loads (geography/data/), for a release",
        )  # fmt: skip

    def handle(self, *args, population, lookup, year, write_extract: bool, **options):
        if not population or not lookup:
            raise CommandError("Give the estimates with --population FILE and the lookup with --lookup FILE")
        try:
            districts = districts_from_ons(population_path=population, lookup_path=lookup)
        except OnsLookupError as problem:
            raise CommandError(str(problem)) from None
        loaded = populations_load(districts, year=year)
        if write_extract:
            write_extract_file(districts)
        self.stdout.write(
            self.style.SUCCESS(
                f"Mid-{year} populations loaded: {loaded[0]} districts, {loaded[1]} community safety "
                f"partnerships, {loaded[2]} police force areas; England and Wales "
                f"{sum(row['population'] for row in districts):,} residents."
            )
        )

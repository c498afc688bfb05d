"""Load the ONS LSOA (2011) -> local authority district lookup for the configured districts."""

from django.core.management.base import BaseCommand, CommandError

from geography.services import OnsLookupError, lsoa_lookup_load


class Command(BaseCommand):
    help = (
        "Load LSOA -> district from the ONS lookup (LSOA11CD, LSOA11NM, LAD19CD columns, such as "
        "'lsoa11-lad19-england.csv'), keeping only the LSOAs of districts configured here. "
        "Safe to run again: existing LSOAs are updated, none are duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The ONS lookup CSV")

    def handle(self, *args, file, **options):
        try:
            created, updated = lsoa_lookup_load(file)
        except OnsLookupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"LSOAs: {created} added, {updated} updated"))

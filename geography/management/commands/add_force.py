"""Add a police force, its community safety partnerships and districts from the ONS lookup."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from geography.services import OnsLookupError, force_add_from_ons, lsoa_lookup_load

LOOKUP_NAME = "lad19-csp19-pfa19.csv"


def default_lookup():
    """The ONS lookup in the shared data folder beside the project, where there is one."""
    path = Path(settings.BASE_DIR).parent / "shared" / "data" / "ons" / LOOKUP_NAME
    return path if path.is_file() else None


class Command(BaseCommand):
    help = (
        "Add a police force with its community safety partnerships and districts, as the ONS "
        f"lookup of districts, partnerships and police force areas ({LOOKUP_NAME}) lists them. "
        "With --context the force is for comparison only (police.uk data, say): never in the "
        "alliance, so not offered in recording forms or among the dashboards' forces. "
        "Safe to run again: what is configured already is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "ons_code",
            metavar="ONS_CODE",
            help="The police force area's ONS code: E23000010 for West Yorkshire (W15… in Wales)",
        )
        parser.add_argument(
            "--context",
            action="store_true",
            help="A force outside the alliance, shown for comparison. Without it: an alliance force.",
        )
        parser.add_argument(
            "--lookup",
            metavar="FILE",
            default=default_lookup(),
            help=f"The ONS lookup ({LOOKUP_NAME}); by default the one in the shared data folder "
            "beside the project, where there is one",
        )
        parser.add_argument(
            "--lsoas",
            metavar="FILE",
            help="Also load the LSOAs of the districts from the ONS LSOA lookup "
            "(lsoa11-lad19-england.csv), so police.uk rows are placed in them",
        )

    def handle(self, *args, ons_code, context, lookup, lsoas, **options):
        if lookup is None:
            raise CommandError(f"Give the ONS lookup with --lookup FILE ({LOOKUP_NAME})")
        try:
            with transaction.atomic():  # a bad LSOA file leaves no force half configured either
                added = force_add_from_ons(lookup=lookup, ons_code=ons_code.strip().upper(), context=context)
                loaded = lsoa_lookup_load(lsoas) if lsoas else None
        except OnsLookupError as error:
            raise CommandError(str(error)) from error
        force = added.force
        side = "a context force" if context else "an alliance force"
        self.stdout.write(
            self.style.SUCCESS(
                f"{force} ({force.ons_code}) {'added as' if added.force_created else 'is already'} {side}: "
                f"{added.partnerships_added} of {added.partnerships} partnerships and "
                f"{added.districts_added} of {added.districts} districts added"
            )
        )
        if loaded is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"LSOAs of the configured districts: {loaded[0]} added, {loaded[1]} updated"
                )
            )

"""Load the national figures the alliance is compared with, from the published files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opendata import national

SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"


def _shared(relative):
    path = SHARED / relative
    return path if path.exists() else None


class Command(BaseCommand):
    help = (
        "Load the Home Office seizure tables by force (counts/SeizuresYY-YY.csv) and the ONS "
        "police recorded crime tables by community safety partnership (the 'Police force area "
        "tables' workbook: drug offences from tables C2 and C5, the population from C4), which the "
        "comparison pages set the alliance against. Replaces what is stored; safe to repeat. A new "
        "installation has them already (a migration loads the extracts kept in opendata/data/)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seizures", metavar="FOLDER", default=_shared("home-office/seizures-by-force/counts"),
            help="The folder of the Home Office SeizuresYY-YY.csv files",
        )  # fmt: skip
        parser.add_argument(
            "--recorded-crime", metavar="FILE",
            default=_shared("ons/recorded-crime/policeforceareatablesyedecember2024.xlsx"),
            help="The ONS 'Police force area tables' workbook (.xlsx)",
        )  # fmt: skip
        parser.add_argument(
            "--write-extracts", action="store_true",
            help="Also rewrite the extracts the migration loads (opendata/data/), for a release",
        )  # fmt: skip

    def handle(self, *args, seizures, recorded_crime, write_extracts, **options):
        if not seizures or not recorded_crime:
            raise CommandError("Give --seizures FOLDER and --recorded-crime FILE")
        try:
            seizure_rows = national.seizures_from_home_office(seizures)
            crime_rows = national.partnership_crime_from_ons(recorded_crime)
        except national.NationalFiguresError as problem:
            raise CommandError(str(problem)) from None
        loaded = national.national_figures_load(seizures=seizure_rows, crime=crime_rows)
        if write_extracts:
            national.write_extract(seizure_rows, national.SEIZURES_EXTRACT, national.SEIZURES_COLUMNS)
            national.write_extract(crime_rows, national.CRIME_EXTRACT, national.CRIME_COLUMNS)
        years = sorted({row["financial_year"] for row in seizure_rows})
        self.stdout.write(
            self.style.SUCCESS(
                f"Home Office seizures: {loaded[0]} force-years ({years[0]} to {years[-1]}); ONS drug "
                f"offences: {loaded[1]} partnership-years."
            )
        )

"""manage.py load_police_uk_months DIR: the alliance's police.uk files, as the import page would
import them one by one."""

import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from geography.models import Force, Lsoa
from imports import registry, services
from imports.models import ImportBatch
from imports.reading import FileRefused
from opendata.models import StopSearch

FILE_NAME = re.compile(r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|stop-and-search)\.csv")
RECORD_TYPES = {"street": "police-uk-street-crime", "stop-and-search": "police-uk-stop-search"}


class Command(BaseCommand):
    help = (
        "Import the alliance's police.uk files found in DIR, named as police.uk names them "
        "(2019-01-warwickshire-street.csv, 2019-01-west-mercia-stop-and-search.csv): street-level "
        "crime first, then stop and search, so that each search is placed in its district through "
        "a street crime at the same map point. Files of forces outside the alliance are left out. "
        "Each file is imported all or nothing and recorded on the Imports page under --user; a file "
        "imported before changes nothing. With --lsoa-lookup, the ONS LSOA -> district lookup is "
        "loaded first (without it, rows are placed only if the lookup was loaded before). Run "
        "rebuild_rollups afterwards to see the figures on the dashboards at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="A folder of police.uk CSV files")
        parser.add_argument("--user", required=True, help="Username the imports are recorded under")
        parser.add_argument(
            "--lsoa-lookup", metavar="FILE", help="The ONS LSOA (2011) -> district lookup CSV, loaded first"
        )

    def handle(self, *args, directory, user, lsoa_lookup, **options):
        folder = Path(directory)
        if not folder.is_dir():
            raise CommandError(f"No such folder: {directory}")
        try:
            importer_user = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {user!r}") from None
        if lsoa_lookup:
            call_command("load_lsoa_lookup", lsoa_lookup, stdout=self.stdout)
        if not Lsoa.objects.exists():
            self.stderr.write(
                "No LSOA lookup is loaded: crimes and searches are imported without districts. "
                "Give --lsoa-lookup FILE."
            )
        files = self._alliance_files(folder)
        if not files:
            raise CommandError(f"No police.uk file of an alliance force in {folder}")
        refused = []
        for path, kind, force in files:
            batch = self._import(path, kind, force, importer_user)
            if batch.status != ImportBatch.Status.DONE:
                refused.append(path.name)
        searches = StopSearch.objects.filter(force__in_alliance=True, latitude__isnull=False)
        self.stdout.write(
            f"Drug searches with coordinates placed in a district: "
            f"{searches.filter(area__isnull=False).count():,} of {searches.count():,}"
        )
        if refused:
            raise CommandError(f"Not imported: {', '.join(refused)} (see the Imports page)")

    def _alliance_files(self, folder):
        forces = {slugify(force.name): force for force in Force.objects.filter(in_alliance=True)}
        found = []
        for path in sorted(folder.glob("*.csv")):
            match = FILE_NAME.fullmatch(path.name)
            if match is None:
                continue
            force = forces.get(match["force"])
            if force is None:
                self.stdout.write(f"{path.name}: left out (not a file of an alliance force)")
                continue
            found.append((match["kind"] != "street", match["month"], path, match["kind"], force))
        # Street files first: their map points place the searches imported after them.
        return [(path, kind, force) for _, _, path, kind, force in sorted(found)]

    def _import(self, path, kind, force, user):
        importer = registry.get(RECORD_TYPES[kind])
        options = {"force": force.name} if kind == "stop-and-search" else {}
        with path.open("rb") as handle:
            try:
                batch = services.batch_upload(
                    user=user, importer=importer, file=handle, file_name=path.name, options=options,
                    enforce_size=False, schedule=False,
                )  # fmt: skip
            except FileRefused as refused:
                raise CommandError(f"{path.name}: {refused.message}") from refused
        batch = services.batch_preview(batch.pk)
        if services.batch_confirm(batch=batch, schedule=False):
            batch = services.batch_import(batch.pk)
        plural = importer.noun[1]
        if batch.status == ImportBatch.Status.DONE:
            self.stdout.write(
                f"{path.name}: {batch.created:,} {plural} created, {batch.updated:,} updated, "
                f"{batch.unchanged:,} unchanged ({batch.skipped:,} rows skipped)"
            )
        else:
            self.stderr.write(f"{path.name}: {batch.get_status_display().lower()}: {batch.error}")
        return batch

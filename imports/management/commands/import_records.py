"""manage.py import_records TYPE FILE: the page's import, from the command line."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from imports import engine, reading, registry, services
from imports.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file of one record type, all or nothing, as the import page does: the "
        "file is checked first and nothing is written if any row is invalid. With --dry-run, only "
        "report what would be created, updated, left unchanged, skipped or refused. The import is "
        "recorded on the Imports page under the --user given. Types: "
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help += ", ".join(sorted(registry.discover())) + "."
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("record_type", metavar="TYPE", help="What the file holds (see above)")
        parser.add_argument("file", metavar="FILE", help="A .csv (UTF-8) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="Check and count only; write nothing")
        parser.add_argument(
            "--user", help="Username the import is recorded under (required unless --dry-run)"
        )
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="An option the type asks for, e.g. --option force='West Mercia' for stop and search",
        )

    def handle(self, *args, record_type, file, dry_run, user, option, **kwargs):
        try:
            importer = registry.get(record_type)
        except KeyError:
            raise CommandError(
                f"Unknown TYPE {record_type!r}: choose one of {', '.join(sorted(registry.discover()))}"
            ) from None
        options = dict(part.split("=", 1) for part in option if "=" in part)
        missing = set(importer.option_fields()) - set(options)
        if missing:
            raise CommandError(
                f"{record_type} needs --option {', '.join(f'{name}=…' for name in sorted(missing))}"
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            if dry_run:
                self._dry_run(importer, path, options)
            else:
                self._import(importer, path, options, self._user(user))
        except reading.FileRefused as refused:
            raise CommandError(refused.message) from refused

    def _user(self, username):
        if not username:
            raise CommandError("Give --user USERNAME: every import is recorded with who made it")
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}") from None

    def _bar(self, description):
        bar = tqdm(desc=description, unit=" rows", file=self.stderr._out, leave=True)

        def advance(done, total):
            bar.total = total
            bar.update(done - bar.n)

        return bar, advance

    def _dry_run(self, importer, path, options):
        with path.open("rb") as handle:
            kind = services.check_file(
                handle, file_name=path.name, size=path.stat().st_size, enforce_size=False
            )
            table = reading.read_table(handle, kind, importer.columns)
        bar, advance = self._bar("Checking")
        result = engine.run(importer, table, user=None, options=options, write=False, progress=advance)
        bar.close()
        self._report(result, importer, "Would")
        if result.invalid:
            raise CommandError(f"{result.invalid} invalid record(s): the file would be refused")

    def _import(self, importer, path, options, user):
        with path.open("rb") as handle:
            batch = services.batch_upload(
                user=user, importer=importer, file=handle, file_name=path.name, options=options,
                enforce_size=False, schedule=False,
            )  # fmt: skip
        bar, advance = self._bar("Checking")
        batch = services.batch_preview(batch.pk, progress=advance)
        bar.close()
        if batch.status == ImportBatch.Status.REFUSED and batch.invalid:
            self._report(batch, importer, "Would")
            raise CommandError(
                f"{batch.invalid} invalid record(s): nothing was written (import {batch.pk}, refused)"
            )
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise CommandError(f"{batch.error} (import {batch.pk}, {batch.get_status_display().lower()})")
        services.batch_confirm(batch=batch, schedule=False)
        bar, advance = self._bar("Importing")
        batch = services.batch_import(batch.pk, progress=advance)
        bar.close()
        if batch.status != ImportBatch.Status.DONE:
            self._report(batch, importer, "Would")
            raise CommandError(batch.error)
        self._report(batch, importer, "")
        self.stdout.write(
            self.style.SUCCESS(f"Imported {path.name} (import {batch.pk}, SHA-256 {batch.checksum})")
        )

    def _report(self, result, importer, would):
        singular, plural = importer.noun
        verb = (lambda word: f"{would.lower()} be {word}") if would else (lambda word: word)
        self.stdout.write(f"{result.rows} rows")
        self.stdout.write(f"  {result.created} {plural} {verb('created')}")
        self.stdout.write(f"  {result.updated} {plural} {verb('updated')}")
        self.stdout.write(f"  {result.unchanged} {plural} unchanged")
        self.stdout.write(f"  {result.skipped} rows skipped")
        for reason, count in dict(result.skip_reasons).items():
            self.stdout.write(f"    {count}: {reason}")
        self.stdout.write(f"  {result.invalid} invalid {plural}")
        shown = 50
        for problem in result.row_errors[:shown]:
            self.stdout.write(f"    row {', '.join(map(str, problem['lines']))}:")
            for reason in problem.get("reasons") or [problem["reason"]]:
                self.stdout.write(f"      {reason}")
        if result.invalid > shown:
            self.stdout.write(f"    … and {result.invalid - shown} more (all listed on the import's page)")

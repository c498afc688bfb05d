"""Load the ONS LSOA (2011) -> local authority district lookup for the configured districts."""

import csv

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from geography.models import Area, Lsoa

COLUMNS = ("LSOA11CD", "LSOA11NM", "LAD19CD")


class Command(BaseCommand):
    help = (
        "Load LSOA -> district from the ONS lookup (LSOA11CD, LSOA11NM, LAD19CD columns, such as "
        "'lsoa11-lad19-england.csv'), keeping only the LSOAs of districts configured here. "
        "Safe to run again: existing LSOAs are updated, none are duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The ONS lookup CSV")

    def handle(self, *args, file, **options):
        created, updated = load_lsoa_lookup(file)
        self.stdout.write(self.style.SUCCESS(f"LSOAs: {created} added, {updated} updated"))


def load_lsoa_lookup(path):
    areas = {area.ons_code: area for area in Area.objects.all()}
    wanted = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in COLUMNS if name not in (reader.fieldnames or ())]
            if missing:
                raise CommandError(f"{path} lacks the column(s) {', '.join(missing)}")
            for row in reader:
                area = areas.get(row["LAD19CD"].strip())
                if area is not None:
                    wanted[row["LSOA11CD"].strip()] = (row["LSOA11NM"].strip(), area)
    except (OSError, UnicodeDecodeError) as unreadable:
        raise CommandError(f"Cannot read {path}: {unreadable}") from unreadable
    with transaction.atomic():
        existing = {lsoa.code: lsoa for lsoa in Lsoa.objects.filter(code__in=wanted)}
        new, changed = [], []
        for code, (name, area) in wanted.items():
            lsoa = existing.get(code)
            if lsoa is None:
                new.append(Lsoa(code=code, name=name, area=area))
            elif (lsoa.name, lsoa.area_id) != (name, area.pk):
                lsoa.name, lsoa.area = name, area
                changed.append(lsoa)
        Lsoa.objects.bulk_create(new, batch_size=1000)
        Lsoa.objects.bulk_update(changed, ["name", "area"], batch_size=1000)
    return len(new), len(changed)

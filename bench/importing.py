"""Figure 3: a seizure file through the import machinery against COPY of the same rows."""

import datetime
import time
from decimal import Decimal

from bench.harness import timed


def write_import_csv(path, rows, seed=11):
    """A seizure file in the import template's columns: one row per item, 1–3 items a seizure."""
    import csv
    import math
    import random

    from django.utils import timezone

    from bench.generator.profile import DRUGS, FORCE_WEIGHTS, ITEMS_PER_SEIZURE, PLACES
    from bench.generator.writing import Picker
    from geography.models import Area

    rng = random.Random(seed)
    areas = {
        name: list(Area.objects.filter(force__name=name).values_list("name", flat=True))
        for name in FORCE_WEIGHTS
    }
    forces = Picker({name: weight for name, (_, weight) in FORCE_WEIGHTS.items()})
    drugs = Picker({code: spec[0] for code, spec in DRUGS.items()})
    per_seizure = Picker(ITEMS_PER_SEIZURE)
    today = timezone.localdate()
    written = seizures = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "Reference",
                "Date seized",
                "Force",
                "District",
                "Place",
                "Postcode",
                "Warrant reference",
                "Notes",
                "Drug",
                "Quantity",
                "Unit",
            ]
        )
        while written < rows:
            seizures += 1
            force = forces(rng)
            common = [
                f"IMP-{seizures:07d}",
                (today - datetime.timedelta(days=rng.randrange(365 * 3))).isoformat(),
                force,
                rng.choice(areas[force]),
                rng.choice(PLACES),
                "",
                "",
                "",
            ]
            for _ in range(min(per_seizure(rng), rows - written)):
                code = drugs(rng)
                _, unit, median, sigma, places = DRUGS[code]
                quantity = max(round(median * math.exp(rng.gauss(0, sigma)), places), 10**-places)
                out.writerow([*common, code, f"{quantity:.{places}f}", unit])
                written += 1
    return seizures


def copy_rows_per_second(path, rows):
    """COPY of the same rows, two ways: the file as it is into a table of its columns (the
    database's raw pace), and the seizures and items the file holds, resolved and priced
    beforehand, into the real tables with all their indexes, constraints and foreign key
    checks (the reference: the same records written with nothing but COPY). Rolled back."""
    import csv

    from django.db import connection, transaction

    from bench.generator.writing import IdSequence, RowWriter
    from geography.models import Area, Force
    from seizures.models import Drug, Seizure, SeizureItem
    from seizures.pricing import PriceBook

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_import_copy (reference text, seized_on date, force text, "
            "district text, place text, postcode text, warrant text, notes text, drug text, "
            "quantity numeric(12, 3), unit text) ON COMMIT DROP"
        )
        started = time.perf_counter()
        with (
            open(path, "rb") as handle,
            cursor.cursor.copy("COPY bench_import_copy FROM STDIN (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        raw_seconds = time.perf_counter() - started

    forces = {force.name: force.pk for force in Force.objects.all()}
    areas = {(area.force_id, area.name): area.pk for area in Area.objects.all()}
    drugs = {drug.code: drug.pk for drug in Drug.objects.all()}
    book = PriceBook.load()
    now = datetime.datetime.now(datetime.UTC)
    seizure_rows, item_rows, seen = [], [], {}
    seizure_ids, item_ids = IdSequence(Seizure), IdSequence(SeizureItem)
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            force_id = forces[row["Force"]]
            key = (force_id, row["Reference"])
            day = datetime.date.fromisoformat(row["Date seized"])
            if key not in seen:
                seen[key] = seizure_ids.next()
                seizure_rows.append(
                    (
                        seen[key],
                        row["Reference"],
                        day,
                        force_id,
                        areas[(force_id, row["District"])],
                        row["Place"],
                        "",
                        None,
                        "",
                        None,
                        None,
                        "",
                    )
                )
            drug_id, quantity, unit = drugs[row["Drug"]], Decimal(row["Quantity"]), row["Unit"]
            valued = book.valuation(drug_id, unit, quantity, day, force_id)
            item_rows.append(
                (
                    item_ids.next(),
                    seen[key],
                    drug_id,
                    quantity,
                    unit,
                    book.class_of(drug_id, day),
                    valued.price.pk if valued.price else None,
                    valued.plant_yield.pk if valued.plant_yield else None,
                    valued.price_per_unit_pence,
                    valued.value_pence,
                    now,
                )
            )
    writer = RowWriter()
    with transaction.atomic():
        started = time.perf_counter()
        writer.write(Seizure, SEIZURE_COPY_COLUMNS, seizure_rows)
        writer.write(SeizureItem, ITEM_COPY_COLUMNS, item_rows)
        unchecked_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            # Django's foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED), and
            # this reference is rolled back: run the checks now, as a commit would.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        copy_seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return rows / copy_seconds, copy_seconds, rows / raw_seconds, rows / unchecked_seconds


SEIZURE_COPY_COLUMNS = [
    "id",
    "reference",
    "seized_on",
    "force_id",
    "area_id",
    "place",
    "postcode",
    "warrant_id",
    "notes",
    "withdrawn_at",
    "withdrawn_by_id",
    "withdrawal_reason",
]
ITEM_COPY_COLUMNS = [
    "id",
    "seizure_id",
    "drug_id",
    "quantity",
    "unit",
    "drug_class",
    "price_id",
    "plant_yield_id",
    "price_per_unit_pence",
    "value_pence",
    "priced_at",
]


def import_rows_per_second(path, rows, seizures):
    """The import page's path, as `manage.py import_records` drives it: upload, preview (a dry
    run), confirm, then the all-or-nothing import that validates and writes every row."""
    from accounts.models import User
    from imports import registry, services
    from imports.models import ImportBatch

    analyst = User.objects.get(username="bench.analyst")
    importer = registry.get("seizures")
    with open(path, "rb") as handle:
        batch = services.batch_upload(
            user=analyst,
            importer=importer,
            file=handle,
            file_name="bench-seizures.csv",
            enforce_size=False,
            schedule=False,
        )
    preview_seconds, batch = timed(services.batch_preview, batch.pk)
    if batch.status != ImportBatch.Status.PREVIEWED or batch.invalid:
        raise RuntimeError(f"preview refused the file: {batch.error or batch.row_errors[:3]}")
    services.batch_confirm(batch=batch, schedule=False)
    import_seconds, batch = timed(services.batch_import, batch.pk)
    if batch.status != ImportBatch.Status.DONE or batch.created != seizures:
        raise RuntimeError(f"import did not finish: {batch.status} {batch.error}")
    return rows / import_seconds, import_seconds, preview_seconds

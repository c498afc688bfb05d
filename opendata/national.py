"""National figures to set the alliance against: the Home Office seizure tables by force
(financial years 2009-10 to 2018-19) and the ONS recorded crime tables by community safety
partnership (drug offences, years ending December 2023 and 2024).

The published files are read once into small extracts kept with the code (`opendata/data/`),
which a migration loads, so every installation has the figures; `load_national_figures` reads
the published files again (a new year, a correction) and can rewrite the extracts."""

import csv
import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
from django.db import transaction

from geography.populations import read_extract as read_population_extract

from .forces import name_key
from .models import ForceSeizures, PartnershipRecordedCrime


class NationalFiguresError(Exception):
    """A published file that cannot be read as expected."""


DATA = Path(__file__).parent / "data"
SEIZURES_EXTRACT = DATA / "home-office-seizures-by-force.csv"
SEIZURES_COLUMNS = ("financial_year", "force_name", "force_code", "all_drugs", "class_a")
CRIME_EXTRACT = DATA / "ons-drug-offences-by-partnership.csv"
CRIME_COLUMNS = (
    "year_ending", "force_code", "force_name", "partnership_code", "partnership_name",
    "drug_offences", "population", "published_rate",
)  # fmt: skip

SEIZURE_FILE = re.compile(r"Seizures(\d{2})-(\d{2})\.csv")
# The ONS workbook's tables: drug offences in the year (C2 current, C5 previous) and the rates
# with the population they divide by (C4, current year).
CRIME_TABLES = {"Table C2": datetime.date(2024, 12, 31), "Table C5": datetime.date(2023, 12, 31)}
RATE_TABLE = "Table C4"
NOTE = re.compile(r"\[note \d+\]")


# --- the Home Office seizure tables --------------------------------------------------------------


def seizures_from_home_office(folder):
    """One row per force and year from the Home Office "counts/SeizuresYY-YY.csv" files in
    `folder`. The files' traps: a byte-order mark, a header cell broken over two lines,
    columns that differ between years, force names padded with spaces, "&" for "and"."""
    force_codes = _force_codes()
    rows = []
    files = sorted(Path(folder).glob("Seizures*.csv"))
    if not files:
        raise NationalFiguresError(f"No Home Office SeizuresYY-YY.csv files in {folder}")
    for path in files:
        match = SEIZURE_FILE.fullmatch(path.name)
        if not match:
            continue
        year = f"20{match.group(1)}-{match.group(2)}"
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [" ".join(cell.split()) for cell in next(reader)]
            try:
                name_at, all_at, class_a_at = (
                    header.index(name) for name in ("Police force", "All drugs", "Total Class A")
                )
            except ValueError:
                raise NationalFiguresError(f"{path.name}: the columns Police force, All drugs and "
                                           "Total Class A are expected") from None  # fmt: skip
            for line in reader:
                if not any(cell.strip() for cell in line):
                    continue
                name = " ".join(line[name_at].split())
                try:
                    # A force whose figures were not published that year has empty cells.
                    all_drugs, class_a = (
                        int(line[at]) if line[at].strip() else None for at in (all_at, class_a_at)
                    )
                except ValueError:
                    raise NationalFiguresError(
                        f"{path.name}: {name}'s counts are not whole numbers"
                    ) from None
                rows.append(
                    {
                        "financial_year": year,
                        "force_name": name,
                        "force_code": force_codes.get(name_key(name), ""),
                        "all_drugs": all_drugs,
                        "class_a": class_a,
                    }
                )
    return rows


def _force_codes():
    """Police force area codes by the key of their ONS names ("Devon & Cornwall", "London,
    City of", "Metropolitan Police"), from the ONS lookup kept with the populations."""
    return {name_key(row["PFA19NM"]): row["PFA19CD"] for row in read_population_extract()}


# --- the ONS recorded crime workbook ---------------------------------------------------------------


def partnership_crime_from_ons(path):
    """One row per partnership (and per force's unassigned offences) and year from the ONS
    "Police force area tables" workbook: drug offences from tables C2 and C5, the population
    and rate the ONS publishes from table C4. Force totals are left out (the sum of their rows)."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as unreadable:  # openpyxl raises many kinds for a file that is not a workbook
        raise NationalFiguresError(f"Cannot read {path}: {unreadable}") from None
    try:
        rates = {}
        for row in _table(workbook, RATE_TABLE):
            if row["partnership_code"]:
                rate = _decimal(row["Drug offences"])
                # Where the ONS publishes no rate (the City of London: "small resident
                # population", note 9) its population is not one to divide by either.
                rates[row["partnership_code"]] = (
                    _whole(row["Population"]) if rate is not None else None,
                    rate,
                )
        rows = []
        for table, year_ending in CRIME_TABLES.items():
            for row in _table(workbook, table):
                if not row["partnership_name"]:
                    continue  # the force's total
                population, rate = rates.get(row["partnership_code"], (None, None))
                rows.append(
                    {
                        "year_ending": year_ending.isoformat(),
                        "force_code": row["force_code"],
                        "force_name": row["force_name"],
                        "partnership_code": row["partnership_code"],
                        "partnership_name": row["partnership_name"],
                        "drug_offences": _whole(row["Drug offences"]),
                        "population": population,
                        # The rate of this year's table only: C4 rates the current year.
                        "published_rate": rate if table == "Table C2" else None,
                    }
                )
        return rows
    finally:
        workbook.close()


def _table(workbook, name):
    """The rows of an ONS table whose header is the first row starting "Police Force Area code"."""
    if name not in workbook.sheetnames:
        raise NationalFiguresError(f"The workbook has no sheet {name!r}")
    header = None
    for values in workbook[name].iter_rows(values_only=True):
        cells = [" ".join(str(value).split()) if value is not None else "" for value in values]
        if header is None:
            if cells and cells[0].startswith("Police Force Area code"):
                header = cells
                needed = ["Drug offences"] + (["Population"] if name == RATE_TABLE else [])
                columns = {want: _column(header, want, name) for want in needed}
            continue
        if not any(cells):
            continue
        row = {want: values[at] for want, at in columns.items()}
        row.update(
            force_code=cells[0], force_name=_without_notes(cells[1]), partnership_code=cells[2],
            partnership_name=_without_notes(cells[3]),
        )  # fmt: skip
        yield row
    if header is None:
        raise NationalFiguresError(f"{name}: no header row starting “Police Force Area code”")


def _without_notes(name):
    """'City of London[note 9]' -> 'City of London'."""
    return NOTE.sub("", name).strip()


def _column(header, wanted, table):
    for at, title in enumerate(header):
        if title.startswith(wanted):
            return at
    raise NationalFiguresError(f"{table}: no column {wanted!r}")


def _whole(value):
    """A count, or None where the ONS marks it unavailable ("[x]", "[u1]")."""
    if isinstance(value, int | float):
        return int(value)
    return None


def _decimal(value):
    if isinstance(value, int | float):
        try:
            return Decimal(repr(value)).quantize(Decimal("0.0001"))
        except InvalidOperation:
            return None
    return None


# --- extracts and loading ----------------------------------------------------------------------


def write_extract(rows, path, columns):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({name: "" if row[name] is None else row[name] for name in columns})


def read_extract(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _or_none(text, kind=int):
    return None if text in ("", None) else kind(text)


def national_figures_load(*, seizures, crime):
    """Replace the stored national figures with `seizures` and `crime` (rows as read above or
    from the extracts): (seizure rows, partnership rows). Safe to repeat."""
    with transaction.atomic():
        ForceSeizures.objects.all().delete()
        ForceSeizures.objects.bulk_create(
            ForceSeizures(
                financial_year=row["financial_year"],
                year_start=datetime.date(int(row["financial_year"][:4]), 4, 1),
                force_name=row["force_name"],
                force_code=row["force_code"] or "",
                all_drugs=_or_none(row["all_drugs"]),
                class_a=_or_none(row["class_a"]),
            )
            for row in seizures
        )
        PartnershipRecordedCrime.objects.all().delete()
        PartnershipRecordedCrime.objects.bulk_create(
            PartnershipRecordedCrime(
                year_ending=datetime.date.fromisoformat(str(row["year_ending"])),
                force_code=row["force_code"],
                force_name=row["force_name"].strip(),
                partnership_code=row["partnership_code"] or "",
                partnership_name=row["partnership_name"].strip(),
                drug_offences=_or_none(row["drug_offences"]),
                population=_or_none(row["population"]),
                published_rate=_or_none(row["published_rate"], Decimal),
            )
            for row in crime
        )
    return len(seizures), len(crime)

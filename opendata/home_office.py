"""The Home Office police recorded crime table: drug offences by force and quarter."""

import datetime
import re

from imports import CREATED, UNCHANGED, UPDATED, Column, Importer, RowCheck, RowInvalid, Skipped
from imports import values as read

from .models import OffenceCode, RecordedCrime
from .sessions import OpenDataSession

FINANCIAL_YEAR = re.compile(r"(\d{4})/(\d{2})")


def quarter_start(financial_year, quarter):
    """'2017/18', 1 -> 1 April 2017; quarter 4 -> 1 January 2018."""
    first = int(FINANCIAL_YEAR.fullmatch(financial_year).group(1))
    month = 4 + 3 * (quarter - 1)
    return datetime.date(first + (month - 1) // 12, (month - 1) % 12 + 1, 1)


class RecordedCrimeSession(OpenDataSession):
    def prefetch(self, records):
        self.existing = {
            (r.force_id, r.financial_year, r.quarter, r.offence_code): r for r in RecordedCrime.objects.all()
        }
        self.seen = {}

    def handle(self, lines):
        ((number, row),) = lines
        code = read.text(row, "Offence_Code").upper()
        if code not in OffenceCode.values:
            return Skipped("not a drug offence (Home Office codes other than 92A, 92C, 92D, 92E)")
        force = self.forces.find(row["Force_Name"])
        if force is None:
            return Skipped("drug offences of forces not configured here")
        check = RowCheck()
        year = check(read.text, row, "Financial_Year", required=True)
        match = FINANCIAL_YEAR.fullmatch(year or "")
        if year and (not match or (int(match.group(1)) + 1) % 100 != int(match.group(2))):
            check.problems.append(f"Financial_Year: ‘{year}’ is not a financial year like 2017/18")
        quarter = check(read.integer, row, "Financial_Quarter")
        if quarter is not None and not 1 <= quarter <= 4:
            check.problems.append("Financial_Quarter: enter 1, 2, 3 or 4")
        figure = RecordedCrime(
            force=force,
            financial_year=year,
            quarter=quarter,
            quarter_start=None if check.problems else quarter_start(year, quarter),
            offence_code=code,
            offence_description=check(read.text, row, "Offence_Description", max_length=200),
            offences=check(read.integer, row, "Number_of_Offences"),
        )
        self._validated(figure, check)
        key = (force.pk, year, quarter, code)
        if key in self.seen:
            raise RowInvalid(
                f"{force} {year} quarter {quarter} {code} appears again (first on row {self.seen[key]})"
            )
        self.seen[key] = number
        existing = self.existing.get(key)
        if existing is None:
            self.new.append(figure)
            return CREATED
        if (existing.offences, existing.offence_description) == (figure.offences, figure.offence_description):
            return UNCHANGED
        figure.pk = existing.pk
        self.changed.append(figure)
        return UPDATED

    def finish(self):
        RecordedCrime.objects.bulk_create(self.new, batch_size=1000)
        RecordedCrime.objects.bulk_update(self.changed, ["offences", "offence_description"], batch_size=1000)


class RecordedCrimeImporter(Importer):
    key = "home-office-recorded-crime"
    label = "Home Office police recorded crime"
    noun = ("quarterly figure", "quarterly figures")
    description = (
        "The Home Office police recorded crime open data table by force and quarter. The drug "
        "offence rows (92A, 92C, 92D, 92E) of configured forces are kept; the rest are skipped."
    )
    permission = "opendata.add_recordedcrime"
    columns = (
        Column("Financial_Year", help="2017/18"),
        Column("Financial_Quarter", help="1 (April to June) to 4 (January to March)"),
        Column("Force_Name"),
        Column("Offence_Description"),
        Column("Offence_Group", required=False),
        Column("Offence_Subgroup", required=False),
        Column("Offence_Code", help="92A, 92C, 92D or 92E are kept"),
        Column("Number_of_Offences"),
        Column("Policeuk_Cat", required=False),
    )
    template_rows = (
        {
            "Financial_Year": "2017/18", "Financial_Quarter": "1", "Force_Name": "Warwickshire",
            "Offence_Description": "Trafficking in controlled drugs", "Offence_Group": "Drug offences",
            "Offence_Subgroup": "Trafficking of drugs", "Offence_Code": "92A", "Number_of_Offences": "61",
            "Policeuk_Cat": "Drugs",
        },
    )  # fmt: skip

    def start(self, *, user, options, write):
        return RecordedCrimeSession(write)

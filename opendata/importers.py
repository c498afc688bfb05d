"""Importers for the open data files: police.uk street-level crime and stop and search, and
the Home Office police recorded crime tables. Only drug rows are kept; every other row is
counted as skipped with its reason, never dropped silently."""

import datetime
import hashlib
import re

from django import forms
from django.utils import timezone

from core.models import mark_changed
from geography.models import Lsoa
from imports import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    ImportSession,
    RowInvalid,
    Skipped,
    register,
)
from imports import values as read
from imports.reading import FileRefused

from .forces import ForceDirectory, force_choices
from .models import OffenceCode, RecordedCrime, StopSearch, StreetCrime

SOURCE = "opendata"  # the rollup's changed-month source for this app's metrics


def _skip_other_force(name):
    return Skipped(f"from {name or 'no force'}, a force not configured here")


class _Session(ImportSession):
    def __init__(self, write):
        self.write = write
        self.forces = ForceDirectory()
        self.new, self.changed, self.months = [], [], set()

    def _validated(self, record):
        # The model's own field rules (lengths, choices); uniqueness is checked against the
        # keys loaded in prefetch(), not one query per row.
        record.full_clean(validate_unique=False, validate_constraints=False)
        return record


# --- police.uk street-level crime ------------------------------------------------------------


class StreetCrimeSession(_Session):
    FIELDS = (
        "month",
        "force_id",
        "lsoa_code",
        "lsoa_name",
        "area_id",
        "location",
        "latitude",
        "longitude",
        "outcome",
    )

    def prefetch(self, records):
        ids = {row.get("Crime ID") for lines in records for _, row in lines if row.get("Crime ID")}
        self.existing = {crime.crime_id: crime for crime in StreetCrime.objects.filter(crime_id__in=ids)}
        self.lsoas = dict(Lsoa.objects.values_list("code", "area_id"))
        self.area_force = dict(Lsoa.objects.values_list("area_id", "area__force_id").distinct())
        self.seen = {}

    def handle(self, lines):
        ((number, row),) = lines
        force = self.forces.find(row["Falls within"])
        if force is None:
            return _skip_other_force(row["Falls within"])
        if row["Crime type"] != "Drugs":
            return Skipped("not a drug crime (police.uk crime types other than Drugs)")
        crime_id = read.text(row, "Crime ID", required=True, max_length=64)
        if crime_id in self.seen:
            raise RowInvalid(f"Crime ID {crime_id[:12]}… appears again (first on row {self.seen[crime_id]})")
        self.seen[crime_id] = number
        lsoa_code = read.text(row, "LSOA code")
        area_id = self.lsoas.get(lsoa_code)
        if area_id is not None and self.area_force.get(area_id) != force.pk:
            area_id = None  # an LSOA of another force's district: keep the force, not the district
        crime = self._validated(
            StreetCrime(
                crime_id=crime_id,
                month=read.month(row, "Month"),
                force=force,
                lsoa_code=lsoa_code,
                lsoa_name=read.text(row, "LSOA name"),
                area_id=area_id,
                location=read.text(row, "Location"),
                latitude=read.decimal(row, "Latitude", required=False),
                longitude=read.decimal(row, "Longitude", required=False),
                outcome=read.text(row, "Last outcome category"),
            )
        )
        return self._keep(crime, self.existing.get(crime_id))

    def _keep(self, crime, existing):
        if existing is None:
            self.new.append(crime)
            self.months.add(crime.month)
            return CREATED
        if all(_same(getattr(existing, name), getattr(crime, name)) for name in self.FIELDS):
            return UNCHANGED
        self.months.update({existing.month, crime.month})
        crime.pk = existing.pk
        self.changed.append(crime)
        return UPDATED

    def finish(self):
        StreetCrime.objects.bulk_create(self.new, batch_size=1000)
        StreetCrime.objects.bulk_update(
            self.changed, [f.removesuffix("_id") for f in self.FIELDS], batch_size=1000
        )
        mark_changed(SOURCE, *self.months)


def _same(old, new):
    return old == new or (old in (None, "") and new in (None, ""))


class StreetCrimeImporter(Importer):
    key = "police-uk-street-crime"
    label = "police.uk street-level crime"
    noun = ("drug crime", "drug crimes")
    description = (
        "A police.uk street-level crime file (one force, one month). Rows of crime type Drugs are "
        "kept, mapped to districts by LSOA; other rows and forces not configured here are skipped."
    )
    permission = "opendata.add_streetcrime"
    columns = tuple(
        Column(name, required=name not in ("Context",))
        for name in (
            "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
            "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
        )
    )  # fmt: skip
    template_rows = (
        {
            "Crime ID": "0a1b2c…", "Month": "2018-07", "Reported by": "Warwickshire Police",
            "Falls within": "Warwickshire Police", "Longitude": "-1.263", "Latitude": "52.371",
            "Location": "On or near High Street", "LSOA code": "E01031072", "LSOA name": "Rugby 007B",
            "Crime type": "Drugs", "Last outcome category": "Local resolution", "Context": "",
        },
    )  # fmt: skip

    def start(self, *, user, options, write):
        return StreetCrimeSession(write)


# --- police.uk stop and search -----------------------------------------------------------------

STOP_SEARCH_COLUMNS = (
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude",
    "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation",
    "Object of search", "Outcome", "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)  # fmt: skip
CONTROLLED_DRUGS = "controlled drugs"


def _flag(row, column):
    word = read.text(row, column).lower()
    return {"true": True, "false": False}.get(word)


class StopSearchSession(_Session):
    def __init__(self, write, force):
        super().__init__(write)
        self.force = force
        self.occurrences = {}

    def prefetch(self, records):
        self.existing = dict(
            StopSearch.objects.filter(force=self.force).values_list("fingerprint", "area_id")
        )
        # police.uk anonymises every location to one of a fixed set of map points, shared by
        # street crime and stop and search: a point seen with an LSOA gives the district.
        self.points = {
            (lat, lon): area_id
            for lat, lon, area_id in StreetCrime.objects.filter(force=self.force, area__isnull=False)
            .values_list("latitude", "longitude", "area_id")
            .distinct()
        }

    def handle(self, lines):
        ((number, row),) = lines
        if read.text(row, "Object of search").lower() != CONTROLLED_DRUGS:
            return Skipped("a search for something other than controlled drugs")
        published = "\x1f".join(read.text(row, column) for column in STOP_SEARCH_COLUMNS)
        base = hashlib.sha256(published.encode()).hexdigest()
        occurrence = self.occurrences[base] = self.occurrences.get(base, 0) + 1
        fingerprint = hashlib.sha256(f"{base}#{occurrence}".encode()).hexdigest()
        searched_at = _moment(row, "Date")
        latitude = read.decimal(row, "Latitude", required=False)
        longitude = read.decimal(row, "Longitude", required=False)
        search = self._validated(
            StopSearch(
                force=self.force,
                fingerprint=fingerprint,
                searched_at=searched_at,
                month=timezone.localtime(searched_at).date().replace(day=1),
                search_type=read.text(row, "Type", required=True),
                part_of_operation=_flag(row, "Part of a policing operation"),
                operation=read.text(row, "Policing operation"),
                latitude=latitude,
                longitude=longitude,
                area_id=self.points.get((latitude, longitude)),
                gender=read.text(row, "Gender"),
                age_range=read.text(row, "Age range"),
                self_defined_ethnicity=read.text(row, "Self-defined ethnicity"),
                officer_defined_ethnicity=read.text(row, "Officer-defined ethnicity"),
                legislation=read.text(row, "Legislation"),
                object_of_search=read.text(row, "Object of search"),
                outcome=read.text(row, "Outcome"),
                outcome_linked=_flag(row, "Outcome linked to object of search"),
                removal_of_clothing=_flag(row, "Removal of more than just outer clothing"),
            )
        )
        if fingerprint not in self.existing:
            self.new.append(search)
            self.months.add(search.month)
            return CREATED
        if self.existing[fingerprint] == search.area_id:
            return UNCHANGED
        self.changed.append((fingerprint, search.area_id))
        self.months.add(search.month)
        return UPDATED

    def finish(self):
        StopSearch.objects.bulk_create(self.new, batch_size=1000)
        for fingerprint, area_id in self.changed:
            StopSearch.objects.filter(force=self.force, fingerprint=fingerprint).update(area_id=area_id)
        mark_changed(SOURCE, *self.months)


def _moment(row, column):
    value = read.text(row, column, required=True)
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise RowInvalid(
            f"{column}: ‘{value}’ is not a date and time like 2018-03-02T01:56:00+00:00"
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class StopSearchImporter(Importer):
    key = "police-uk-stop-search"
    label = "police.uk stop and search"
    noun = ("drug search", "drug searches")
    description = (
        "A police.uk stop and search file of one force (choose the force: the file does not say). "
        "Searches for controlled drugs are kept; other searches are skipped."
    )
    permission = "opendata.add_stopsearch"
    columns = tuple(Column(name) for name in STOP_SEARCH_COLUMNS)
    template_rows = (
        dict(
            zip(
                STOP_SEARCH_COLUMNS,
                (
                    "Person search", "2018-03-02T01:56:00+00:00", "", "", "52.517528", "-1.459002", "Male",
                    "18-24", "", "White", "Misuse of Drugs Act 1971 (section 23)", "Controlled drugs",
                    "Nothing found - no further action", "", "",
                ),
                strict=True,
            )
        ),
    )  # fmt: skip

    def option_fields(self):
        return {
            "force": forms.ChoiceField(
                label="Force", choices=force_choices, help_text="The force whose searches the file lists"
            )
        }

    def describe_options(self, options):
        return f"Force: {options.get('force', '')}"

    def start(self, *, user, options, write):
        force = ForceDirectory().find(options.get("force", ""))
        if force is None:
            raise FileRefused(f"The force ‘{options.get('force', '')}’ is not configured here")
        return StopSearchSession(write, force)


# --- Home Office police recorded crime ---------------------------------------------------------

FINANCIAL_YEAR = re.compile(r"(\d{4})/(\d{2})")


def quarter_start(financial_year, quarter):
    """'2017/18', 1 -> 1 April 2017; quarter 4 -> 1 January 2018."""
    first = int(FINANCIAL_YEAR.fullmatch(financial_year).group(1))
    month = 4 + 3 * (quarter - 1)
    return datetime.date(first + (month - 1) // 12, (month - 1) % 12 + 1, 1)


class RecordedCrimeSession(_Session):
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
        year = read.text(row, "Financial_Year", required=True)
        match = FINANCIAL_YEAR.fullmatch(year)
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise RowInvalid(f"Financial_Year: ‘{year}’ is not a financial year like 2017/18")
        quarter = read.integer(row, "Financial_Quarter")
        if not 1 <= quarter <= 4:
            raise RowInvalid("Financial_Quarter: enter 1, 2, 3 or 4")
        key = (force.pk, year, quarter, code)
        if key in self.seen:
            raise RowInvalid(
                f"{force} {year} quarter {quarter} {code} appears again (first on row {self.seen[key]})"
            )
        self.seen[key] = number
        figure = self._validated(
            RecordedCrime(
                force=force,
                financial_year=year,
                quarter=quarter,
                quarter_start=quarter_start(year, quarter),
                offence_code=code,
                offence_description=read.text(row, "Offence_Description", max_length=200),
                offences=read.integer(row, "Number_of_Offences"),
            )
        )
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


register(StreetCrimeImporter())
register(StopSearchImporter())
register(RecordedCrimeImporter())

"""Importers for the open data files: police.uk street-level crime and stop and search, and
the Home Office police recorded crime tables (in `home_office`). Only drug rows are kept;
every other row is counted as skipped with its reason, never dropped silently."""

import datetime
import hashlib

from django import forms
from django.utils import timezone

from core.metrics import counted_on, mark_counted
from geography.models import Lsoa
from imports import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    RowCheck,
    RowInvalid,
    Skipped,
    register,
)
from imports import values as read
from imports.reading import FileRefused

from . import places
from .forces import ForceDirectory, force_choices
from .home_office import RecordedCrimeImporter
from .models import StopSearch, StreetCrime
from .places import stamp
from .sessions import OpenDataSession, skip_other_force

# --- police.uk street-level crime ------------------------------------------------------------


class StreetCrimeSession(OpenDataSession):
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
        self.points = {}

    def handle(self, lines):
        ((number, row),) = lines
        force = self.forces.find(row["Falls within"])
        if force is None:
            return skip_other_force(row["Falls within"])
        lsoa_code = read.text(row, "LSOA code")
        if lsoa_code:
            # Every crime type's point counts: most searches share a point with no drug crime.
            point = places.point_of(row["Latitude"], row["Longitude"])
            if point:
                self.points.setdefault(point, lsoa_code)
        if row["Crime type"] != "Drugs":
            return Skipped("not a drug crime (police.uk crime types other than Drugs)")
        check = RowCheck()
        crime_id = check(read.text, row, "Crime ID", required=True, max_length=64)
        if crime_id in self.seen:
            raise RowInvalid(f"Crime ID {crime_id[:12]}… appears again (first on row {self.seen[crime_id]})")
        if crime_id:
            self.seen[crime_id] = number
        area_id = self.lsoas.get(lsoa_code)
        if area_id is not None and self.area_force.get(area_id) != force.pk:
            area_id = None  # an LSOA of another force's district: keep the force, not the district
        crime = self._validated(
            StreetCrime(
                crime_id=crime_id,
                month=check(read.month, row, "Month"),
                force=force,
                lsoa_code=lsoa_code,
                lsoa_name=read.text(row, "LSOA name"),
                area_id=area_id,
                location=read.text(row, "Location"),
                latitude=check(read.decimal, row, "Latitude", required=False),
                longitude=check(read.decimal, row, "Longitude", required=False),
                outcome=read.text(row, "Last outcome category"),
            ),
            check,
        )
        return self._keep(crime, self.existing.get(crime_id))

    def _keep(self, crime, existing):
        if existing is None:
            self._guard(crime)
            self.new.append(crime)
            self.counted |= counted_on(crime)
            return CREATED
        if all(_same(getattr(existing, name), getattr(crime, name)) for name in self.FIELDS):
            return UNCHANGED
        self._guard(crime, existing)
        self.counted |= counted_on(existing) | counted_on(crime)
        crime.pk = existing.pk
        self.changed.append(crime)
        return UPDATED

    def finish(self):
        stamp(self.new, self.changed)
        StreetCrime.objects.bulk_create(self.new, batch_size=1000)
        StreetCrime.objects.bulk_update(
            self.changed, [*(f.removesuffix("_id") for f in self.FIELDS), "changed_at"], batch_size=1000
        )
        mark_counted(self.counted)
        self._record_flagged()
        places.points_store(self.points)
        # Searches imported before this file, at points it makes known, are placed now.
        places.searches_place(self.points)


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
        return StreetCrimeSession(write, user=user)


# --- police.uk stop and search -----------------------------------------------------------------

STOP_SEARCH_COLUMNS = (
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude",
    "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation",
    "Object of search", "Outcome", "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)  # fmt: skip
CONTROLLED_DRUGS = "controlled drugs"


def _flag(row, column):
    """police.uk's True/False, or None when blank; anything else (a value cut short) is refused."""
    word = read.text(row, column).lower()
    if word not in FLAGS:
        raise RowInvalid(f"{column}: ‘{read.text(row, column)}’ is not True, False or blank")
    return FLAGS[word]


FLAGS = {"true": True, "false": False, "": None}


class StopSearchSession(OpenDataSession):
    DATE_COLUMN = "Date"

    def __init__(self, write, force, *, user=None):
        super().__init__(write, user=user)
        self.force = force
        self.occurrences = {}

    def prefetch(self, records):
        self.existing = {
            fingerprint: (pk, area_id)
            for pk, fingerprint, area_id in StopSearch.objects.filter(force=self.force).values_list(
                "pk", "fingerprint", "area_id"
            )
        }
        # police.uk anonymises every location to one of a fixed set of map points, shared by
        # street crime and stop and search: a point known from street crime gives the district.
        self.points = places.KnownPoints(
            places.point_of(row["Latitude"], row["Longitude"]) for lines in records for _, row in lines
        )

    def handle(self, lines):
        ((number, row),) = lines
        if read.text(row, "Object of search").lower() != CONTROLLED_DRUGS:
            return Skipped("a search for something other than controlled drugs")
        published = "\x1f".join(read.text(row, column) for column in STOP_SEARCH_COLUMNS)
        base = hashlib.sha256(published.encode()).hexdigest()
        occurrence = self.occurrences[base] = self.occurrences.get(base, 0) + 1
        fingerprint = hashlib.sha256(f"{base}#{occurrence}".encode()).hexdigest()
        check = RowCheck()
        searched_at = check(_moment, row, "Date")
        latitude = check(read.decimal, row, "Latitude", required=False)
        longitude = check(read.decimal, row, "Longitude", required=False)
        search = self._validated(
            StopSearch(
                force=self.force,
                fingerprint=fingerprint,
                searched_at=searched_at,
                month=timezone.localtime(searched_at).date().replace(day=1) if searched_at else None,
                search_type=check(read.text, row, "Type", required=True),
                part_of_operation=check(_flag, row, "Part of a policing operation"),
                operation=read.text(row, "Policing operation"),
                latitude=latitude,
                longitude=longitude,
                area_id=self.points.district(places.point_of(latitude, longitude)),
                gender=read.text(row, "Gender"),
                age_range=read.text(row, "Age range"),
                self_defined_ethnicity=read.text(row, "Self-defined ethnicity"),
                officer_defined_ethnicity=read.text(row, "Officer-defined ethnicity"),
                legislation=read.text(row, "Legislation"),
                object_of_search=read.text(row, "Object of search"),
                outcome=read.text(row, "Outcome"),
                outcome_linked=check(_flag, row, "Outcome linked to object of search"),
                removal_of_clothing=check(_flag, row, "Removal of more than just outer clothing"),
            ),
            check,
        )
        if fingerprint not in self.existing:
            self._guard(search)
            self.new.append(search)
            self.counted |= counted_on(search)
            return CREATED
        pk, area_id = self.existing[fingerprint]
        if area_id == search.area_id:
            return UNCHANGED
        search.pk = pk
        self._guard(search)  # the same month and force: only its district moves
        self.changed.append(search)
        # Only the district changes: the month is the fingerprinted row's own.
        self.counted |= counted_on(search)
        return UPDATED

    def finish(self):
        stamp(self.new, self.changed)
        StopSearch.objects.bulk_create(self.new, batch_size=1000)
        StopSearch.objects.bulk_update(self.changed, ["area", "changed_at"], batch_size=1000)
        mark_counted(self.counted)
        self._record_flagged()


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
    # A street file brings the map points that place searches in districts.
    affected_by = ("police-uk-street-crime",)
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
        return StopSearchSession(write, force, user=user)


register(StreetCrimeImporter())
register(StopSearchImporter())
register(RecordedCrimeImporter())

"""Drug offences from files, one row per offence, matched by crime reference and force.

Each row is validated by the model's own rules (full_clean), inside the import's single
transaction: new offences are written in bulk with their history (a file of 100,000 offences
would otherwise outlast the task's time limit), changed ones by offence_update. Exports in the
same columns import back unchanged.
"""

from core.bulk import create_with_history
from core.exports import in_chunks
from core.metrics import counted_on, mark_counted
from geography.models import Area, Force
from imports import CREATED, UNCHANGED, UPDATED, Column, Importer, ImportSession, RowInvalid, register
from imports import values as read
from imports.matching import NameLookup, ReferenceLookup, stored

from . import services
from .filters import OffenceFilter
from .models import Offence, OffenceType, Outcome, SiteType
from .selectors import live_warrants, offence_list

BATCH_SIZE = 2000
LOOKED_UP = ["force", "area", "warrant"]
# Read once: an enum's .choices builds a new list each time it is asked.
OFFENCE_TYPES, SITE_TYPES, OUTCOMES = OffenceType.choices, SiteType.choices, Outcome.choices

COLUMNS = {
    "Crime reference": "crime_reference",
    "Date recorded": "recorded_date",
    "Force": "force",
    "District": "area",
    "Offence type": "offence_type",
    "Cultivation": "cultivation",
    "Plants": "plants",
    "Site type": "site_type",
    "Factory": "factory",
    "Outcome": "outcome",
    "Outcome date": "outcome_date",
    "Warrant reference": "warrant",
}


class OffenceSession(ImportSession):
    def __init__(self, *, user, write):
        self.user, self.write = user, write
        self.new, self.counted, self.checked_shapes = [], set(), set()
        self.forces = NameLookup(Force.objects.filter(in_alliance=True), ("name", "ons_code"))
        self.areas = NameLookup(Area.objects.in_alliance(), ("name", "ons_code"), within="force_id")
        self.seen = {}

    def prefetch(self, records):
        named = [read.text(row, "Warrant reference") for lines in records for _, row in lines]
        self.warrants = ReferenceLookup(live_warrants(), named, noun="warrant")
        wanted = {read.text(row, "Crime reference").upper() for lines in records for _, row in lines}
        # Withdrawn ones too: their crime references stay taken.
        found = Offence.objects.filter(crime_reference__in_array=wanted)
        found = found.select_related("force", "area", "warrant")  # compared with the file's values
        self.existing = {(o.force_id, o.crime_reference): o for o in found}

    def handle(self, lines):
        ((number, row),) = lines
        check = read.RowCheck()
        force = check(self.forces.find, row["Force"], column="Force")
        reference = check(read.text, row, "Crime reference", required=True, max_length=30)
        area = check(self.areas.find, row["District"], column="District", scope=force.pk) if force else None
        fields = {
            "crime_reference": reference.upper() if reference else None,
            "recorded_date": check(read.date, row, "Date recorded"),
            "force": force,
            "area": area,
            "offence_type": check(read.choice, row, "Offence type", OFFENCE_TYPES),
            "cultivation": check(read.boolean, row, "Cultivation"),
            "plants": check(read.integer, row, "Plants", required=False),
            "site_type": check(read.choice, row, "Site type", SITE_TYPES, required=False),
            "factory": check(read.boolean, row, "Factory"),
            "outcome": check(read.choice, row, "Outcome", OUTCOMES, required=False) or Outcome.ONGOING,
            "outcome_date": check(read.date, row, "Outcome date", required=False),
            "warrant": check(self.warrants.find, row, "Warrant reference", force=force) if force else None,
        }
        check.finish(lambda: Offence(**fields), OffenceImporter.field_columns, exclude=LOOKED_UP)
        key = (force.pk, fields["crime_reference"])
        if key in self.seen:
            reference, first = fields["crime_reference"], self.seen[key]
            raise RowInvalid(f"Crime reference: {reference} of {force} appears again (first on row {first})")
        self.seen[key] = number
        existing = self.existing.get(key)
        if existing is not None and existing.is_withdrawn:
            raise RowInvalid(
                f"Crime reference: {force} has a withdrawn offence {existing.crime_reference}; "
                "a withdrawn reference is not reused"
            )
        if existing is None:
            return self._create(fields)
        if all(getattr(existing, name) == value for name, value in fields.items()):
            return UNCHANGED
        stored(Offence(pk=existing.pk, **fields)).full_clean()
        if self.write:
            services.offence_update(offence=existing, user=self.user, **fields)
        return UPDATED

    def _create(self, fields):
        offence = Offence(**fields)
        # Force, district and warrant were found among the stored ones and every crime reference
        # of the file was looked up at once: no query per foreign key or per reference.
        offence.full_clean(
            exclude=LOOKED_UP, validate_unique=False, validate_constraints=False, reference_checked=True
        )
        # The check constraints, asked of the database once per combination of the values they
        # read (clean() applies the same rules, with plainer messages, to every row).
        shape = (
            offence.offence_type,
            offence.cultivation,
            offence.plants is None,
            offence.site_type,
            offence.factory,
            offence.outcome,
            offence.outcome_date is None,
        )
        if shape not in self.checked_shapes:
            offence.validate_constraints(exclude=LOOKED_UP)
            self.checked_shapes.add(shape)
        if self.write:
            self.new.append(offence)
            self.counted |= counted_on(offence)
            if len(self.new) >= BATCH_SIZE:
                self._write_new()
        return CREATED

    def _write_new(self):
        create_with_history(Offence, self.new, user=self.user)
        self.new = []

    def finish(self):
        self._write_new()
        mark_counted(self.counted)


class OffenceImporter(Importer):
    key = "offences"
    label = "Offences"
    noun = ("offence", "offences")
    description = "Drug offences with cannabis cultivation details, one row per offence."
    permission = "offences.add_offence"
    export_permission = "offences.view_offence"
    columns = (
        Column("Crime reference", help="The force's crime number, e.g. 23/45678/24"),
        Column("Date recorded", help="2025-06-30 or 30/06/2025"),
        Column("Force", help="Warwickshire or West Mercia"),
        Column("District", help="The district's name or ONS code"),
        Column("Offence type", help="e.g. possession_cannabis, or the words shown on the form"),
        Column("Cultivation", help="yes or no"),
        Column("Plants", required=False, help="Cultivation only: number of plants"),
        Column("Site type", required=False, help="Cultivation only: residential, commercial, outdoor, other"),
        Column("Factory", required=False, help="Cultivation only: yes for a commercial-scale factory"),
        Column("Outcome", required=False, help="Blank or ongoing while the investigation is ongoing"),
        Column("Outcome date", required=False),
        Column("Warrant reference", required=False, help="A warrant of the same force, or blank"),
    )
    field_columns = {field: column for column, field in COLUMNS.items()}
    template_rows = (
        {"Crime reference": "23/11111/25", "Date recorded": "2025-06-10", "Force": "Warwickshire",
         "District": "Rugby", "Offence type": "production_cannabis", "Cultivation": "yes", "Plants": "24",
         "Site type": "residential", "Factory": "no", "Outcome": "charged", "Outcome date": "2025-07-01"},
    )  # fmt: skip

    def start(self, *, user, options, write):
        return OffenceSession(user=user, write=write)

    def export_records(self, user, params):
        return OffenceFilter(params, queryset=offence_list()).qs

    def export_rows(self, user, params):
        fields = (
            "crime_reference", "recorded_date", "force__name", "area__name", "offence_type", "cultivation",
            "plants", "site_type", "factory", "outcome", "outcome_date", "warrant__reference",
        )  # fmt: skip
        values = self.export_records(user, params).values_list(*fields)
        rows = (
            {
                "Crime reference": reference,
                "Date recorded": recorded.isoformat(),
                "Force": force,
                "District": district,
                "Offence type": offence_type,
                "Cultivation": "yes" if cultivation else "no",
                "Plants": "" if plants is None else plants,
                "Site type": site_type,
                "Factory": "yes" if factory else "no",
                "Outcome": outcome,
                "Outcome date": outcome_date.isoformat() if outcome_date else "",
                "Warrant reference": warrant or "",
            }
            for chunk in in_chunks(values)
            for (reference, recorded, force, district, offence_type, cultivation, plants, site_type, factory,
                 outcome, outcome_date, warrant) in chunk
        )  # fmt: skip
        return "offences-for-import", rows


register(OffenceImporter())

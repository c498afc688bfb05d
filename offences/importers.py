"""Drug offences from files, one row per offence, matched by crime reference and force.

Each row is validated by the model's own rules (full_clean), inside the import's single
transaction: new offences are written in bulk with their history (a file of 100,000 offences
would otherwise outlast the task's time limit), changed ones by offence_update. Exports in the
same columns import back unchanged.
"""

from core.bulk import create_with_history
from core.exports import in_chunks
from core.metrics import counted_on, mark_counted
from core.periodlocks import LockBook, dated_in
from geography.models import Area, Force
from imports import CREATED, UNCHANGED, UPDATED, Column, Importer, ImportSession, RowInvalid, register
from imports import values as read
from imports.matching import NameLookup, ReferenceLookup, stored

from . import services
from .filters import OffenceFilter
from .models import Offence, OffenceType, Outcome, SiteType, classifications
from .selectors import drug_model, live_sites, live_warrants, offence_list

BATCH_SIZE = 2000
LOOKED_UP = ["force", "area", "warrant", "site", "drug"]
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
    "Drug": "drug",
    "Cannabis factory reference": "site",
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
        self.drugs = NameLookup(drug_model().objects.all(), ("code", "name"))
        self.classifications = classifications()
        self.seen = {}
        self.locks = LockBook()

    def prefetch(self, records):
        named = [read.text(row, "Warrant reference") for lines in records for _, row in lines]
        self.warrants = ReferenceLookup(live_warrants(), named, noun="warrant")
        sites = [read.text(row, "Cannabis factory reference") for lines in records for _, row in lines]
        self.sites = ReferenceLookup(live_sites(), sites, noun="cannabis factory")
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
            "drug": check(self.drugs.find, row.get("Drug"), column="Drug", required=False),
            "site": check(self.sites.find, row, "Cannabis factory reference", force=force) if force else None,
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
        probe = stored(Offence(pk=existing.pk, **fields))
        probe.full_clean()
        if refused := self.locks.refusal_for(dated_in(existing) | dated_in(probe)):
            raise RowInvalid(f"Date recorded: {refused}")
        if self.write:
            services.offence_update(offence=existing, user=self.user, **fields)
        return UPDATED

    def _create(self, fields):
        offence = Offence(**fields)
        offence._classifications = self.classifications
        # Force, district and warrant were found among the stored ones and every crime reference
        # of the file was looked up at once: no query per foreign key or per reference.
        offence.full_clean(
            exclude=LOOKED_UP, validate_unique=False, validate_constraints=False, reference_checked=True
        )  # clean() stores the drug's class on the date recorded
        # The check constraints, asked of the database once per combination of the values they
        # read (clean() applies the same rules, with plainer messages, to every row).
        shape = (
            offence.offence_type,
            offence.cultivation,
            offence.plants is None,
            offence.site_type,
            offence.drug_id is None,
            offence.drug_class,
            offence.outcome,
            offence.outcome_date is None,
        )
        if shape not in self.checked_shapes:
            offence.validate_constraints(exclude=LOOKED_UP)
            self.checked_shapes.add(shape)
        cells = dated_in(offence)
        if refused := self.locks.refusal_for(cells):
            raise RowInvalid(f"Date recorded: {refused}")
        if self.write:
            self.locks.note(offence, cells, "Imported")
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
        self.locks.record(user=self.user)
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
        Column("Drug", required=False, help="The drug's code or name, e.g. cocaine; blank if not recorded"),
        Column(
            "Cannabis factory reference",
            required=False,
            help="A cannabis factory of the same force, or blank",
        ),
        Column(
            "Outcome",
            required=False,
            help="A Home Office outcome type, e.g. charged or diversion; blank or ongoing while ongoing",
        ),
        Column("Outcome date", required=False),
        Column("Warrant reference", required=False, help="A warrant of the same force, or blank"),
    )
    field_columns = {field: column for column, field in COLUMNS.items()}
    template_rows = (
        {"Crime reference": "23/11111/25", "Date recorded": "2025-06-10", "Force": "Warwickshire",
         "District": "Rugby", "Offence type": "production_cannabis", "Cultivation": "yes", "Plants": "24",
         "Site type": "residential", "Drug": "cannabis-plants", "Outcome": "charged",
         "Outcome date": "2025-07-01"},
    )  # fmt: skip

    def start(self, *, user, options, write):
        return OffenceSession(user=user, write=write)

    def export_records(self, user, params):
        return OffenceFilter(params, queryset=offence_list()).qs

    def export_rows(self, user, params):
        fields = (
            "crime_reference", "recorded_date", "force__name", "area__name", "offence_type", "cultivation",
            "plants", "site_type", "drug__code", "site__reference", "outcome", "outcome_date",
            "warrant__reference",
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
                "Drug": drug or "",
                "Cannabis factory reference": site or "",
                "Outcome": outcome,
                "Outcome date": outcome_date.isoformat() if outcome_date else "",
                "Warrant reference": warrant or "",
            }
            for chunk in in_chunks(values)
            for (reference, recorded, force, district, offence_type, cultivation, plants, site_type, drug,
                 site, outcome, outcome_date, warrant) in chunk
        )  # fmt: skip
        return "offences-for-import", rows


register(OffenceImporter())

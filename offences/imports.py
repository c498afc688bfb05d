"""Drug offences from files, one row per offence, matched by crime reference and force.

Each row is validated by the model's own rules (full_clean) and written by this app's services
(offence_create / offence_update), inside the import's single transaction. Exports in the same
columns import back unchanged.
"""

from core.imports import CREATED, UNCHANGED, UPDATED, Column, Importer, ImportSession, RowInvalid, register
from core.imports import values as read
from core.imports.lookups import NameLookup, stored
from geography.models import Area, Force

from . import services
from .filters import OffenceFilter
from .models import Offence, OffenceType, Outcome, SiteType
from .selectors import offence_list, warrants_named

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
        self.forces = NameLookup(Force.objects.filter(in_alliance=True), ("name", "ons_code"))
        self.areas = NameLookup(Area.objects.in_alliance(), ("name", "ons_code"), within="force_id")
        self.seen = {}

    def prefetch(self, records):
        self.warrants = warrants_named(
            read.text(row, "Warrant reference") for lines in records for _, row in lines
        )
        wanted = {read.text(row, "Crime reference").upper() for lines in records for _, row in lines}
        found = Offence.objects.live().filter(crime_reference__in_array=wanted)
        found = found.select_related("force", "area", "warrant")  # compared with the file's values
        self.existing = {(o.force_id, o.crime_reference): o for o in found}

    def handle(self, lines):
        ((number, row),) = lines
        force = self.forces.find(row["Force"], column="Force")
        fields = {
            "crime_reference": read.text(row, "Crime reference", required=True, max_length=30).upper(),
            "recorded_date": read.date(row, "Date recorded"),
            "force": force,
            "area": self.areas.find(row["District"], column="District", scope=force.pk),
            "offence_type": read.choice(row, "Offence type", OffenceType.choices),
            "cultivation": read.boolean(row, "Cultivation"),
            "plants": read.integer(row, "Plants", required=False),
            "site_type": read.choice(row, "Site type", SiteType.choices, required=False),
            "factory": read.boolean(row, "Factory"),
            "outcome": read.choice(row, "Outcome", Outcome.choices, required=False) or Outcome.ONGOING,
            "outcome_date": read.date(row, "Outcome date", required=False),
            "warrant": self._warrant(row, force),
        }
        key = (force.pk, fields["crime_reference"])
        if key in self.seen:
            reference, first = fields["crime_reference"], self.seen[key]
            raise RowInvalid(f"Crime reference: {reference} of {force} appears again (first on row {first})")
        self.seen[key] = number
        existing = self.existing.get(key)
        if existing is None:
            Offence(**fields).full_clean()
            if self.write:
                services.offence_create(user=self.user, **fields)
            return CREATED
        if all(getattr(existing, name) == value for name, value in fields.items()):
            return UNCHANGED
        stored(Offence(pk=existing.pk, **fields)).full_clean()
        if self.write:
            services.offence_update(offence=existing, user=self.user, **fields)
        return UPDATED

    def _warrant(self, row, force):
        reference = read.text(row, "Warrant reference")
        if not reference:
            return None
        warrant = self.warrants.get((force.pk, reference.lower()))
        if warrant is None:
            raise RowInvalid(f"Warrant reference: {force} has no warrant {reference}")
        return warrant


class OffenceImporter(Importer):
    key = "offences"
    label = "Offences"
    noun = ("offence", "offences")
    description = "Drug offences with cannabis cultivation details, one row per offence."
    permission = "offences.add_offence"
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

    def export_rows(self, user, params):
        if not user.has_perm("offences.view_offence"):
            return None
        rows = [
            {
                "Crime reference": o.crime_reference,
                "Date recorded": o.recorded_date.isoformat(),
                "Force": o.force.name,
                "District": o.area.name,
                "Offence type": o.offence_type,
                "Cultivation": "yes" if o.cultivation else "no",
                "Plants": "" if o.plants is None else o.plants,
                "Site type": o.site_type,
                "Factory": "yes" if o.factory else "no",
                "Outcome": o.outcome,
                "Outcome date": o.outcome_date.isoformat() if o.outcome_date else "",
                "Warrant reference": o.warrant.reference if o.warrant else "",
            }
            for o in OffenceFilter(params, queryset=offence_list()).qs
        ]
        return "offences-for-import", rows


register(OffenceImporter())

"""Seizures (one row per item, grouped by reference and force) and warrants from files.

Rows are validated by the models' own rules (full_clean) and written by this app's services;
new seizures are written in bulk with their history, priced exactly as `seizure_create` prices
them, so that a file of 100,000 items imports in a reasonable time. Exports in the same
columns import back unchanged.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.bulk import create_with_history
from core.exports import in_chunks
from core.metrics import counted_on, mark_counted
from core.periodlocks import LockBook, dated_in
from core.templatetags.formatting import quantity
from geography.models import Area, Force
from imports import CREATED, UNCHANGED, UPDATED, Column, Importer, ImportSession, RowInvalid, register
from imports import values as read
from imports.matching import NameLookup, ReferenceLookup, stored

from . import services
from .filters import SeizureFilter, WarrantFilter
from .models import MAX_ITEMS_PER_SEIZURE, TOO_MANY_ITEMS, Drug, Seizure, SeizureItem, Unit, Warrant
from .pricing import PriceBook
from .selectors import seizure_list, warrant_list

BATCH_SIZE = 2000
# Read once: an enum's .choices builds a new list each time it is asked.
UNITS = Unit.choices
RESULTS = Warrant.Result.choices
LOOKED_UP = ["force", "area", "warrant"]


class _Places:
    """Alliance forces by name or ONS code, and their districts by name or ONS code."""

    def __init__(self):
        self.forces = NameLookup(Force.objects.filter(in_alliance=True), ("name", "ons_code"))
        self.areas = NameLookup(Area.objects.in_alliance(), ("name", "ons_code"), within="force_id")

    def force(self, row):
        return self.forces.find(row["Force"], column="Force")

    def area(self, row, force):
        return self.areas.find(row["District"], column="District", scope=force.pk)


def _day(value):
    return value.isoformat() if value else ""


def _pence(row, column):
    """An amount in pounds (1250, £1,250.50) as pence; 0 when blank."""
    row = {column: str(row.get(column, "") or "").strip().removeprefix("£")}
    pounds = read.decimal(row, column, required=False)
    if pounds is None:
        return 0
    if pounds != pounds.quantize(Decimal("0.01")):
        raise RowInvalid(f"{column}: give pence as two digits at most, like 1250.50")
    return int(pounds * 100)


def _pounds(pence):
    return f"{Decimal(pence) / 100:.2f}" if pence else ""


# --- seizures ----------------------------------------------------------------------------------

SEIZURE_COLUMNS = {
    "Date seized": "seized_on",
    "District": "area",
    "Place": "place",
    "Postcode": "postcode",
    "Warrant reference": "warrant",
    "Notes": "notes",
}


class SeizureSession(ImportSession):
    def __init__(self, *, user, write, file_name=""):
        self.user, self.write = user, write
        self.places = _Places()
        self.drugs = NameLookup(Drug.objects.all(), ("code", "name"))
        self.book = PriceBook.load()
        self.new = []
        self.counted = set()
        self.valid_items = set()
        self.locks = LockBook()

    def prefetch(self, records):
        named = [read.text(lines[0][1], "Warrant reference") for lines in records]
        self.warrants = ReferenceLookup(Warrant.objects.live(), named, noun="warrant")
        # References as stored, case and all (the unique constraint is on the exact text): a
        # record's first row gives its reference, as in handle().
        wanted = {read.text(lines[0][1], "Reference") for lines in records}
        # Withdrawn ones too: their references stay taken.
        existing = (
            Seizure.objects.filter(reference__in_array=wanted)
            .select_related("force", "area", "warrant")  # compared with the file's values
            .prefetch_related("items")
        )
        self.existing = {(s.force_id, s.reference): s for s in existing}

    def handle(self, lines):
        first_number, first = lines[0]
        check = read.RowCheck()
        for number, row in lines[1:]:
            for column in ("Date seized", "District", "Place", "Postcode", "Warrant reference", "Notes"):
                if str(row.get(column, "")) != str(first.get(column, "")):
                    check.problems.append(
                        f"{column}: rows {first_number} and {number} are items of the same seizure "
                        "but give different values"
                    )
        force = check(self.places.force, first)
        fields = {
            "reference": check(read.text, first, "Reference", required=True, max_length=30),
            "seized_on": check(read.date, first, "Date seized"),
            "force": force,
            "area": check(self.places.area, first, force) if force else None,
            "place": read.text(first, "Place"),
            "postcode": read.text(first, "Postcode"),
            "warrant": check(self.warrants.find, first, "Warrant reference", force=force) if force else None,
            "notes": read.text(first, "Notes"),
        }
        if len(lines) > MAX_ITEMS_PER_SEIZURE:
            check.problems.append(f"{TOO_MANY_ITEMS} (this seizure has {len(lines)} rows)")
        items = [self._item(number, row, check, several=len(lines) > 1) for number, row in lines]
        if fields["seized_on"] is not None:
            for (number, _), item in zip(lines, items, strict=True):
                if item is not None and (reason := self.book.not_controlled(item.drug, fields["seized_on"])):
                    check.problems.append(f"Row {number}: {reason}" if len(lines) > 1 else f"Drug: {reason}")
        check.finish(lambda: Seizure(**fields), SeizureImporter.field_columns, exclude=LOOKED_UP)
        existing = self.existing.get((force.pk, fields["reference"]))
        if existing is not None and existing.is_withdrawn:
            raise RowInvalid(
                f"Reference: {force} has a withdrawn seizure {existing.reference}; "
                "a withdrawn reference is not reused"
            )
        if existing is None:
            return self._create(fields, items)
        return self._update(existing, fields, items)

    def _item(self, number, row, check, *, several):
        problems = len(check.problems)
        drug = check(self.drugs.find, row["Drug"], column="Drug")
        quantity = check(read.decimal, row, "Quantity")
        unit = check(read.choice, row, "Unit", UNITS)
        plant_count = check(read.integer, row, "Plants counted", required=False)
        if several:
            check.problems[problems:] = [f"Row {number}: {reason}" for reason in check.problems[problems:]]
        if drug is None or quantity is None or not unit:
            return None
        item = SeizureItem(drug=drug, quantity=quantity, unit=unit, plant_count=plant_count)
        # An item's rules depend only on its drug, quantity, unit and plant count: each
        # combination is checked once per file (large files repeat the same few a great many times).
        key = (item.drug_id, item.quantity, item.unit, item.plant_count)
        if key not in self.valid_items:
            try:
                # The item's own rules (unit fits the drug, quantity in range), without a query
                # per database constraint, nor per foreign key: the drug is from the catalogue.
                item.full_clean(
                    exclude=["seizure", "drug"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as invalid:
                check.problems.append(f"Row {number}: {'; '.join(invalid.messages)}")
                return None
            self.valid_items.add(key)
        return item

    def _create(self, fields, items):
        seizure = Seizure(**fields)
        # Force, district and warrant were found among the stored ones, and every reference of
        # the file was looked up at once (self.existing; rows of one reference are one seizure),
        # so neither the per-foreign-key nor the per-reference queries are needed.
        # validate_unique: a new seizure's only unique field is its pk.
        seizure.full_clean(
            exclude=LOOKED_UP, validate_unique=False, validate_constraints=False, reference_checked=True
        )
        cells = dated_in(seizure)
        if refused := self.locks.refusal_for(cells):
            raise RowInvalid(f"Date seized: {refused}")
        if self.write:
            self.locks.note(seizure, cells, "Imported")
            self.new.append((seizure, items))
            self.counted |= counted_on(seizure)
            if len(self.new) >= BATCH_SIZE:
                self._write_new()
        return CREATED

    def _update(self, existing, fields, items):
        probe = stored(Seizure(pk=existing.pk, **fields))
        # reference_checked: it is this seizure's own reference.
        probe.full_clean(exclude=LOOKED_UP, validate_constraints=False, reference_checked=True)
        fields["postcode"] = probe.postcode  # as the model normalises it
        same_fields = all(getattr(existing, name) == value for name, value in fields.items())
        if same_fields and _item_keys(existing.items.all()) == _item_keys(items):
            return UNCHANGED
        if refused := self.locks.refusal_for(dated_in(existing) | dated_in(probe)):
            raise RowInvalid(f"Date seized: {refused}")
        if self.write:
            services.seizure_update(seizure=existing, user=self.user, items=_specs(existing, items), **fields)
        return UPDATED

    def _write_new(self):
        seizures = [seizure for seizure, _ in self.new]
        create_with_history(Seizure, seizures, user=self.user)
        items = []
        priced_at = timezone.now()
        for seizure, seizure_items in self.new:
            for item in seizure_items:
                item.seizure = seizure
                services.price_item(
                    item, self.book, seizure.seized_on, force_id=seizure.force_id, priced_at=priced_at
                )
                items.append(item)
        create_with_history(SeizureItem, items, user=self.user)
        self.new.clear()

    def finish(self):
        self._write_new()
        self.locks.record(user=self.user)
        mark_counted(self.counted)


def _item_keys(items):
    return sorted(
        (item.drug_id, item.quantity.normalize(), item.unit, item.plant_count or 0) for item in items
    )


def _specs(existing, items):
    """Item specs for seizure_update: an item with the same drug and unit as a stored one keeps
    its id, so a corrected quantity keeps the price it was valued at."""
    unused = list(existing.items.all())
    specs = []
    for item in items:
        match = next((old for old in unused if (old.drug_id, old.unit) == (item.drug_id, item.unit)), None)
        if match is not None:
            unused.remove(match)
        specs.append(
            {
                "id": match.pk if match else None,
                "drug": item.drug,
                "quantity": item.quantity,
                "unit": item.unit,
                "plant_count": item.plant_count,
            }
        )
    return specs


class SeizureImporter(Importer):
    key = "seizures"
    label = "Seizures"
    noun = ("seizure", "seizures")
    description = (
        "Drug seizures, one row per drug seized: rows with the same reference and force make one seizure."
    )
    permission = "seizures.add_seizure"
    export_permission = "seizures.view_seizure"
    columns = (
        Column("Reference", help="The force's seizure or property reference"),
        Column("Date seized", help="2025-06-30 or 30/06/2025"),
        Column("Force", help="Warwickshire or West Mercia"),
        Column("District", help="The district's name or ONS code, e.g. Rugby or E07000220"),
        Column("Place", help="Where the drugs were found"),
        Column("Postcode", required=False, help="A full UK postcode, or blank"),
        Column("Warrant reference", required=False, help="A warrant of the same force, or blank"),
        Column("Notes", required=False),
        Column("Drug", help="The drug's code or name, e.g. herbal-cannabis"),
        Column("Quantity", help="A number greater than 0"),
        Column("Unit", help="g, kg, plants, doses or ml"),
        Column(
            "Plants counted", required=False, help="Cannabis plants recorded by weight: how many, if counted"
        ),
    )
    field_columns = {
        "reference": "Reference",
        "items": "Drug",
        "drug": "Drug",
        "quantity": "Quantity",
        "unit": "Unit",
        "plant_count": "Plants counted",
    }
    field_columns.update({field: column for column, field in SEIZURE_COLUMNS.items()})
    template_rows = (
        {"Reference": "WK-S-0001", "Date seized": "2025-06-01", "Force": "Warwickshire", "District": "Rugby",
         "Place": "Rear bedroom of a house", "Postcode": "CV21 2DP", "Drug": "herbal-cannabis",
         "Quantity": "12.5", "Unit": "g"},
        {"Reference": "WK-S-0001", "Date seized": "2025-06-01", "Force": "Warwickshire", "District": "Rugby",
         "Place": "Rear bedroom of a house", "Postcode": "CV21 2DP", "Drug": "cocaine", "Quantity": "3",
         "Unit": "g"},
    )  # fmt: skip

    def group_key(self, row):
        return (str(row.get("Force", "")).strip().lower(), str(row.get("Reference", "")).strip().upper())

    def start(self, *, user, options, write):
        return SeizureSession(user=user, write=write)

    def export_records(self, user, params):
        return SeizureFilter(params, queryset=seizure_list()).qs

    def export_rows(self, user, params):
        return "seizures-for-import", _seizure_rows(self.export_records(user, params))


SEIZURE_EXPORT = {
    "Reference": "reference",
    "Date seized": "seized_on",
    "Force": "force__name",
    "District": "area__name",
    "Place": "place",
    "Postcode": "postcode",
    "Warrant reference": "warrant__reference",
    "Notes": "notes",
}


def _seizure_rows(seizures):
    """One row a drug seized, read in chunks: the seizures' fields, then the chunk's items."""
    values = seizures.prefetch_related(None).values("pk", *SEIZURE_EXPORT.values())
    for chunk in in_chunks(values):
        items = defaultdict(list)
        found = SeizureItem.objects.filter(seizure_id__in=[row["pk"] for row in chunk]).order_by(
            "seizure_id", "pk"
        )
        for seizure_id, code, amount, unit, plants in found.values_list(
            "seizure_id", "drug__code", "quantity", "unit", "plant_count"
        ):
            items[seizure_id].append(
                {"Drug": code, "Quantity": quantity(amount), "Unit": unit, "Plants counted": plants or ""}
            )
        for row in chunk:
            common = {column: _text(row[field]) for column, field in SEIZURE_EXPORT.items()}
            for item in items[row["pk"]]:
                yield {**common, **item}


def _text(value):
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


# --- warrants ----------------------------------------------------------------------------------

WARRANT_EXPORT = {
    "Reference": "reference",
    "Force": "force__name",
    "District": "area__name",
    "Date applied for": "applied_on",
    "Date issued": "issued_on",
    "Date executed": "executed_on",
    "Result": "result",
    "Arrests": "arrests",
    "Cash seized (£)": "cash_seized_pence",
    "Other property": "other_property",
    "Notes": "notes",
}

WARRANT_COLUMNS = {
    "Reference": "reference",
    "District": "area",
    "Date applied for": "applied_on",
    "Date issued": "issued_on",
    "Date executed": "executed_on",
    "Result": "result",
    "Arrests": "arrests",
    "Cash seized (£)": "cash_seized_pence",
    "Other property": "other_property",
    "Notes": "notes",
}


class WarrantSession(ImportSession):
    def __init__(self, *, user, write):
        self.user, self.write = user, write
        self.places = _Places()
        live = Warrant.objects.live().select_related("force", "area")  # compared with the file's values
        self.existing = {(w.force_id, w.reference.upper()): w for w in live}
        self.seen = {}
        self.locks = LockBook()

    def handle(self, lines):
        ((number, row),) = lines
        check = read.RowCheck()
        force = check(self.places.force, row)
        fields = {
            "reference": check(read.text, row, "Reference", required=True, max_length=30),
            "force": force,
            "area": check(self.places.area, row, force) if force else None,
            "applied_on": check(read.date, row, "Date applied for", required=False),
            "issued_on": check(read.date, row, "Date issued"),
            "executed_on": check(read.date, row, "Date executed", required=False),
            "result": check(read.choice, row, "Result", RESULTS),
            "arrests": check(read.integer, row, "Arrests", required=False) or 0,
            "cash_seized_pence": check(_pence, row, "Cash seized (£)"),
            "other_property": read.text(row, "Other property"),
            "notes": read.text(row, "Notes"),
        }
        check.finish(lambda: Warrant(**fields), WarrantImporter.field_columns, exclude=["force", "area"])
        key = (force.pk, fields["reference"].upper())
        if key in self.seen:
            raise RowInvalid(
                f"Reference: {fields['reference']} of {force} appears again (first on row {self.seen[key]})"
            )
        self.seen[key] = number
        existing = self.existing.get(key)
        if existing is None:
            Warrant(**fields).full_clean()
            if refused := self.locks.refusal_for(dated_in(Warrant(**fields))):
                raise RowInvalid(f"Date issued: {refused}")
            if self.write:
                services.warrant_create(user=self.user, **fields)
            return CREATED
        if all(getattr(existing, name) == value for name, value in fields.items()):
            return UNCHANGED
        probe = stored(Warrant(pk=existing.pk, **fields))
        probe.full_clean()
        if refused := self.locks.refusal_for(dated_in(existing) | dated_in(probe)):
            raise RowInvalid(f"Date issued: {refused}")
        if self.write:
            services.warrant_update(warrant=existing, user=self.user, **fields)
        return UPDATED


class WarrantImporter(Importer):
    key = "warrants"
    label = "Warrants"
    noun = ("warrant", "warrants")
    description = "Drugs search warrants, one row per warrant, matched by reference and force."
    permission = "seizures.add_warrant"
    export_permission = "seizures.view_warrant"
    columns = (
        Column("Reference"),
        Column("Force", help="Warwickshire or West Mercia"),
        Column("District", help="The district's name or ONS code"),
        Column("Date applied for", required=False),
        Column("Date issued"),
        Column("Date executed", required=False, help="Blank if not executed"),
        Column("Result", help="drugs_found, nothing_found or not_executed (or the words shown on the list)"),
        Column("Arrests", required=False, help="A whole number, 0 if blank"),
        Column("Cash seized (£)", required=False, help="Pounds and pence, e.g. 1250.50; blank for none"),
        Column("Other property", required=False, help="Vehicles, phones… seized besides drugs and cash"),
        Column("Notes", required=False),
    )
    field_columns = {field: column for column, field in WARRANT_COLUMNS.items()}
    template_rows = (
        {"Reference": "WK-W-0001", "Force": "Warwickshire", "District": "Rugby",
         "Date applied for": "2025-05-01", "Date issued": "2025-05-02", "Date executed": "2025-05-06",
         "Result": "drugs_found", "Arrests": "1"},
    )  # fmt: skip

    def start(self, *, user, options, write):
        return WarrantSession(user=user, write=write)

    def export_records(self, user, params):
        return WarrantFilter(params, queryset=warrant_list()).qs

    def export_rows(self, user, params):
        values = self.export_records(user, params).values(*WARRANT_EXPORT.values())
        rows = (
            {
                column: _pounds(row[field]) if field == "cash_seized_pence" else _text(row[field])
                for column, field in WARRANT_EXPORT.items()
            }
            for chunk in in_chunks(values)
            for row in chunk
        )
        return "warrants-for-import", rows


register(SeizureImporter())
register(WarrantImporter())

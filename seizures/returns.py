"""The Home Office annual seizure return of a force for a financial year (1 April – 31 March):
the number of seizures and the quantity seized, by drug and class, in the Home Office's units.

Counting rules (Home Office user guide): a seizure counts once in the total, once under each
drug and once under each class it holds, so the drugs of a class do not add up to the class
and the classes do not add up to the total. The class is the one in force on the date seized
(stored on each item). Quantities are in each drug's reporting unit (kg, doses or plants); an
item recorded in a unit that does not convert to it (a liquid in millilitres where the return
counts doses) is shown beside the row, never dropped or guessed.

The rows come from the drug catalogue, so a drug or category added to it (Other Class A,
Unknown…) appears without a change here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from core.periods import financial_year

from .models import Drug, DrugClassification, Seizure, SeizureItem
from .models.units import DrugClass, Unit, convert, convertible

# The classes in the return's order; "" is an item whose drug held no class on the date seized
# (the Home Office's "Unknown" column sits after the classes).
CLASS_ORDER = (DrugClass.A.value, DrugClass.B.value, DrugClass.C.value, "")
CLASS_NAMES = {"A": "Class A", "B": "Class B", "C": "Class C", "": "Class not known"}


@dataclass
class ReturnRow:
    kind: str  # "drug", "class" (a class's total) or "total"
    drug_class: str
    label: str
    seizures: int
    drug: object = None
    quantity: Decimal | None = None
    unit: str = ""
    other_units: dict = field(default_factory=dict)  # unit -> quantity not in the return's unit

    @property
    def class_label(self):
        return CLASS_NAMES[self.drug_class] if self.kind != "total" else ""

    @property
    def unit_label(self):
        return Unit(self.unit).label if self.unit else ""


@dataclass
class SeizureReturn:
    year: int
    force: object
    rows: list

    @property
    def period(self):
        return financial_year(self.year)

    @property
    def total(self):
        return self.rows[-1].seizures

    def row(self, *, drug=None, drug_class=None):
        """The drug's row (under `drug_class` when given), or the class's total row."""
        for row in self.rows:
            is_drug = drug is not None and row.kind == "drug" and row.drug.code == drug
            if is_drug and drug_class in (None, row.drug_class):
                return row
            if drug is None and row.kind == "class" and row.drug_class == drug_class:
                return row
        return None


def home_office_return(*, year, force):
    period = financial_year(year)
    seizures = Seizure.objects.live().filter(
        force=force, seized_on__gte=period.start, seized_on__lte=period.end
    )
    items = SeizureItem.objects.filter(seizure__in=seizures)
    by_drug = {
        (row["drug_id"], row["drug_class"]): row["seizures"]
        for row in items.values("drug_id", "drug_class").annotate(seizures=Count("seizure", distinct=True))
    }
    by_class = {
        row["drug_class"]: row["seizures"]
        for row in items.values("drug_class").annotate(seizures=Count("seizure", distinct=True))
    }
    amounts = defaultdict(list)
    for row in items.values("drug_id", "drug_class", "unit").annotate(total=Sum("quantity")).order_by():
        # Items hold three decimal places: the sum is exact there (SQLite sums in floating point).
        total = Decimal(row["total"]).quantize(Decimal("0.001"))
        amounts[(row["drug_id"], row["drug_class"])].append((row["unit"], total))

    # Plants weighed and counted too: their count is part of the plants seized (as the dashboard
    # counts them); their weight is shown beside the row with the plants weighed only.
    counted_beside_weight = {
        (row["drug_id"], row["drug_class"]): row["plants"]
        for row in items.exclude(unit=Unit.PLANTS)
        .filter(plant_count__isnull=False)
        .values("drug_id", "drug_class")
        .annotate(plants=Sum("plant_count"))
        .order_by()
    }

    rows = []
    for drug_class in CLASS_ORDER:
        drugs = _catalogue_rows(drug_class, period, {drug for drug, c in by_drug if c == drug_class})
        if drug_class == "" and not drugs:
            continue
        for drug in drugs:
            quantity, others = Decimal(0), defaultdict(Decimal)
            for unit, total in amounts.get((drug.pk, drug_class), []):
                if convertible(unit, drug.reporting_unit):
                    quantity += convert(total, unit, drug.reporting_unit)
                else:
                    others[unit] += total
            if drug.reporting_unit == Unit.PLANTS:
                quantity += Decimal(counted_beside_weight.get((drug.pk, drug_class), 0))
            rows.append(
                ReturnRow(
                    kind="drug",
                    drug_class=drug_class,
                    label=drug.name,
                    drug=drug,
                    seizures=by_drug.get((drug.pk, drug_class), 0),
                    quantity=quantity,
                    unit=drug.reporting_unit,
                    other_units=dict(others),
                )
            )
        rows.append(
            ReturnRow(
                kind="class",
                drug_class=drug_class,
                label=f"Total {CLASS_NAMES[drug_class]}",
                seizures=by_class.get(drug_class, 0),
            )
        )
    rows.append(ReturnRow(kind="total", drug_class="", label="All drugs", seizures=seizures.count()))
    return SeizureReturn(year=year, force=force, rows=rows)


def _catalogue_rows(drug_class, period, seized):
    """The drugs listed under a class: those that held it at some time in the year (the return
    lists them even with nothing seized) and those seized under it, in catalogue order."""
    if drug_class:
        held = DrugClassification.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=period.start),
            drug_class=drug_class,
            valid_from__lte=period.end,
        ).values("drug_id")
        wanted = Q(pk__in=held, active=True) | Q(pk__in=seized)
    else:
        # Catalogue entries with no class at all ("Unknown"), and drugs seized when not controlled.
        wanted = Q(classifications__isnull=True, active=True) | Q(pk__in=seized)
    return list(Drug.objects.filter(wanted).distinct().order_by("display_order", "name"))


COLUMNS = (
    "Financial year",
    "Police force",
    "Class",
    "Drug",
    "Number of seizures",
    "Quantity seized",
    "Unit",
    "Also recorded in other units",
)


def quantity_text(quantity, unit):
    if quantity is None:
        return ""
    places = Decimal("0.001") if unit == Unit.KILOGRAMS else Decimal("1")
    return f"{quantity.quantize(places)}"


def csv_rows(seizure_return):
    """The return as the CSV gives it, one row per line of the return."""
    for row in seizure_return.rows:
        yield [
            seizure_return.period.label,
            seizure_return.force.name,
            row.class_label,
            row.label,
            row.seizures,
            quantity_text(row.quantity, row.unit) if row.kind == "drug" else "",
            row.unit_label if row.kind == "drug" else "",
            "; ".join(f"{quantity_text(q, u)} {Unit(u).label}" for u, q in sorted(row.other_units.items())),
        ]

"""Street value and drug class as they stood on a given day, from the dated tables."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from .models import DrugClassification, StreetPrice
from .models.units import convert, convertible


def _in_force(row, day):
    return row.valid_from <= day and (row.valid_to is None or day <= row.valid_to)


class PriceBook:
    """The classification and price tables held in memory: two queries, then any number of
    look-ups (a form's items, or a whole demo load)."""

    def __init__(self, classifications, prices):
        self._classes = defaultdict(list)
        for row in classifications:
            self._classes[row.drug_id].append(row)
        self._prices = defaultdict(list)
        for row in prices:
            self._prices[row.drug_id].append(row)

    @classmethod
    def load(cls, drug_ids=None):
        classifications = DrugClassification.objects.all()
        prices = StreetPrice.objects.select_related("drug")  # the price text names the drug's unit
        if drug_ids is not None:
            classifications = classifications.filter(drug_id__in=drug_ids)
            prices = prices.filter(drug_id__in=drug_ids)
        return cls(classifications, prices)

    def class_of(self, drug_id, day):
        """'A', 'B' or 'C' as in force on `day`; '' when the drug was not controlled then."""
        for row in self._classes[drug_id]:
            if _in_force(row, day):
                return row.drug_class
        return ""

    def price_for(self, drug_id, unit, day):
        """The price in force on `day` for this unit, else for a unit it converts to
        (a kilogram seizure priced from the gram street deal); None when there is none."""
        in_force = [row for row in self._prices[drug_id] if _in_force(row, day)]
        for row in in_force:
            if row.unit == unit:
                return row
        for row in in_force:
            if convertible(unit, row.unit):
                return row
        return None


def value_in_pence(quantity, unit, price, price_per_unit_pence=None):
    """Quantity converted to the price's unit times the price per unit, to the nearest penny."""
    per_unit = price.price_per_unit_pence if price_per_unit_pence is None else price_per_unit_pence
    in_price_unit = convert(Decimal(quantity), unit, price.unit)
    return int((in_price_unit * per_unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))

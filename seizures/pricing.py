"""Street value and drug class as they stood on a given day, from the dated tables.

Each force prices by its own table; the alliance default lies beneath: a force's own row in
force on the date wins, else the default's. Cannabis plants counted are valued as the yield per
plant assumed then times the herbal cannabis price then; plants weighed, by their weight at the
herbal cannabis price."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import CANNABIS_PLANTS, HERBAL_CANNABIS, Drug, DrugClassification, StreetPrice
from .models.drugs import long_date
from .models.units import Unit, convert, convertible


def _in_force(row, day):
    return row.valid_from <= day and (row.valid_to is None or day <= row.valid_to)


def _pence(amount):
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Valuation:
    """How an item is valued: the price row, the yield row (plants counted), the price per unit
    stored with the item (of the price's unit; of one plant for plants counted) and the value.
    All None when there is no price on the date."""

    price: StreetPrice | None = None
    plant_yield: StreetPrice | None = None
    price_per_unit_pence: int | None = None
    value_pence: int | None = None


UNPRICED = Valuation()


class PriceBook:
    """The classification and price tables held in memory: three queries, then any number of
    look-ups (a form's items, a bulk re-pricing, or a whole demo load)."""

    def __init__(self, classifications, prices, *, plants_id=None, herbal_id=None, unidentified=()):
        self._classes = defaultdict(list)
        for row in classifications:
            self._classes[row.drug_id].append(row)
        self._prices = defaultdict(list)
        for row in prices:
            self._prices[(row.drug_id, row.force_id)].append(row)
        self.plants_id, self.herbal_id = plants_id, herbal_id
        self.unidentified = frozenset(unidentified)

    @classmethod
    def load(cls, drug_ids=None):
        codes = dict(
            Drug.objects.filter(code__in=[CANNABIS_PLANTS, HERBAL_CANNABIS]).values_list("code", "pk")
        )
        classifications = DrugClassification.objects.all()
        # The price text names the drug and the table (a force's or the default).
        prices = StreetPrice.objects.select_related("drug", "force")
        if drug_ids is not None:
            drug_ids = set(drug_ids)
            if codes.get(CANNABIS_PLANTS) in drug_ids:
                drug_ids.add(codes.get(HERBAL_CANNABIS))  # plants are valued at the herbal price
            classifications = classifications.filter(drug_id__in=drug_ids)
            prices = prices.filter(drug_id__in=drug_ids)
        return cls(
            classifications,
            prices,
            plants_id=codes.get(CANNABIS_PLANTS),
            herbal_id=codes.get(HERBAL_CANNABIS),
            unidentified=Drug.objects.filter(unidentified=True).values_list("pk", flat=True),
        )

    def class_of(self, drug_id, day):
        """'A', 'B' or 'C' as in force on `day`; '' when the drug was not controlled then."""
        for row in self._classes[drug_id]:
            if _in_force(row, day):
                return row.drug_class
        return ""

    def not_controlled(self, drug, day):
        """The reason an item of `drug` seized on `day` is refused, or None: a drug not
        controlled on the day (mephedrone before 16 April 2010) is no seizure of a controlled
        drug. A substance awaiting identification ("Unknown") is never refused."""
        if drug.pk in self.unidentified or self.class_of(drug.pk, day):
            return None
        later = sorted(
            (row for row in self._classes[drug.pk] if row.valid_from > day), key=lambda r: r.valid_from
        )
        since = f" (controlled from {long_date(later[0].valid_from)})" if later else ""
        return f"{drug.name} was not a controlled drug on {long_date(day)}{since}: it cannot be recorded"

    def price_for(self, drug_id, unit, day, force_id=None):
        """The row in force on `day` for this unit, else for a unit it converts to (a kilogram
        seizure priced from the gram street deal): the force's own table first, then the
        alliance default. None when neither has one."""
        tables = [force_id, None] if force_id is not None else [None]
        for table in tables:
            in_force = [row for row in self._prices[(drug_id, table)] if _in_force(row, day)]
            for row in in_force:
                if row.unit == unit:
                    return row
            for row in in_force:
                if convertible(unit, row.unit):
                    return row
        return None

    def valuation(self, drug_id, unit, quantity, day, force_id=None):
        """The Valuation of `quantity` `unit` of the drug seized on `day` in the force."""
        if drug_id == self.plants_id and self.plants_id is not None:
            if unit == Unit.PLANTS:
                return self._plants_counted(quantity, day, force_id)
            # Weighed plants: their weight at the herbal cannabis price.
            drug_id = self.herbal_id
        price = self.price_for(drug_id, unit, day, force_id)
        if price is None or price.price_per_unit_pence is None:
            return UNPRICED
        return Valuation(
            price=price,
            price_per_unit_pence=price.price_per_unit_pence,
            value_pence=value_in_pence(quantity, unit, price),
        )

    def _plants_counted(self, quantity, day, force_id):
        plant_yield = self.price_for(self.plants_id, Unit.PLANTS, day, force_id)
        herbal = self.price_for(self.herbal_id, Unit.GRAMS, day, force_id)
        if plant_yield is None or herbal is None:
            return UNPRICED
        per_gram = convert(Decimal(1), Unit.GRAMS, herbal.unit) * herbal.price_per_unit_pence
        per_plant = _pence(plant_yield.yield_grams_per_plant * per_gram)
        return Valuation(
            price=herbal,
            plant_yield=plant_yield,
            price_per_unit_pence=per_plant,
            value_pence=_pence(Decimal(quantity) * per_plant),
        )


def value_in_pence(quantity, unit, price, price_per_unit_pence=None):
    """Quantity converted to the price's unit times the price per unit, to the nearest penny."""
    per_unit = price.price_per_unit_pence if price_per_unit_pence is None else price_per_unit_pence
    in_price_unit = convert(Decimal(quantity), unit, price.unit)
    return _pence(in_price_unit * per_unit)


def value_at(quantity, unit, price, price_per_unit_pence, *, per_plant=False):
    """A quantity's value at a stored valuation: for plants counted (`per_plant`), the value of
    one plant times the plants; else value_in_pence. None without a price."""
    if price is None or price_per_unit_pence is None:
        return None
    if per_plant:
        return _pence(Decimal(quantity) * price_per_unit_pence)
    return value_in_pence(quantity, unit, price, price_per_unit_pence)


def stored_value(item):
    """The item's value at the price it was valued with (its quantity changed, its price kept)."""
    if item.price_id is None:
        return None
    return value_at(
        item.quantity, item.unit, item.price, item.price_per_unit_pence, per_plant=bool(item.plant_yield_id)
    )

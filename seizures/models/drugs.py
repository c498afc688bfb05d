"""The drug catalogue, the class each drug held when, and the dated street price tables."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .units import SINGULAR, UNITS_BY_MEASURE, DrugClass, Measure, Unit


class Drug(models.Model):
    code = models.SlugField(
        max_length=40, unique=True, help_text="Used in links and the API: herbal-cannabis"
    )
    name = models.CharField(max_length=80, unique=True)
    measured_by = models.CharField(max_length=10, choices=Measure.choices)
    reporting_unit = models.CharField(
        max_length=10, choices=Unit.choices, help_text="The unit the Home Office seizure returns use"
    )
    display_order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True, help_text="Offered in recording forms")

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name

    @property
    def units(self):
        return UNITS_BY_MEASURE[Measure(self.measured_by)]

    def fits(self, unit):
        return unit in self.units

    def units_text(self):
        labels = [Unit(unit).label for unit in self.units]
        return " or ".join(labels)


class DrugClassification(models.Model):
    """The class a drug held over a period (Misuse of Drugs Act 1971 and its amending orders).

    Cannabis was Class B, Class C from 29 January 2004 and Class B again from 26 January 2009:
    a seizure counts under the class in force on the day it was made."""

    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="classifications")
    drug_class = models.CharField("class", max_length=1, choices=DrugClass.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Last day in force; blank while in force")
    legislation = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["drug", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["drug", "valid_from"], name="one_classification_per_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="classification_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return (
            f"{self.drug}: {self.get_drug_class_display()} from {self.valid_from.day} {self.valid_from:%B %Y}"
        )

    def clean(self):
        if self.drug_id is None or self.valid_from is None:
            return
        if _overlapping(DrugClassification.objects.filter(drug_id=self.drug_id), self).exists():
            raise ValidationError({"valid_from": "This period overlaps another classification of the drug"})


class StreetPrice(models.Model):
    """One row of a force's street price table: the price of one unit of a drug over a period.

    There is no national standard; forces price by their own table, usually the 1 g street
    deal. Cannabis plants are priced by an assumed yield per plant (courts have used 28–40 g,
    R v Auton 2011; the 2012 sentencing guideline assumes 40 g), shown wherever the price is."""

    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="prices")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    price_per_unit_pence = models.PositiveIntegerField("price per unit (pence)")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Last day in force; blank while in force")
    source = models.CharField(max_length=200, help_text="Whose table this is and when it was set")
    yield_grams_per_plant = models.DecimalField(
        "assumed yield per plant (grams)", max_digits=6, decimal_places=1, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["drug", "unit", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["drug", "unit", "valid_from"], name="one_price_per_start"),
            models.CheckConstraint(condition=Q(price_per_unit_pence__gt=0), name="price_is_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="price_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(unit=Unit.PLANTS, yield_grams_per_plant__gt=0)
                | (~Q(unit=Unit.PLANTS) & Q(yield_grams_per_plant__isnull=True)),
                name="plant_prices_state_their_yield",
            ),
        ]

    def __str__(self):
        return f"{self.drug}: {self.describe()}"

    def describe(self):
        from core.templatetags.formatting import format_pence, quantity

        text = f"{format_pence(self.price_per_unit_pence)} per {SINGULAR[Unit(self.unit)]}"
        if self.yield_grams_per_plant:
            text += f" (assuming {quantity(self.yield_grams_per_plant)} g of cannabis per plant)"
        return text

    def replaced_price(self):
        """For a new price: the price of the drug in this unit in force until it starts (open
        ended, starting earlier), which introducing this one ends the day before."""
        if not self._state.adding or not (self.drug_id and self.unit and self.valid_from):
            return None
        return StreetPrice.objects.filter(
            drug_id=self.drug_id, unit=self.unit, valid_from__lt=self.valid_from, valid_to__isnull=True
        ).first()

    def clean(self):
        errors = {}
        if self.drug_id and self.unit and not self.drug.fits(self.unit):
            errors["unit"] = f"{self.drug} is recorded in {self.drug.units_text()}"
        if self.unit == Unit.PLANTS and not self.yield_grams_per_plant:
            errors["yield_grams_per_plant"] = "Give the yield per plant this price assumes"
        if self.unit and self.unit != Unit.PLANTS and self.yield_grams_per_plant is not None:
            errors["yield_grams_per_plant"] = "Only plant prices assume a yield"
        if self.drug_id and self.unit and self.valid_from:
            others = StreetPrice.objects.filter(drug_id=self.drug_id, unit=self.unit)
            replaced = self.replaced_price()
            if replaced is not None:
                others = others.exclude(pk=replaced.pk)
            if _overlapping(others, self).exists():
                errors["valid_from"] = "This period overlaps another price of the drug in this unit"
        if errors:
            raise ValidationError(errors)


def _overlapping(queryset, period):
    """Rows of `queryset` whose [valid_from, valid_to] overlaps `period`'s (open ends allowed)."""
    overlap = Q(valid_to__isnull=True) | Q(valid_to__gte=period.valid_from)
    if period.valid_to is not None:
        overlap &= Q(valid_from__lte=period.valid_to)
    return queryset.filter(overlap).exclude(pk=period.pk)

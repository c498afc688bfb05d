"""The drug catalogue, the class each drug held when, and the dated street price tables."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from geography.models import Force

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
    unidentified = models.BooleanField(
        default=False,
        help_text='A substance not yet identified (the Home Office\'s "Unknown"): recorded without a '
        "class, never refused as not controlled",
    )

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
        return " or ".join(labels) if len(labels) < 3 else f"{', '.join(labels[:-1])} or {labels[-1]}"


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


# The drugs plants are valued through: yield per plant (or weight) x the herbal cannabis price.
CANNABIS_PLANTS = "cannabis-plants"
HERBAL_CANNABIS = "herbal-cannabis"


class StreetPriceQuerySet(models.QuerySet):
    def of_table(self, force):
        """One table's rows: a force's own (force given) or the alliance default (None)."""
        return self.filter(force=force) if force is not None else self.filter(force__isnull=True)


class StreetPrice(models.Model):
    """One row of a street price table: the price of one unit of a drug over a period, in a
    force's own table or in the alliance default beneath every force's.

    There is no national standard; forces price by their own table, usually the 1 g street
    deal. A seizure is priced from its force's row in force on its date, else the alliance
    default's. Cannabis plants counted rather than weighed are valued as an assumed yield per
    plant times the herbal cannabis price in force on the date: their rows carry the yield (courts
    have used 28–40 g, R v Auton 2011; the 2012 sentencing guideline assumes 40 g) and no price."""

    force = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="street_prices",
        help_text="Blank for the alliance default, which applies where a force has no row of its own",
    )
    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="prices")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    price_per_unit_pence = models.PositiveIntegerField(
        "price per unit (pence)", null=True, blank=True, help_text="Blank for cannabis plants: see the yield"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Last day in force; blank while in force")
    source = models.CharField(max_length=200, help_text="Whose table this is and when it was set")
    yield_grams_per_plant = models.DecimalField(
        "assumed yield per plant (grams)", max_digits=6, decimal_places=1, null=True, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Blank for the rows the service was installed with",
    )
    entered_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = StreetPriceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["drug", "unit", "force", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["drug", "unit", "valid_from"],
                condition=Q(force__isnull=True),
                name="one_default_price_per_start",
            ),
            models.UniqueConstraint(
                fields=["drug", "unit", "force", "valid_from"],
                condition=Q(force__isnull=False),
                name="one_force_price_per_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="price_ends_after_it_starts",
            ),
            # A plant row states a yield and no price (the herbal price supplies it); every other
            # row states a price and no yield.
            models.CheckConstraint(
                condition=Q(unit=Unit.PLANTS, yield_grams_per_plant__gt=0, price_per_unit_pence__isnull=True)
                | (~Q(unit=Unit.PLANTS) & Q(yield_grams_per_plant__isnull=True, price_per_unit_pence__gt=0)),
                name="plant_rows_state_a_yield_others_a_price",
            ),
        ]

    def __str__(self):
        return f"{self.drug}: {self.describe()} ({self.table_name}, from {long_date(self.valid_from)})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("seizures:street_price_detail", args=[self.pk])

    @property
    def table_name(self):
        return f"{self.force} table" if self.force_id else "alliance default"

    @property
    def is_yield(self):
        return self.unit == Unit.PLANTS

    def describe(self):
        from core.templatetags.formatting import format_pence, quantity

        if self.is_yield:
            return (
                f"{quantity(self.yield_grams_per_plant)} g of cannabis per plant, "
                "valued at the herbal cannabis price"
            )
        return f"{format_pence(self.price_per_unit_pence)} per {SINGULAR[Unit(self.unit)]}"

    def _same_table(self):
        return StreetPrice.objects.filter(drug_id=self.drug_id, unit=self.unit).of_table(
            self.force if self.force_id else None
        )

    def replaced_price(self):
        """For a new row: the row of the same drug, unit and table in force until it starts
        (open ended, starting earlier), which introducing this one ends the day before."""
        if not self._state.adding or not (self.drug_id and self.unit and self.valid_from):
            return None
        return self._same_table().filter(valid_from__lt=self.valid_from, valid_to__isnull=True).first()

    def clean(self):
        errors = {}
        if self.drug_id and self.unit and not self.drug.fits(self.unit):
            errors["unit"] = f"{self.drug} is recorded in {self.drug.units_text()}"
        if self.drug_id and self.unit == Unit.PLANTS:
            if not self.yield_grams_per_plant or self.yield_grams_per_plant <= 0:
                errors["yield_grams_per_plant"] = "Give the yield per plant this table assumes, in grams"
            if self.price_per_unit_pence is not None:
                errors["price_per_unit_pence"] = (
                    "Leave the price blank for plants: they are valued at the herbal cannabis price"
                )
        elif self.unit:
            if self.yield_grams_per_plant is not None:
                errors["yield_grams_per_plant"] = "Only cannabis plants counted by the plant assume a yield"
            if not self.price_per_unit_pence:
                errors["price_per_unit_pence"] = "Enter a price greater than 0, in pence"
        if self.drug_id and self.unit and self.valid_from:
            others = self._same_table()
            replaced = self.replaced_price()
            if replaced is not None:
                others = others.exclude(pk=replaced.pk)
            clash = _overlapping(others, self).order_by("valid_from").first()
            if clash is not None:
                errors["valid_from"] = (
                    f"This period overlaps the {clash.table_name}'s price of {self.drug} per "
                    f"{SINGULAR[Unit(self.unit)]} from {long_date(clash.valid_from)}"
                    + (f" to {long_date(clash.valid_to)}" if clash.valid_to else "")
                )
        if errors:
            raise ValidationError(errors)


def long_date(day):
    """27 March 2025"""
    return f"{day.day} {day:%B %Y}"


def _overlapping(queryset, period):
    """Rows of `queryset` whose [valid_from, valid_to] overlaps `period`'s (open ends allowed)."""
    overlap = Q(valid_to__isnull=True) | Q(valid_to__gte=period.valid_from)
    if period.valid_to is not None:
        overlap &= Q(valid_from__lte=period.valid_to)
    return queryset.filter(overlap).exclude(pk=period.pk)

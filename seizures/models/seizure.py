"""A drug seizure and the items (drug, quantity, unit) found in it, each valued when priced."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Withdrawable, WithdrawableQuerySet
from geography.models import Area, Force

from .drugs import CANNABIS_PLANTS, Drug, StreetPrice
from .site import Site
from .units import MAX_ANY_QUANTITY, MAX_QUANTITY, SINGULAR, WEIGHTS, DrugClass, Unit
from .validation import area_outside_force, normalise_postcode, not_in_future
from .warrant import Warrant, day_text

# More than any real seizure lists (a search finding a dozen drugs is rare), and few enough that
# a form or file with thousands of rows for one seizure is refused rather than worked through.
MAX_ITEMS_PER_SEIZURE = 50
TOO_MANY_ITEMS = (
    f"A seizure can list at most {MAX_ITEMS_PER_SEIZURE} drugs: record the rest as another seizure"
)


class SeizureQuerySet(WithdrawableQuerySet):
    def openable_by(self, user):
        """Detail pages: everyone with view permission sees live seizures; administrators
        also open withdrawn ones."""
        return self if user.has_perm("seizures.view_withdrawn_seizure") else self.live()


class Seizure(Withdrawable):
    reference = models.CharField(max_length=30, help_text="The force's seizure or property reference")
    seized_on = models.DateField("date seized", db_index=True)  # metrics and the list filter by it
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="seizures")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="seizures", verbose_name="district")
    place = models.CharField(
        "place description", max_length=200, help_text="For example: rear bedroom of a house"
    )
    postcode = models.CharField(max_length=8, blank=True)
    warrant = models.ForeignKey(
        Warrant, on_delete=models.PROTECT, null=True, blank=True, related_name="seizures"
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seizures",
        verbose_name="cannabis factory",
    )
    notes = models.TextField(blank=True)

    objects = SeizureQuerySet.as_manager()
    # History is read by record id only: the copies of the model's own indexes would only slow
    # every write (an import writes a history row per seizure).
    history = HistoricalRecords(
        no_db_index=["seized_on", "force", "area", "warrant", "site", "withdrawn_at", "withdrawn_by"]
    )

    class Meta:
        ordering = ["-seized_on", "-pk"]
        permissions = [("view_withdrawn_seizure", "Can open withdrawn seizures")]
        indexes = [
            # The list, its exports and the API: one force's seizures over a date range, newest
            # first, and their count for the pages (without it, every seizure of the range is read).
            models.Index(fields=["force", "seized_on"], name="seizure_force_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "reference"],
                name="seizure_reference_unique_per_force",
                violation_error_message="This force already has a seizure with this reference",
            ),
        ]

    def __str__(self):
        return f"Seizure {self.reference}"

    def get_absolute_url(self):
        return reverse("seizures:seizure_detail", args=[self.pk])

    _reference_checked = False  # only while full_clean(reference_checked=True) runs

    def full_clean(self, *args, reference_checked=False, **kwargs):
        """Model.full_clean, and `reference_checked=True` from a caller that has already found
        the reference free in its force: an import looks up every reference of its file in one
        query, and clean() would otherwise ask again for each seizure. The unique constraint
        still guards the write."""
        self._reference_checked = reference_checked
        try:
            super().full_clean(*args, **kwargs)
        finally:
            self._reference_checked = False

    def clean(self):
        errors = {}
        if message := not_in_future(self.seized_on, "The date seized"):
            errors["seized_on"] = message
        if self.force_id and self.area_id and (message := area_outside_force(self.area, self.force)):
            errors["area"] = message
        if self.force_id and self.reference and not self._reference_checked:
            taken = Seizure.objects.filter(force_id=self.force_id, reference=self.reference).exclude(
                pk=self.pk
            )
            if taken.exists():
                errors["reference"] = "This force already has a seizure with this reference"
        if self.warrant_id and self.force_id and self.warrant.force_id != self.force_id:
            errors["warrant"] = "The warrant belongs to another force"
        elif self.warrant_id and self.seized_on and self.seized_on < self.warrant.issued_on:
            errors.setdefault(
                "seized_on",
                f"Warrant {self.warrant.reference} was issued on {day_text(self.warrant.issued_on)}: "
                "a seizure under it cannot be dated before then",
            )
        if self.site_id and self.force_id:
            if self.site.force_id != self.force_id:
                errors["site"] = "The cannabis factory belongs to another force"
            elif self.site.is_withdrawn:
                errors["site"] = "The cannabis factory has been withdrawn"
        try:
            self.postcode = normalise_postcode(self.postcode)
        except ValidationError as invalid:
            errors["postcode"] = invalid.messages
        if errors:
            raise ValidationError(errors)


class SeizureItem(models.Model):
    seizure = models.ForeignKey(Seizure, on_delete=models.PROTECT, related_name="items")
    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="seizure_items")
    quantity = models.DecimalField(max_digits=12, decimal_places=3)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    # Cannabis plants weighed (valued by weight) may be counted too: the count is kept for the
    # plant figures, the weight values them.
    plant_count = models.PositiveIntegerField(
        "plants counted", null=True, blank=True, help_text="For cannabis plants recorded by weight"
    )
    # The class in force on the seizure date, from DrugClassification (kept by the services).
    drug_class = models.CharField(
        "class", max_length=1, choices=DrugClass.choices, blank=True, editable=False
    )
    # The valuation, stored with the price it used so that later price changes never alter it.
    price = models.ForeignKey(
        StreetPrice, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    # Plants counted, not weighed: the yield row assumed (the price is the herbal cannabis row,
    # and price_per_unit_pence the value of one plant).
    plant_yield = models.ForeignKey(
        StreetPrice, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    price_per_unit_pence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    value_pence = models.BigIntegerField("street value (pence)", null=True, blank=True, editable=False)
    priced_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Read by item id and by seizure (the seizure's page): no other index is worth its writes.
    history = HistoricalRecords(no_db_index=["drug", "price", "plant_yield"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(quantity__lte=MAX_ANY_QUANTITY), name="item_quantity_in_range"
            ),
            models.CheckConstraint(
                condition=Q(value_pence__isnull=True) | Q(value_pence__gte=0), name="item_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(plant_count__isnull=True) | Q(plant_count__gt=0, unit__in=WEIGHTS),
                name="plant_count_only_beside_a_weight",
            ),
        ]
        indexes = [
            # SeizureFilter's drug filter (list, API, dashboard links): the seizures having an
            # item of the drug, read from this index alone instead of scanning every item.
            models.Index(fields=["drug", "seizure"], name="item_drug_seizure_idx"),
            # Bulk re-pricing: the items valued with a price row being corrected.
            models.Index(fields=["price"], name="item_price_idx"),
        ]

    def __str__(self):
        from core.templatetags.formatting import quantity

        return f"{self.drug} {quantity(self.quantity)} {self.unit}" if self.drug_id else "Item"

    def clean(self):
        errors = {}
        if self.drug_id and self.unit and not self.drug.fits(self.unit):
            errors["unit"] = f"{self.drug} is recorded in {self.drug.units_text()}"
        if self.quantity is not None:
            if self.quantity <= 0:
                errors["quantity"] = "Enter a quantity greater than 0"
            elif self.unit in MAX_QUANTITY and self.quantity > MAX_QUANTITY[Unit(self.unit)]:
                largest = f"{MAX_QUANTITY[Unit(self.unit)]:,} {Unit(self.unit).label}"
                errors["quantity"] = f"Enter a quantity no more than {largest}: check the unit"
        if self.plant_count is not None:
            if not self.drug_id or self.drug.code != CANNABIS_PLANTS:
                errors["plant_count"] = "Only cannabis plants are counted beside their weight"
            elif self.unit not in WEIGHTS:
                errors["plant_count"] = (
                    "Give the number of plants as the quantity, or record their weight and the count"
                )
            elif self.plant_count <= 0:
                errors["plant_count"] = "Enter a number of plants greater than 0"
        if errors:
            raise ValidationError(errors)

    @property
    def price_text(self):
        """How the item was valued, as users see it beside the stored value."""
        from core.templatetags.formatting import format_pence, quantity

        if self.price_id is None:
            return "Not priced: no street price for this drug and unit on the date seized"
        per = f"{format_pence(self.price_per_unit_pence)} per {SINGULAR[Unit(self.price.unit)]}"
        if self.plant_yield_id:
            per = f"{format_pence(self.price.price_per_unit_pence)} per {SINGULAR[Unit(self.price.unit)]}"
            grams = quantity(self.plant_yield.yield_grams_per_plant)
            return (
                f"{format_pence(self.price_per_unit_pence)} per plant: {grams} g of cannabis per plant "
                f"(the {self.plant_yield.table_name}'s yield: {self.plant_yield.source}) at {per} of "
                f"herbal cannabis (the {self.price.table_name}: {self.price.source})"
            )
        if self.drug_id and self.price.drug_id != self.drug_id:
            herbal = self.price.drug.name.lower()
            return f"by weight at {per} of {herbal} from the {self.price.table_name}: {self.price.source}"
        return f"{per} from the {self.price.table_name}: {self.price.source}"

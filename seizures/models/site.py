"""Cannabis factories as sites: one place where cannabis was grown, with the offences, seizures
and warrant that found it. "Factories closed" counts sites, not offenders: two people charged
at one farm are one factory.

The size band is the harm category of the Sentencing Council's guideline for production of a
controlled drug / cultivation of cannabis plant, kept as data (SizeBand) with its source."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Withdrawable, WithdrawableQuerySet
from geography.models import Area, Force

from .validation import area_outside_force, not_in_future
from .warrant import Warrant

# The largest cannabis factories found in the UK held a few thousand plants; more is a slip.
MAX_SITE_PLANTS = 20_000
# A postcode sector: the outward code and the inward code's first digit (CV21 2). A site is
# placed no closer than that: a full postcode names a household.
POSTCODE_SECTOR = re.compile(r"^([A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) ?(\d)([ABD-HJLNP-UW-Z]{2})?$")


def normalise_postcode_sector(value):
    """' cv21 2dp ' or 'CV21 2' -> 'CV21 2'; raises ValidationError when it is neither."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    if not compact:
        return ""
    match = POSTCODE_SECTOR.match(compact)
    if not match:
        raise ValidationError(
            "Enter a postcode sector, like CV21 2, or a full postcode", code="invalid_sector"
        )
    return f"{match.group(1)} {match.group(2)}"


class SizeBand(models.Model):
    """One harm category of a sentencing guideline for cultivation, with the indicative number
    of plants it is based on where the guideline gives one (the rest it judges by the scale of
    the operation). Rows are reference data, seeded from the guideline and shown with it."""

    category = models.PositiveSmallIntegerField(unique=True, help_text="1 is the most serious")
    description = models.CharField(max_length=200, help_text="The guideline's own words")
    indicative_plants = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The guideline's indicative quantity in plants; blank where it judges by scale",
    )
    source = models.CharField(max_length=300)
    source_url = models.URLField("source address")

    class Meta:
        ordering = ["category"]

    def __str__(self):
        return f"Category {self.category}: {self.description}"

    @classmethod
    def for_plants(cls, plants):
        """The band a number of plants falls in when the guideline gives plant numbers: the one
        with the smallest indicative quantity at least `plants`. None above them all (the
        guideline then asks whether the operation is significant or industrial)."""
        if plants is None:
            return None
        return cls.objects.filter(indicative_plants__gte=plants).order_by("indicative_plants").first()


class Premises(models.TextChoices):
    # The same choices as an offence's type of site (the offences app keeps its own copy).
    RESIDENTIAL = "residential", "Residential house or flat"
    COMMERCIAL = "commercial", "Commercial or industrial unit"
    OUTDOOR = "outdoor", "Outdoor (field, woodland, garden)"
    OTHER = "other", "Other"


DUPLICATE_SITE = "This force already has a site with this reference"


class SiteQuerySet(WithdrawableQuerySet):
    def openable_by(self, user):
        return self if user.has_perm("seizures.view_withdrawn_site") else self.live()


class Site(Withdrawable):
    reference = models.CharField(max_length=30, help_text="The force's reference for the site")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="cannabis_sites")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="cannabis_sites", verbose_name="district"
    )
    # Room for a full postcode as typed: clean() cuts it to its sector before it is stored.
    postcode_sector = models.CharField(max_length=8, blank=True, help_text="For example CV21 2")
    premises = models.CharField("type of premises", max_length=20, choices=Premises.choices)
    discovered_on = models.DateField("date discovered")
    closed_on = models.DateField(
        "date closed", null=True, blank=True, db_index=True, help_text="Blank while the site is still open"
    )  # the factories-closed figure counts by it
    plants = models.PositiveIntegerField(
        "number of plants",
        validators=[MaxValueValidator(MAX_SITE_PLANTS, f"Enter no more than {MAX_SITE_PLANTS:,} plants")],
    )
    # Blank: found from the plants (clean) where the guideline gives plant numbers.
    size_band = models.ForeignKey(
        SizeBand,
        on_delete=models.PROTECT,
        blank=True,
        related_name="sites",
        help_text="Found from the plants up to the guideline's plant numbers; above them, choose",
    )
    warrant = models.ForeignKey(
        Warrant, on_delete=models.PROTECT, null=True, blank=True, related_name="cannabis_sites"
    )
    notes = models.TextField(blank=True)

    objects = SiteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cannabis factory"
        verbose_name_plural = "cannabis factories"
        ordering = ["-discovered_on", "-pk"]
        permissions = [("view_withdrawn_site", "Can open withdrawn cannabis factories")]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "reference"],
                name="site_reference_unique_per_force",
                violation_error_message=DUPLICATE_SITE,
            ),
            models.CheckConstraint(
                condition=Q(plants__gte=0, plants__lte=MAX_SITE_PLANTS), name="site_plants_in_range"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("discovered_on")),
                name="site_closed_on_or_after_discovery",
            ),
        ]

    def __str__(self):
        return f"Cannabis factory {self.reference}"

    def get_absolute_url(self):
        return reverse("seizures:site_detail", args=[self.pk])

    @property
    def is_closed(self):
        return self.closed_on is not None

    def clean(self):
        errors = {}
        if self.reference:
            self.reference = self.reference.strip().upper()
        for name, label in (("discovered_on", "The date discovered"), ("closed_on", "The date closed")):
            if message := not_in_future(getattr(self, name), label):
                errors[name] = message
        if self.discovered_on and self.closed_on and self.closed_on < self.discovered_on:
            errors.setdefault("closed_on", "The date closed must be on or after the date discovered")
        try:
            self.postcode_sector = normalise_postcode_sector(self.postcode_sector)
        except ValidationError as invalid:
            errors["postcode_sector"] = invalid.messages
        if self.force_id and self.area_id and (message := area_outside_force(self.area, self.force)):
            errors["area"] = message
        if self.force_id and self.reference:
            taken = Site.objects.filter(force_id=self.force_id, reference=self.reference).exclude(pk=self.pk)
            if taken.exists():
                errors["reference"] = DUPLICATE_SITE
        if self.warrant_id and self.force_id:
            if self.warrant.force_id != self.force_id:
                errors["warrant"] = "The warrant belongs to another force"
            elif self.warrant.is_withdrawn:
                errors["warrant"] = "The warrant has been withdrawn"
        self._check_size_band(errors)
        if errors:
            raise ValidationError(errors)

    def _check_size_band(self, errors):
        """The band fits the plants found: a band the guideline bases on a number of plants
        holds no more than that number (more is a higher category); above every such number
        the analyst says whether the operation was significant or industrial."""
        if self.plants is None or "plants" in errors:
            return
        if self.size_band_id is None:
            found = SizeBand.for_plants(self.plants)
            if found is not None:
                self.size_band = found
            else:
                largest = (
                    SizeBand.objects.filter(indicative_plants__isnull=False)
                    .order_by("-indicative_plants")
                    .first()
                )
                scale = SizeBand.objects.filter(indicative_plants__isnull=True).order_by("-category")
                choices = " or ".join(f"category {band.category} ({band.description})" for band in scale)
                errors["size_band"] = (
                    f"Choose the size band: more than {largest.indicative_plants} plants is {choices}"
                    if largest and choices
                    else "Choose the size band"
                )
            return
        band = self.size_band
        if band.indicative_plants is not None and self.plants > band.indicative_plants:
            errors["size_band"] = (
                f"Category {band.category} is based on {band.indicative_plants} plants; "
                f"{self.plants:,} plants is a higher category"
            )
